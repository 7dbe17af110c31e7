// `cairn export QUERY --mbox FILE | --maildir DIR`: the original bytes back out.

#include "commands/commands.hpp"
#include "commands/common.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>

namespace cairn::cli {
namespace {

// mboxrd (the reversible variant): every line matching ^>*From  gets one more '>'.
void write_mboxrd(std::ofstream& out, const std::string& raw, std::int64_t date) {
    const std::time_t t = date;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[64];
    std::strftime(stamp, sizeof stamp, "%a %b %e %H:%M:%S %Y", &tm);
    out << "From MAILER-DAEMON " << stamp << "\n";
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::size_t end = raw.find('\n', pos);
        end = end == std::string::npos ? raw.size() : end + 1;
        const std::string_view line(raw.data() + pos, end - pos);
        const std::size_t quotes = line.find_first_not_of('>');
        if (quotes != std::string_view::npos && line.substr(quotes).starts_with("From ")) {
            out << '>';
        }
        out << line;
        pos = end;
    }
    if (raw.empty() || raw.back() != '\n') {
        out << '\n';
    }
    out << '\n';
}

} // namespace

void add_export_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::vector<std::string> query;
        std::string mbox;
        std::string maildir;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd =
        app.add_subcommand("export", "Write matching messages, byte-exact, to an mbox or maildir");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("QUERY", opts->query, "As for search; empty exports everything");
    auto* mbox = cmd->add_option("--mbox", opts->mbox, "mbox file to append to (mboxrd quoting)");
    auto* maildir = cmd->add_option("--maildir", opts->maildir, "maildir folder to write into");
    mbox->excludes(maildir);
    cmd->callback([opts] {
        if (opts->mbox.empty() == opts->maildir.empty()) {
            throw failure(exit_usage, "export needs exactly one of --mbox FILE or --maildir DIR");
        }
        auto archive = open_archive(opts->archive, false);
        std::string query;
        for (const auto& w : opts->query) {
            query += (query.empty() ? "" : " ") + w;
        }
        index::search_options search;
        search.sort = index::sort_order::oldest_first;
        search.limit = archive.messages().max_id() + 1;
        const std::vector<index::message_key> ids = archive.text().search(query, search).ids;
        std::ofstream mbox_out;
        if (!opts->mbox.empty()) {
            mbox_out.open(opts->mbox, std::ios::binary | std::ios::app);
            if (!mbox_out) {
                throw failure(exit_input, "cannot write " + opts->mbox);
            }
        } else {
            for (const char* sub : {"tmp", "new", "cur"}) {
                std::filesystem::create_directories(std::filesystem::path(opts->maildir) / sub);
            }
        }
        const auto pid = ::getpid();
        for (const auto id : ids) {
            const std::string raw = archive.raw(id);
            const auto row = archive.messages().get(id);
            if (mbox_out.is_open()) {
                write_mboxrd(mbox_out, raw, row && row->date ? *row->date : 0);
                continue;
            }
            // Maildir delivery: write in tmp/, then rename into cur/ (atomic).
            const std::string name =
                fmt::format("{}.cairn{}_{}.{}", row && row->date ? *row->date : 0, pid, id,
                            row ? row->hash.hex().substr(0, 12) : "");
            const auto tmp = std::filesystem::path(opts->maildir) / "tmp" / name;
            {
                std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
                out.write(raw.data(), static_cast<std::streamsize>(raw.size()));
                if (!out.flush()) {
                    throw failure(exit_input, "cannot write " + tmp.string());
                }
            }
            std::string flags;
            for (const auto& env : archive.messages().sources(id)) {
                if (!env.flags.empty()) {
                    flags = env.flags;
                    break;
                }
            }
            std::filesystem::rename(tmp, std::filesystem::path(opts->maildir) / "cur" /
                                             (name + ":2," + flags));
        }
        if (mbox_out.is_open() && !mbox_out.flush()) {
            throw failure(exit_input, "cannot write " + opts->mbox);
        }
        fmt::print(stderr, "exported {} messages\n", ids.size());
        if (ids.empty()) {
            throw failure(exit_no_match, "");
        }
    });
}

} // namespace cairn::cli
