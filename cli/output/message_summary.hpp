#pragma once
// What `cairn parse` reports about a message: the envelope fields decoded and
// every leaf part measured (decoded size, SHA-256, defects). Computed once and
// printed either as JSON (the documented contract, docs/parse-json.md) or as a
// readable tree.

#include <mime/address.hpp>
#include <mime/date.hpp>
#include <mime/message.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cairn::cli {

struct part_summary {
    mime::part_id id = 0;
    std::uint32_t depth = 0;
    std::string content_type; ///< "type/subtype", lowercased
    std::optional<std::string> charset;
    std::optional<std::string> encoding;
    std::optional<std::string> disposition;
    std::optional<std::string> filename;
    std::uint64_t size = 0; ///< bytes after transfer decoding
    std::string sha256;     ///< of the transfer-decoded bytes
    std::vector<std::string> defects;
};

struct message_summary {
    std::optional<std::string> subject;
    std::vector<mime::mailbox> from, sender, reply_to, to, cc, bcc;
    std::optional<std::string> date; ///< RFC 3339
    std::optional<std::string> message_id;
    std::optional<std::string> in_reply_to;
    std::vector<std::string> references;
    std::vector<part_summary> parts;  ///< leaves, depth-first document order
    std::string text;                 ///< main body as UTF-8
    std::vector<std::string> defects; ///< message-level: the root's and every container's
};

[[nodiscard]] message_summary summarize(const mime::message& msg);

} // namespace cairn::cli
