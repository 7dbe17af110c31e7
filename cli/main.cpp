// The `cairn` command: registers the subcommands and maps every failure to one
// line on stderr and a documented exit code (exit_codes.hpp). No stack traces.

#include "commands/commands.hpp"

#include <CLI/CLI.hpp>
#include <indexer/error.hpp>
#include <indexer/fulltext.hpp>

#include <fmt/core.h>

#include <cstdio>
#include <exception>
#include <system_error>

int main(int argc, char** argv) {
    using namespace cairn::cli;
    CLI::App app{"cairn: parse, archive and search email"};
    app.set_version_flag("--version", "cairn 0.1.0");
    app.require_subcommand(1);
    for (auto* add : {add_init_command, add_index_command, add_search_command, add_count_command,
                      add_show_command, add_thread_command, add_extract_command, add_export_command,
                      add_stats_command, add_reindex_command, add_check_command, add_serve_command,
                      add_parse_command}) {
        add(app);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    } catch (const failure& e) {
        if (*e.what() != '\0') { // "no match" needs no words
            fmt::print(stderr, "cairn: {}\n", e.what());
        }
        return e.code();
    } catch (const cairn::index::query_error& e) {
        fmt::print(stderr, "cairn: bad query: {}\n", e.what());
        return exit_usage;
    } catch (const cairn::index::io_error& e) {
        fmt::print(stderr, "cairn: {}\n", e.what());
        return exit_archive;
    } catch (const std::system_error& e) {
        fmt::print(stderr, "cairn: {}\n", e.what());
        return exit_input;
    } catch (const std::exception& e) {
        fmt::print(stderr, "cairn: internal error: {}\n", e.what());
        return exit_internal;
    }
    return exit_ok;
}
