// `cairn extract MESSAGE|QUERY --to DIR|-`: decoded attachments, written safely.

#include "commands/commands.hpp"
#include "commands/common.hpp"
#include "util/safe_filename.hpp"

#include <mime/body.hpp>
#include <mime/message.hpp>

#include <fcntl.h>
#include <fmt/core.h>
#include <fnmatch.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <memory>
#include <system_error>

namespace cairn::cli {
namespace {

// Writes to a file descriptor, throwing with the path on failure.
struct fd_sink {
    int fd;
    const std::filesystem::path& path;

    void write(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = ::write(fd, bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                throw std::system_error(errno, std::generic_category(), path.string());
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }
};

// Creates `dir/name` without ever replacing an existing file (O_EXCL) unless
// `overwrite`; picks "name (2)" etc. when taken. Returns the open fd and path.
std::pair<int, std::filesystem::path> create_unique(const std::filesystem::path& dir,
                                                    const std::string& name, bool overwrite) {
    for (int n = 1; n < 10000; ++n) {
        const auto path = dir / (n == 1 ? name : numbered_filename(name, n));
        const int flags =
            O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (overwrite ? O_TRUNC : O_EXCL);
        const int fd = ::open(path.c_str(), flags, 0644);
        if (fd >= 0) {
            return {fd, path};
        }
        if (errno != EEXIST) {
            throw std::system_error(errno, std::generic_category(), path.string());
        }
    }
    throw failure(exit_input, "too many files named " + name + " in " + dir.string());
}

bool wanted(const index::attachment_entry& a, const std::string& mimetype,
            const std::string& glob) {
    if (!mimetype.empty() && a.mime_type != mimetype &&
        !(mimetype.find('/') == std::string::npos && a.mime_type.starts_with(mimetype + "/"))) {
        return false;
    }
    return glob.empty() || ::fnmatch(glob.c_str(), a.filename.c_str(), FNM_CASEFOLD) == 0;
}

} // namespace

void add_extract_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::vector<std::string> what;
        std::string to;
        std::string mimetype;
        std::string name;
        bool force = false;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand(
        "extract", "Write the decoded attachments of a message (or of every match of a query)");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("MESSAGE|QUERY", opts->what, "A catalog id, id:MESSAGE-ID, or a query")
        ->required();
    cmd->add_option("--to", opts->to, "Folder to write into, or - for standard output")->required();
    cmd->add_option("--mimetype", opts->mimetype,
                    "Only this type (application/pdf) or main type (image)");
    cmd->add_option("--name", opts->name, "Only names matching this glob (*.pdf), any case");
    cmd->add_flag("--force", opts->force, "Overwrite files that exist instead of numbering");
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, false);
        std::string query;
        for (const auto& w : opts->what) {
            query += (query.empty() ? "" : " ") + w;
        }
        std::vector<index::message_key> ids;
        if (const auto one = archive.resolve(query)) {
            ids.push_back(*one);
        } else {
            index::search_options search;
            search.limit = archive.messages().max_id() + 1;
            ids = archive.text().search(query, search).ids;
        }
        const bool to_stdout = opts->to == "-";
        if (!to_stdout) {
            std::filesystem::create_directories(opts->to);
        }
        int written = 0;
        for (const auto id : ids) {
            const std::string raw = archive.raw(id);
            const auto msg = mime::parse(std::string_view(raw));
            for (const auto& a : archive.messages().attachments(id)) {
                if (!wanted(a, opts->mimetype, opts->name) || a.part >= msg.parts().size()) {
                    continue;
                }
                if (to_stdout) {
                    if (written == 1) {
                        throw failure(exit_usage, "more than one attachment matches; narrow it "
                                                  "with --name or --mimetype to use --to -");
                    }
                    fd_sink out{STDOUT_FILENO, opts->to};
                    (void)mime::decode_body(msg, msg.at(a.part), out);
                    ++written;
                    continue;
                }
                const std::string name =
                    safe_filename(a.filename, fmt::format("message-{}-part-{}", id, a.part));
                auto [fd, path] = create_unique(opts->to, name, opts->force);
                fd_sink out{fd, path};
                (void)mime::decode_body(msg, msg.at(a.part), out);
                ::close(fd);
                fmt::print("{}\n", path.string());
                ++written;
            }
        }
        if (written == 0) {
            throw failure(exit_no_match, "no attachment matched");
        }
    });
}

} // namespace cairn::cli
