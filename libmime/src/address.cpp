// Address lists (RFC 5322 §3.4, obsolete forms §4.4) and msg-id lists (§3.6.4),
// read the way mail clients read them: the §3.2 tokens (address_lexer.hpp), then
// one linear pass that splits list elements and picks out phrase and addr-spec.
#include "address_lexer.hpp"

#include <mime/address.hpp>
#include <mime/encoded_word.hpp>
#include <mime/message.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>

namespace cairn::mime {

namespace {

using namespace rfc5322;

constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Whitespace runs become one space; the ends are trimmed.
std::string collapse_space(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool gap = false;
    for (char c : text) {
        if (is_space(c)) {
            gap = !out.empty();
            continue;
        }
        if (gap) {
            out.push_back(' ');
            gap = false;
        }
        out.push_back(c);
    }
    return out;
}

/// RFC 2047 decoding is only needed for encoded words and 8-bit bytes.
std::string decode_text(const std::string& raw) {
    bool plain = raw.find("=?") == std::string::npos;
    for (std::size_t i = 0; plain && i < raw.size(); ++i) {
        plain = static_cast<unsigned char>(raw[i]) < 0x80;
    }
    return plain ? collapse_space(raw) : collapse_space(decode_header_text(raw));
}

// A group name longer than a header line (RFC 5322 §2.1.1) is junk; the cap
// bounds the copy of it that each member carries.
constexpr std::size_t max_group_name = 998;

void truncate_utf8(std::string& s, std::size_t max) {
    if (s.size() > max) {
        std::size_t n = max;
        while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
            --n; // do not cut a UTF-8 sequence in two
        }
        s.resize(n);
    }
}

/// The display phrase in [begin, end), decoded (RFC 5322 §3.2.5 phrase plus
/// obs-phrase's unquoted dots); comments are left out.
std::string phrase(const token_list& tokens, std::size_t begin, std::size_t end) {
    std::string raw;
    bool gap = false;
    for (std::size_t i = begin; i < end; ++i) {
        const token& t = tokens[i];
        if (t.k == kind::comment) {
            gap = true;
            continue;
        }
        if (!raw.empty() && (gap || t.space_before)) {
            raw.push_back(' ');
        }
        gap = false;
        if (t.k == kind::quoted) {
            append_unescaped(raw, t.text);
        } else {
            raw += t.text;
        }
    }
    return decode_text(raw);
}

/// The comments in [begin, end), joined by spaces (raw, for decode_text).
void append_comments(const token_list& tokens, std::string& raw, std::size_t begin,
                     std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        if (tokens[i].k == kind::comment) {
            if (!raw.empty()) {
                raw.push_back(' ');
            }
            append_unescaped(raw, tokens[i].text);
        }
    }
}

/// One pass over the tokens of an address list.
class list_reader {
public:
    explicit list_reader(std::string_view raw)
        : tokens_(raw) {}

    std::vector<mailbox> read() {
        const std::size_t n = tokens_.size();
        for (std::size_t i = 0; i < n; ++i) {
            const token& t = tokens_[i];
            if (t.k == kind::comment) {
                continue;
            }
            if (in_angle_) {
                if (!angle_token(i)) {
                    continue;
                }
            } else if (close_ != npos && !is_special(t, ',') && !is_special(t, ';')) {
                after_angle(i);
                continue;
            }
            if (is_special(t, ',') || is_special(t, ';')) {
                // ';' ends a group (RFC 5322 §3.4); outside one it is Outlook's
                // list separator.
                finish_element(i);
                begin_ = i + 1;
                if (t.ch == ';') {
                    group_.clear();
                }
            } else if (is_special(t, '<')) {
                first_open_ = open_ = i;
                in_angle_ = true;
            } else if (is_special(t, '@')) {
                seen_at_ = true;
            } else if (is_special(t, ':') && !seen_at_) {
                // group = display-name ":" [group-list] ";" (RFC 5322 §3.4)
                group_ = phrase(tokens_, begin_, i);
                truncate_utf8(group_, max_group_name);
                begin_ = i + 1;
            }
        }
        if (in_angle_) {
            close_ = n; // missing '>' at the end of the value
        }
        finish_element(n);
        return std::move(out_);
    }

private:
    /// Inside `<…>`. Returns true when the token ends the element (a ',' or ';'
    /// where the '>' was forgotten), false when it was consumed here.
    bool angle_token(std::size_t i) {
        const token& t = tokens_[i];
        if (is_special(t, '>')) {
            close_ = i;
            in_angle_ = false;
        } else if (is_special(t, '<')) {
            open_ = i; // "<<jane@example.com>>"
        } else if (is_special(t, ',') || is_special(t, ';')) {
            // obs-route "<@a,@b:user@host>" (RFC 5322 §4.4) keeps its commas.
            const std::size_t next = tokens_.skip_comments(i + 1, tokens_.size());
            if (t.ch == ',' && next < tokens_.size() && is_special(tokens_[next], '@')) {
                return false;
            }
            close_ = i;
            in_angle_ = false;
            return true;
        }
        return false;
    }

    /// After `<…>`: junk is ignored, but a second `<` means a missing comma
    /// (`"A" <a@x> "B" <b@y>`), so the element is split where the junk began.
    void after_angle(std::size_t i) {
        if (after_close_ == npos) {
            after_close_ = i;
        }
        if (is_special(tokens_[i], '<')) {
            const std::size_t begin = after_close_;
            finish_element(begin);
            begin_ = begin;
            first_open_ = open_ = i;
            in_angle_ = true;
        }
    }

    void finish_element(std::size_t end) {
        if (open_ != npos) {
            angle_element(end);
        } else {
            bare_element(begin_, end);
        }
        first_open_ = open_ = close_ = after_close_ = npos;
        in_angle_ = seen_at_ = false;
    }

    /// [phrase] "<" [obs-route] addr-spec ">" [junk]
    void angle_element(std::size_t end) {
        std::size_t start = open_ + 1;
        for (std::size_t i = start; i < close_; ++i) {
            if (is_special(tokens_[i], ':')) {
                start = i + 1; // obs-route, or "mailto:" junk
            }
        }
        const addr_spec spec = tokens_.read_addr_spec(start, close_);
        std::string name = phrase(tokens_, begin_, first_open_);
        if (name.empty()) {
            std::string raw;
            append_comments(tokens_, raw, begin_, first_open_);
            append_comments(tokens_, raw, std::min(close_ + 1, end), end);
            name = decode_text(raw);
        }
        emit(std::move(name), spec.text);
    }

    /// Elements without angle brackets: `addr-spec [(comment)]`, a bare local
    /// part, or the missing-brackets form `Jane Doe jane@example.com`. Several
    /// addr-specs with no comma between them each make a mailbox.
    void bare_element(std::size_t begin, std::size_t end) {
        std::size_t at = find_at(begin, end);
        if (at == npos) {
            // A lone word is a local part without a domain ("postmaster");
            // several words with no address are junk and skipped.
            const std::size_t first = tokens_.skip_comments(begin, end);
            const addr_spec spec = tokens_.read_addr_spec(first, end);
            if (first < end && is_word(tokens_[first]) &&
                tokens_.skip_comments(spec.end, end) == end) {
                emit(comment_name(begin, first, spec.end, end), spec.text);
            }
            return;
        }
        while (at != npos) {
            const std::size_t local = local_part_start(begin, at);
            const addr_spec spec = tokens_.read_addr_spec(local, end);
            const std::size_t next_at = find_at(std::max(spec.end, at + 1), end);
            const std::size_t stop = next_at == npos ? end : tokens_.skip_comments(spec.end, end);
            std::string name = phrase(tokens_, begin, local);
            if (name.empty()) {
                name = comment_name(begin, local, spec.end, stop);
            }
            if (spec.text != "@") {
                emit(std::move(name), spec.text);
            }
            begin = stop;
            at = next_at;
        }
    }

    [[nodiscard]] std::size_t find_at(std::size_t begin, std::size_t end) const noexcept {
        for (std::size_t i = begin; i < end; ++i) {
            if (is_special(tokens_[i], '@')) {
                return i;
            }
        }
        return npos;
    }

    /// Walks back from '@' over `word *("." word)`. A dot that follows a word
    /// directly and is followed by a space ends the walk: "Dr. jane@x" has the
    /// phrase "Dr." while `john . doe@x` (obs-local-part) is one local part.
    [[nodiscard]] std::size_t local_part_start(std::size_t begin, std::size_t at) const noexcept {
        std::size_t start = at;
        bool after_word = false;
        for (std::size_t i = at; i > begin;) {
            const token& t = tokens_[--i];
            if (t.k == kind::comment) {
                continue;
            }
            if (is_word(t) && !after_word) {
                after_word = true;
            } else if (is_special(t, '.') &&
                       (start == at || !(tokens_[start].space_before && !t.space_before))) {
                after_word = false;
            } else {
                break;
            }
            start = i;
        }
        return start;
    }

    /// `jane@example.com (Jane Doe)`: with no phrase, comments outside the
    /// addr-spec name the mailbox (as Python's email.utils does).
    [[nodiscard]] std::string comment_name(std::size_t begin, std::size_t local,
                                           std::size_t spec_end, std::size_t end) const {
        std::string raw;
        append_comments(tokens_, raw, begin, local);
        append_comments(tokens_, raw, spec_end, end);
        return decode_text(raw);
    }

    /// A mailbox needs an address, except the named null address of bounces
    /// (`From: MAILER DAEMON <>`, RFC 5321 §4.5.5), kept for its name.
    void emit(std::string name, const std::string& address) {
        if (!address.empty() || !name.empty()) {
            out_.push_back(mailbox{std::move(name), address, group_});
        }
    }

    token_list tokens_;
    std::vector<mailbox> out_;
    std::string group_;
    std::size_t begin_ = 0;          ///< first token of the current element
    std::size_t first_open_ = npos;  ///< its '<' (the phrase ends there)
    std::size_t open_ = npos;        ///< the innermost '<' ("<<a@b>>")
    std::size_t close_ = npos;       ///< its '>' (or where the '>' should have been)
    std::size_t after_close_ = npos; ///< first token after the '>'
    bool in_angle_ = false;
    bool seen_at_ = false;
};

} // namespace

std::vector<mailbox> parse_address_list(std::string_view raw_value) {
    return list_reader(raw_value).read();
}

namespace {

/// A msg-id's tokens in [begin, end) as written, minus CFWS (RFC 5322 §3.6.4;
/// obs-id-left §4.5.4) and the spaces broken mailers put inside the brackets.
/// Ids are compared as strings, so quoted words are not normalised here.
void append_id(std::string& id, const token_list& tokens, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        const token& t = tokens[i];
        if (t.k == kind::quoted) {
            id.push_back('"');
            id += t.text;
            if (t.closed) {
                id.push_back('"');
            }
        } else if (t.k != kind::comment) {
            id += t.text;
        }
    }
}

} // namespace

std::vector<std::string> parse_message_ids(std::string_view raw_value) {
    const token_list tokens(raw_value);
    const std::size_t n = tokens.size();
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < n;) {
        if (!is_special(tokens[i++], '<')) {
            continue; // junk between ids: words, quoted strings, comments
        }
        // A '<' or the end closes an id whose '>' is missing.
        const std::size_t begin = i;
        while (i < n && !is_special(tokens[i], '>') && !is_special(tokens[i], '<')) {
            ++i;
        }
        std::string id;
        append_id(id, tokens, begin, i);
        if (!id.empty()) {
            ids.push_back(std::move(id));
        }
    }
    if (!ids.empty()) {
        return ids;
    }
    // No bracketed id: the mailer dropped the brackets, so bare `id@host`
    // tokens are taken. Not otherwise, since "In-Reply-To: message from
    // jane@example.com <id@host>" names an address in its junk.
    for (std::size_t i = 0; i < n;) {
        const addr_spec spec = is_word(tokens[i]) ? tokens.read_addr_spec(i, n) : addr_spec{{}, i};
        if (spec.text.find('@') == std::string::npos || spec.text.back() == '@') {
            i = std::max(spec.end, i + 1); // a chain read once: linear time
            continue;
        }
        std::string id;
        append_id(id, tokens, i, spec.end);
        ids.push_back(std::move(id));
        i = spec.end;
    }
    return ids;
}

namespace {

// Every field of that name parsed by `parse`, the results concatenated.
template <typename Parse>
auto parse_every_field(const message& msg, const part& p, std::string_view name, Parse parse) {
    decltype(parse(std::string_view{})) all;
    for (const std::string_view value : msg.headers(p, name)) {
        auto one = parse(value);
        all.insert(all.end(), std::make_move_iterator(one.begin()),
                   std::make_move_iterator(one.end()));
    }
    return all;
}

} // namespace

std::vector<mailbox> header_mailboxes(const message& msg, const part& p, std::string_view name) {
    return parse_every_field(msg, p, name, parse_address_list);
}

std::vector<std::string> header_message_ids(const message& msg, const part& p,
                                            std::string_view name) {
    return parse_every_field(msg, p, name, parse_message_ids);
}

} // namespace cairn::mime
