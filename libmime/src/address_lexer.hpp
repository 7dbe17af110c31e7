#pragma once
// RFC 5322 §3.2 lexical tokens of structured header fields (address lists,
// msg-id lists), as the address and message-id readers in address.cpp see them.
// Private to libmime. Folding is white space like any other; comments nest;
// unclosed quotes and comments are repaired rather than rejected.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime::rfc5322 {

enum class kind : std::uint8_t { atom, quoted, comment, literal, special };

struct token {
    kind k;
    char ch;               ///< the character of a special, else 0
    bool space_before;     ///< white space (or folding) precedes the token
    bool closed;           ///< a quoted string or comment has its closer
    std::string_view text; ///< atom / literal as written; quoted / comment without delimiters
};

constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline bool is_word(const token& t) noexcept {
    return t.k == kind::atom || t.k == kind::quoted;
}

inline bool is_special(const token& t, char c) noexcept {
    return t.k == kind::special && t.ch == c;
}

/// Splits a header value into tokens; the views point into `s`. Linear time.
[[nodiscard]] std::vector<token> lex(std::string_view s);

/// Appends quoted-string or comment content with quoted-pairs resolved and
/// folding CRLFs removed (RFC 5322 §3.2.1, §3.2.2).
void append_unescaped(std::string& out, std::string_view text);

/// Appends a local-part word; a quoted one keeps its quotes only where the
/// content needs them (RFC 5322 §3.4.1: `"jane"` and `jane` are the same).
void append_local_word(std::string& out, const token& t);

struct addr_spec {
    std::string text;
    std::size_t end; ///< index after the last token that belongs to it
};

/// The tokens of one header value.
class token_list {
public:
    explicit token_list(std::string_view raw)
        : tokens_(lex(raw)) {}

    [[nodiscard]] std::size_t size() const noexcept { return tokens_.size(); }

    [[nodiscard]] const token& operator[](std::size_t i) const noexcept { return tokens_[i]; }

    /// First index in [i, end) that is not a comment, or `end`.
    [[nodiscard]] std::size_t skip_comments(std::size_t i, std::size_t end) const noexcept {
        while (i < end && tokens_[i].k == kind::comment) {
            ++i;
        }
        return i;
    }

    /// local-part ["@" domain] from `i`, with CFWS between the parts removed
    /// (obs-local-part and obs-domain, RFC 5322 §4.4: `jdoe@test  . example`).
    [[nodiscard]] addr_spec read_addr_spec(std::size_t i, std::size_t end) const;

private:
    std::vector<token> tokens_;
};

} // namespace cairn::mime::rfc5322
