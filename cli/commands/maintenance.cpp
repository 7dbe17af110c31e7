// `cairn stats`, `cairn reindex`, `cairn check`.

#include "commands/commands.hpp"
#include "commands/common.hpp"
#include "output/progress.hpp"

#include <fmt/core.h>

#include <iostream>
#include <memory>

namespace cairn::cli {

void add_stats_command(CLI::App& app) {
    struct options {
        std::string archive;
        bool json = false;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand("stats", "Counts, sizes, date range and top senders");
    add_archive_option(*cmd, opts->archive);
    cmd->add_flag("--json", opts->json, "One JSON object");
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, false);
        const auto s = archive.messages().stats(10);
        const auto date = [](const std::optional<std::int64_t>& d) {
            return d ? format_date(*d, 0) : std::string("-");
        };
        if (opts->json) {
            json_writer json(std::cout);
            json.begin_object();
            json.key("messages").value(s.messages).key("raw_bytes").value(s.raw_bytes);
            json.key("attachments").value(s.attachments).key("threads").value(s.threads);
            json.key("first_date")
                .value(date(s.first_date))
                .key("last_date")
                .value(date(s.last_date));
            json.key("top_senders").begin_array();
            for (const auto& [address, count] : s.top_senders) {
                json.begin_object()
                    .key("address")
                    .value(address)
                    .key("messages")
                    .value(count)
                    .end_object();
            }
            json.end_array().end_object();
            std::cout << '\n';
            return;
        }
        fmt::print("messages     {}\nthreads      {}\nattachments  {}\nraw bytes    {}\n"
                   "dates        {} .. {}\n",
                   s.messages, s.threads, s.attachments, s.raw_bytes, date(s.first_date),
                   date(s.last_date));
        fmt::print("top senders\n");
        for (const auto& [address, count] : s.top_senders) {
            fmt::print("  {:>7}  {}\n", count, address);
        }
    });
}

void add_reindex_command(CLI::App& app) {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd =
        app.add_subcommand("reindex", "Rebuild the catalog and the index from the store");
    add_archive_option(*cmd, *dir);
    cmd->callback([dir] {
        auto archive = open_archive(*dir, true);
        progress_line progress(0);
        index::index_options options;
        options.progress = [&](const index::index_progress& p) { progress.update(p); };
        const auto report = archive.reindex(options);
        fmt::print("reindexed {} messages in {:.1f} s\n", report.totals.added,
                   report.totals.seconds);
    });
}

void add_check_command(CLI::App& app) {
    auto dir = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("check", "Verify store hashes and catalog/index agreement");
    add_archive_option(*cmd, *dir);
    cmd->callback([dir] {
        auto archive = open_archive(*dir, false);
        const auto report = archive.check();
        for (const auto& problem : report.problems) {
            fmt::print("{}\n", problem);
        }
        fmt::print("{} store records, {} messages, {} index documents: {}\n", report.store_records,
                   report.messages, report.documents, report.problems.empty() ? "ok" : "PROBLEMS");
        if (!report.problems.empty()) {
            throw failure(exit_archive, fmt::format("{} problems found", report.problems.size()));
        }
    });
}

} // namespace cairn::cli
