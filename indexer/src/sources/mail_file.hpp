#pragma once
// read_mail_file: one file on disk → its messages. The file is an .eml-like
// single message, a maildir entry, or an mbox (told apart by its first line).

#include <indexer/envelope.hpp>
#include <indexer/sources.hpp>

#include <filesystem>
#include <string>

namespace cairn::index::sources_detail {

/// Reads `path` and reports what it holds through `callbacks`, in this order:
/// want_file (return false → nothing else happens), then on_message for each
/// message or on_skipped when the file is not mail, then on_file_done. A file
/// that cannot be read gets only on_skipped (no on_file_done), so a later run
/// tries it again. `base` carries kind (file or maildir), folder and flags;
/// path, mtime, file_size and offset are filled in here. A file of kind
/// `file` whose first line is a `From ` postmark followed by a header is split
/// as an mbox (kind mbox). Never throws for the file's own problems.
void read_mail_file(const std::filesystem::path& path, envelope base,
                    const source_callbacks& callbacks);

} // namespace cairn::index::sources_detail
