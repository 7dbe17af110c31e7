// `cairn search QUERY…` and `cairn count QUERY…`.

#include "commands/commands.hpp"
#include "commands/common.hpp"

#include <fmt/core.h>

#include <iostream>
#include <memory>

namespace cairn::cli {
namespace {

std::string join_query(const std::vector<std::string>& words) {
    std::string query;
    for (const auto& w : words) {
        if (!query.empty()) {
            query += ' ';
        }
        query += w;
    }
    return query;
}

// Counts display columns roughly (UTF-8 code points; wide CJK counts two) so
// that the text table lines up in a terminal.
std::string fit(std::string_view text, std::size_t columns) {
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        const std::size_t width = length >= 3 ? 2 : 1;
        if (used + width > columns) {
            break;
        }
        out.append(text.substr(i, length));
        used += width;
        i += length;
    }
    out.append(columns - used, ' ');
    return out;
}

} // namespace

void add_search_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::vector<std::string> query;
        std::string format = "text";
        std::string sort = "newest";
        std::uint64_t limit = 50;
        std::uint64_t offset = 0;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand("search", "Find messages (exit 1 when none match)");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("QUERY", opts->query,
                    "Words, \"phrases\", AND/OR/NOT, prefixes (from: to: subject: date: …)");
    cmd->add_option("--format", opts->format, "text, json, jsonl, ids or files")
        ->check(CLI::IsMember({"text", "json", "jsonl", "ids", "files"}));
    cmd->add_option("--sort", opts->sort, "newest, oldest or relevance")
        ->check(CLI::IsMember({"newest", "oldest", "relevance"}));
    cmd->add_option("--limit", opts->limit, "At most this many results (default 50, 0 = all)");
    cmd->add_option("--offset", opts->offset, "Skip this many results first");
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, false);
        index::search_options search;
        search.sort = opts->sort == "oldest"      ? index::sort_order::oldest_first
                      : opts->sort == "relevance" ? index::sort_order::relevance
                                                  : index::sort_order::newest_first;
        search.offset = opts->offset;
        search.limit = opts->limit == 0 ? archive.messages().max_id() + 1 : opts->limit;
        const auto hits = archive.text().search(join_query(opts->query), search);
        const bool as_array = opts->format == "json";
        json_writer json(std::cout);
        if (as_array) {
            json.begin_array();
        }
        for (const auto id : hits.ids) {
            const auto row = archive.messages().get(id);
            if (!row) {
                continue; // indexed but not catalogued: cannot happen after catch-up
            }
            if (opts->format == "ids") {
                fmt::print("{}\n", row->id);
            } else if (opts->format == "files") {
                for (const auto& env : archive.messages().sources(id)) {
                    if (!env.path.empty()) {
                        fmt::print("{}\n", env.path);
                    }
                }
            } else if (opts->format == "text") {
                const std::string& who =
                    row->from.name.empty() ? row->from.address : row->from.name;
                fmt::print("{}  {} {}  [{}]\n", short_date(row->date, row->date_offset_minutes),
                           fit(who, 24), fit(row->subject, 60), row->id);
            } else {
                json_writer line(std::cout);
                json_writer& out = as_array ? json : line;
                out.begin_object();
                write_row_json(out, *row);
                out.end_object();
                if (!as_array) {
                    std::cout << '\n';
                }
            }
        }
        if (as_array) {
            json.end_array();
            std::cout << '\n';
        }
        if (hits.ids.empty()) {
            throw failure(exit_no_match, "");
        }
    });
}

void add_count_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::vector<std::string> query;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand("count", "Count the messages a query matches");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("QUERY", opts->query, "As for search; empty counts everything");
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, false);
        fmt::print("{}\n", archive.text().count(join_query(opts->query)));
    });
}

} // namespace cairn::cli
