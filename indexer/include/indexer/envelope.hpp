#pragma once
// Where a message came from. Every source (an .eml file, a maildir entry, a span
// of an mbox, an SMTP/LMTP delivery) produces raw bytes plus an envelope; all
// that happens after is shared.

#include <cstdint>
#include <string>
#include <vector>

namespace cairn::index {

enum class source_kind : std::uint8_t { file, maildir, mbox, smtp, lmtp };

struct envelope {
    source_kind kind = source_kind::file;
    /// The file (eml, maildir entry, mbox). SMTP/LMTP: the delivery's queue id,
    /// which keeps each delivery of the same bytes a source of its own.
    std::string path;
    std::uint64_t offset = 0; ///< mbox: byte offset of the message (after its From line)
    std::string
        folder;        ///< maildir folder / mbox name relative to the indexed root ("" at the root)
    std::string flags; ///< maildir flags from the file name, e.g. "FS"
    std::int64_t mtime = 0; ///< file modification time (seconds), 0 when not a file
    std::uint64_t file_size = 0;
    // SMTP / LMTP
    std::string client_address;
    std::string helo;
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    bool tls = false;
    std::int64_t received_at = 0; ///< unix seconds
};

} // namespace cairn::index
