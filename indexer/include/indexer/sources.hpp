#pragma once
// Sources: turning paths into raw messages with envelopes. A path may be an .eml
// file, an mbox file, a maildir (a folder with cur/ and new/), or a folder holding
// any mix of those (walked recursively, in sorted order, symlinks not followed).

#include <indexer/envelope.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace cairn::index {

/// One message found. `bytes` is valid only during the callback (a view into a
/// mapped file, or into a buffer holding an unquoted mbox message).
struct source_message {
    std::string_view bytes;
    const envelope& env;
};

struct source_callbacks {
    /// Asked once per file before reading it; return false to skip it (unchanged
    /// since the last run). Optional: when empty every file is read.
    std::function<bool(const std::string& path, std::int64_t mtime, std::uint64_t size)> want_file;
    /// Called for every message, in file order.
    std::function<void(const source_message&)> on_message;
    /// Called for a file that is not mail (binary, no header, empty), cannot be
    /// read (the reason is the errno text, e.g. "Permission denied"), or is not
    /// walked (a symbolic link below the root, a socket…).
    std::function<void(const std::string& path, const std::string& reason)> on_skipped;
    /// Called after each file has been read completely, including a file found
    /// not to be mail (so a rescan can pass it over until it changes); not for
    /// a file that could not be read (a later run tries it again).
    std::function<void(const std::string& path, std::int64_t mtime, std::uint64_t size)>
        on_file_done;
};

/// Walks `root` and reports what it finds. Throws io_error when root itself
/// does not exist; problems with files below it go to on_skipped.
void walk_sources(const std::filesystem::path& root, const source_callbacks& callbacks);

/// Splits an mbox held in memory (mboxrd and mboxo: `From ` lines at the start,
/// after a blank line, or followed by a header field line; `>From ` unquoted one
/// level; Content-Length honoured only when it lands exactly on the next `From `
/// line or the end; the line break before a `From ` line, and the blank line
/// before it, belong to the separator). Messages without quoted lines are views
/// into `mbox`; the others are unquoted into one reused buffer. Calls
/// on_message(bytes, offset) with each message's bytes (unquoted) and the offset
/// of its first header byte in the file.
void split_mbox(
    std::string_view mbox,
    const std::function<void(std::string_view message, std::uint64_t offset)>& on_message);

/// Is this the start of a mail message or mbox (a header field or `From ` line
/// first, no NUL bytes in the first 4 KiB)?
[[nodiscard]] bool looks_like_mail(std::string_view head);

} // namespace cairn::index
