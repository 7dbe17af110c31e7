#pragma once
// RFC 5322 §3.4 address lists (From, To, Cc, Reply-To …), decoded.
//
// Beyond the grammar it accepts what real mail contains: obsolete routes
// (`<@a,@b:user@host>`, RFC 5322 §4.4), comments anywhere, a comment as the
// display name when there is no phrase (`user@host (Jane Doe)`), groups
// (`Team: a@x, b@y;` — members kept), missing angle brackets
// (`Jane Doe jane@example.com`), unquoted dots and commas in names,
// `;` used as a list separator (Outlook), empty list elements, RFC 2047 words in
// names (also inside quotes), and UTF-8 addresses (RFC 6532). Never fails: junk
// that holds no address is skipped.

#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {

struct mailbox {
    std::string name;    ///< display name, decoded UTF-8; empty when there is none
    std::string address; ///< addr-spec `local@domain` as written (quotes kept where needed), or
                         ///< what stood in its place
    std::string group;   ///< name of the group it was listed in, empty when none
    friend bool operator==(const mailbox&, const mailbox&) = default;
};

/// Parses a raw (possibly folded) address-list header value.
[[nodiscard]] std::vector<mailbox> parse_address_list(std::string_view raw_value);

/// Parses msg-id lists (Message-ID, In-Reply-To, References): the ids without
/// angle brackets, in order. Tolerates comments, missing brackets (a bare
/// `id@host` token is taken), and junk between ids (skipped).
[[nodiscard]] std::vector<std::string> parse_message_ids(std::string_view raw_value);

class message;
struct part;

/// The mailboxes of every `name` field of part `p`, in order: recipients split
/// over duplicate To/Cc fields (as some mailers write them) are all kept.
[[nodiscard]] std::vector<mailbox> header_mailboxes(const message& msg, const part& p,
                                                    std::string_view name);

/// The message ids of every `name` field of part `p`, in order.
[[nodiscard]] std::vector<std::string> header_message_ids(const message& msg, const part& p,
                                                          std::string_view name);

} // namespace cairn::mime
