#pragma once
// message_record: what the archive keeps about one message besides its bytes.
// Built once from the parse (make_record) and written to the catalog and the
// full-text index by the ingest pipeline.

#include <indexer/content_hash.hpp>
#include <mime/message.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cairn::index {

struct address_entry {
    std::string name;    ///< decoded display name, "" when none
    std::string address; ///< addr-spec as written; lowercase it for matching
};

struct attachment_entry {
    std::uint32_t part = 0;  ///< part id in the parsed message (index into message::parts())
    std::string filename;    ///< decoded, "" when none
    std::string mime_type;   ///< lowercased type/subtype
    std::string disposition; ///< "attachment", "inline" or ""
    std::uint64_t size = 0;  ///< bytes after transfer decoding
    std::string sha256;      ///< hex, of the transfer-decoded bytes
};

struct message_record {
    content_hash hash;
    std::uint64_t size = 0;           ///< raw bytes
    std::string message_id;           ///< without brackets; "" when the message has none
    std::optional<std::int64_t> date; ///< unix seconds (UTC)
    int date_offset_minutes = 0;      ///< the sender's offset, for display
    std::string subject;              ///< decoded
    address_entry from;               ///< first From mailbox (empty when none)
    std::vector<address_entry> to, cc, bcc, reply_to;
    std::string in_reply_to;                   ///< first id, without brackets
    std::vector<std::string> references;       ///< without brackets, in order
    std::vector<attachment_entry> attachments; ///< parts a reader would call attachments
    std::vector<std::string> mime_types;       ///< every leaf part's type, lowercased, unique
    std::vector<std::string> defects;          ///< names, message-level and per part
    /// Every text part as UTF-8 (HTML turned to text), every alternative
    /// included, for indexing only.
    std::string body_text;
};

/// Builds the record of a parsed message. `raw_hash` is the SHA-256 of the raw bytes.
[[nodiscard]] message_record make_record(const mime::message& msg, const content_hash& raw_hash);

} // namespace cairn::index
