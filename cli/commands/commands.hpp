#pragma once
// Each subcommand registers itself on the top-level app. A command's callback
// throws cli::failure (or std::system_error) for errors; main() turns them into one
// line on stderr and the documented exit code.

#include "exit_codes.hpp"

#include <CLI/CLI.hpp>

#include <stdexcept>

namespace cairn::cli {

/// An error to report on one line, with its exit code.
class failure : public std::runtime_error {
public:
    failure(exit_code code, const std::string& what)
        : std::runtime_error(what)
        , code_(code) {}

    [[nodiscard]] exit_code code() const noexcept { return code_; }

private:
    exit_code code_;
};

void add_parse_command(CLI::App& app);
void add_init_command(CLI::App& app);
void add_index_command(CLI::App& app);
void add_search_command(CLI::App& app);
void add_count_command(CLI::App& app);
void add_show_command(CLI::App& app);
void add_thread_command(CLI::App& app);
void add_extract_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_stats_command(CLI::App& app);
void add_reindex_command(CLI::App& app);
void add_check_command(CLI::App& app);
void add_serve_command(CLI::App& app);

} // namespace cairn::cli
