// `cairn init [DIR]` and `cairn index PATH…`.

#include "commands/commands.hpp"
#include "commands/common.hpp"
#include "output/progress.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <memory>

namespace cairn::cli {
namespace {

std::uint64_t input_bytes(const std::vector<std::filesystem::path>& paths) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (const auto& root : paths) {
        if (std::filesystem::is_regular_file(root, ec)) {
            total += std::filesystem::file_size(root, ec);
            continue;
        }
        for (auto it = std::filesystem::recursive_directory_iterator(
                 root, std::filesystem::directory_options::skip_permission_denied, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_regular_file(ec)) {
                total += it->file_size(ec);
            }
        }
    }
    return total;
}

} // namespace

void add_init_command(CLI::App& app) {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("init", "Create an archive folder");
    cmd->add_option("DIR", *dir,
                    "Archive folder (default: $CAIRN_ARCHIVE or ~/.local/share/cairn)");
    cmd->callback([dir] {
        const std::filesystem::path path =
            dir->empty() ? index::archive::default_dir() : std::filesystem::path(*dir);
        auto archive = index::archive::init(path);
        fmt::print("archive ready at {}\n", archive.dir().string());
    });
}

void add_index_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::vector<std::string> paths;
        unsigned threads = 0;
        std::size_t batch = 1000;
        bool quiet = false;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand(
        "index", "Archive and index mail: .eml files, maildirs, mbox files, or folders of them");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("PATH", opts->paths, "Files or folders to read")->required();
    cmd->add_option("--threads", opts->threads, "Parser threads (default: one per core)");
    cmd->add_option("--batch", opts->batch,
                    "Messages per commit (default 1000; smaller commits more often)")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("-q,--quiet", opts->quiet, "No summary line");
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, true);
        std::vector<std::filesystem::path> paths(opts->paths.begin(), opts->paths.end());
        for (const auto& p : paths) {
            if (!std::filesystem::exists(p)) {
                throw failure(exit_input, p.string() + ": no such file or folder");
            }
        }
        progress_line progress(input_bytes(paths));
        index::index_options options;
        options.threads = opts->threads;
        options.batch_messages = opts->batch;
        options.progress = [&](const index::index_progress& p) { progress.update(p); };
        const auto report = archive.index(paths, options);
        for (const auto& skipped : report.skipped) {
            fmt::print(stderr, "cairn: skipped {}: {}\n", skipped.path, skipped.reason);
        }
        if (!opts->quiet) {
            const auto& t = report.totals;
            fmt::print("{} messages in {} files: {} added, {} already archived, {} with defects, "
                       "{} unchanged files, {} skipped; {:.1f} s ({:.0f} messages/s)\n",
                       t.messages, t.files, t.added, t.duplicates, t.defective, t.unchanged_files,
                       t.skipped, t.seconds,
                       t.seconds > 0 ? static_cast<double>(t.messages) / t.seconds : 0.0);
        }
    });
}

} // namespace cairn::cli
