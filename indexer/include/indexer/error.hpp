#pragma once
// cairn::index::io_error: the one exception the indexer throws.
//
// The indexer reports recoverable outcomes (not found, duplicate, a torn tail
// dropped on open, a bad query) as return values. It throws only when the
// environment fails: a disk read or write, a fsync, a lock, a resource, or
// stored bytes that no longer match their checksum. Each such failure is an
// io_error carrying the context a person needs to act on it (STYLE.md §3):
//
//   * path()  — the file or folder involved (may be empty when none is);
//   * code()  — the operating-system error, when there is one (errno);
//   * message_hash() — the SHA-256 of the message concerned, when known.
//
// what() is one complete line, e.g.
//   "cannot read record: /a/store/seg-000003.czs: Input/output error [message 3a7f…]"
// so the CLI can print it as is.
//
// Thread-safety: an io_error is an immutable value; copy it freely.

#include <indexer/content_hash.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>

namespace cairn::index {

class io_error : public std::runtime_error {
public:
    /// `message` says what was being done ("cannot write record"), `path` where.
    io_error(const std::string& message, std::filesystem::path path, std::error_code code = {},
             std::optional<content_hash> message_hash = std::nullopt)
        : std::runtime_error(compose(message, path, code, message_hash))
        , path_(std::move(path))
        , code_(code)
        , message_hash_(message_hash) {}

    /// The file or folder the failure is about; empty when there is none.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// The operating system's error (errno as std::generic_category), or an
    /// empty code when the failure is cairn's own finding (a checksum mismatch).
    [[nodiscard]] std::error_code code() const noexcept { return code_; }

    /// The message the failure is about, when one is.
    [[nodiscard]] const std::optional<content_hash>& message_hash() const noexcept {
        return message_hash_;
    }

private:
    static std::string compose(const std::string& message, const std::filesystem::path& path,
                               std::error_code code, const std::optional<content_hash>& hash) {
        std::string line = message;
        if (!path.empty()) {
            line += ": " + path.string();
        }
        if (code) {
            line += ": " + code.message();
        }
        if (hash) {
            line += " [message " + hash->hex() + "]";
        }
        return line;
    }

    std::filesystem::path path_;
    std::error_code code_;
    std::optional<content_hash> message_hash_;
};

} // namespace cairn::index
