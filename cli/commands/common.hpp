#pragma once
// Pieces every archive command shares: the --archive option, opening the
// archive with the right error and exit code, and printing message rows.

#include "output/json_writer.hpp"

#include <CLI/CLI.hpp>
#include <indexer/archive.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace cairn::cli {

/// Adds `--archive DIR` (default: $CAIRN_ARCHIVE, else the per-user data folder).
void add_archive_option(CLI::App& cmd, std::string& dir);

/// Opens the archive named by --archive (or the default). Throws failure with
/// exit_archive when it is not an archive.
[[nodiscard]] index::archive open_archive(const std::string& dir, bool writable);

/// RFC 3339 with the sender's own offset, e.g. 2024-01-15T18:38:12+08:00.
[[nodiscard]] std::string format_date(std::int64_t unix_seconds, int offset_minutes);

/// "2024-01-15 18:38" in the sender's offset (compact, for tables).
[[nodiscard]] std::string short_date(const std::optional<std::int64_t>& unix_seconds,
                                     int offset_minutes);

/// The row as one JSON object (id, message_id, date, from, subject, thread, size …).
void write_row_json(json_writer& json, const index::message_row& row);

/// Resolves a message reference (catalog id or id:MESSAGE-ID) or fails with exit 1.
[[nodiscard]] index::message_key resolve_message(const index::archive& archive,
                                                 const std::string& reference);

} // namespace cairn::cli
