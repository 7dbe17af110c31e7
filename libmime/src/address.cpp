// Address lists (RFC 5322 §3.4, obsolete forms §4.4) and msg-id lists (§3.6.4),
// read the way mail clients read them: a lexer for the §3.2 tokens, then one
// linear pass that splits list elements and picks out phrase and addr-spec.
#include <mime/address.hpp>
#include <mime/encoded_word.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace cairn::mime {

namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

// RFC 2047 §2 caps an encoded word at 75 bytes; real mailers exceed it, but a
// candidate this long is not one, and the cap keeps the lexer linear.
constexpr std::size_t max_encoded_word = 1024;

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

/// RFC 5322 §3.2.3 specials that structure a list, and white space. `)`, `]`
/// and `\` outside their constructs are kept inside atoms, shown as text.
constexpr auto delimiters = [] {
    std::array<bool, 256> table{};
    for (unsigned char c : std::string_view("(\"[<>@,;:. \t\r\n")) {
        table[c] = true;
    }
    return table;
}();

constexpr bool is_delimiter(char c) noexcept {
    return delimiters[static_cast<unsigned char>(c)];
}

/// Length of the RFC 2047 encoded word at `s[i]`, or 0. Encoded words are taken
/// whole even when their text holds specials (`=?utf-8?Q?Doe,_Jane?=`), as
/// mail clients do; the word is decoded later by decode_header_text().
std::size_t encoded_word_length(std::string_view s, std::size_t i) noexcept {
    if (s.substr(i, 2) != "=?") {
        return 0;
    }
    int question_marks = 0;
    const std::size_t limit = std::min(s.size(), i + max_encoded_word);
    for (std::size_t j = i + 2; j < limit && !is_space(s[j]); ++j) {
        if (s[j] != '?') {
            continue;
        }
        // =?charset?X?text?= : the third '?' must close the word.
        if (++question_marks == 3) {
            return j + 1 < s.size() && s[j + 1] == '=' ? j + 2 - i : 0;
        }
    }
    return 0;
}

struct delimited {
    std::size_t end; ///< index after the closer, or the input size
    bool closed;
};

/// The extent of a comment or quoted string opened at `s[i]`; comments nest
/// (RFC 5322 §3.2.2). An unclosed one runs to the end of the value.
delimited skip_delimited(std::string_view s, std::size_t i, char open, char close) noexcept {
    int depth = 1;
    for (std::size_t j = i + 1; j < s.size(); ++j) {
        if (s[j] == '\\') {
            ++j;
        } else if (s[j] == close) {
            if (--depth == 0) {
                return {j + 1, true};
            }
        } else if (s[j] == open) {
            ++depth;
        }
    }
    return {s.size(), false};
}

/// RFC 5322 §3.2 lexical analysis; folding is white space like any other.
std::vector<token> lex(std::string_view s) {
    std::vector<token> out;
    out.reserve(s.size() / 6 + 4);
    bool space = false;
    bool repaired = false;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (is_space(c)) {
            space = true;
            ++i;
            continue;
        }
        token t{kind::special, 0, space, true, {}};
        std::size_t end = i + 1;
        if (c == '(' || c == '"') {
            delimited d =
                c == '(' ? skip_delimited(s, i, '(', ')') : skip_delimited(s, i, '"', '"');
            if (!d.closed && !repaired) {
                // `"Jane Doe <jane@x>` — the closer was forgotten, not the
                // address: end the quote or comment at the next '<'. Done once
                // only, since each unclosed construct scans to the end.
                d.end = std::min(s.find('<', i), s.size());
                repaired = true;
            }
            end = d.end;
            t.closed = d.closed;
            t.k = c == '(' ? kind::comment : kind::quoted;
            t.text = s.substr(i + 1, end - i - 1 - (d.closed ? 1 : 0));
        } else if (c == '[') {
            end = s.find(']', i);
            end = end == std::string_view::npos ? s.size() : end + 1;
            t.k = kind::literal;
            t.text = s.substr(i, end - i);
        } else if (is_delimiter(c)) {
            t.ch = c;
            t.text = s.substr(i, 1);
        } else {
            end = i;
            while (end < s.size() && !is_delimiter(s[end])) {
                const std::size_t word = encoded_word_length(s, end);
                end += word == 0 ? 1 : word;
            }
            t.k = kind::atom;
            t.text = s.substr(i, end - i);
        }
        out.push_back(t);
        space = false;
        i = end;
    }
    return out;
}

/// Appends quoted-string or comment content with quoted-pairs resolved and
/// folding CRLFs removed (RFC 5322 §3.2.1, §3.2.2).
void append_unescaped(std::string& out, std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\\') {
            if (++i == text.size()) {
                break; // a lone backslash at the end of an unclosed construct
            }
            c = text[i];
        } else if (c == '\r' || c == '\n') {
            continue;
        }
        out.push_back(c);
    }
}

/// RFC 5322 §3.2.3 atext, extended with 8-bit bytes (RFC 6532 §3.2).
constexpr bool is_atext(char c) noexcept {
    return !is_delimiter(c) && c != ')' && c != ']' && c != '\\' &&
           (static_cast<unsigned char>(c) > 0x20);
}

bool is_dot_atom(std::string_view s) noexcept {
    if (s.empty() || s.front() == '.' || s.back() == '.') {
        return false;
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i])) {
            return false;
        }
    }
    return true;
}

/// A quoted local-part word: RFC 5322 §3.4.1 makes `"jane"` and `jane` the
/// same, so quotes are kept only where the content needs them.
void append_local_word(std::string& out, const token& t) {
    if (t.k != kind::quoted) {
        out += t.text;
        return;
    }
    std::string content;
    append_unescaped(content, t.text);
    if (is_dot_atom(content)) {
        out += content;
        return;
    }
    out.push_back('"');
    for (char c : content) {
        if (c == '"' || c == '\\') {
            out.push_back('\\');
        }
        out.push_back(c);
    }
    out.push_back('"');
}

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

bool is_word(const token& t) noexcept {
    return t.k == kind::atom || t.k == kind::quoted;
}

bool is_special(const token& t, char c) noexcept {
    return t.k == kind::special && t.ch == c;
}

struct addr_spec {
    std::string text;
    std::size_t end; ///< index after the last token that belongs to it
};

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
    [[nodiscard]] addr_spec read_addr_spec(std::size_t i, std::size_t end) const {
        addr_spec spec{{}, i};
        bool want_word = true;
        bool in_domain = false;
        for (i = skip_comments(i, end); i < end; i = skip_comments(i + 1, end)) {
            const token& t = tokens_[i];
            if (is_special(t, '.')) {
                want_word = true;
                spec.text.push_back('.');
            } else if (is_special(t, '@') && !in_domain) {
                in_domain = true;
                want_word = true;
                spec.text.push_back('@');
            } else if (want_word && (is_word(t) || (in_domain && t.k == kind::literal))) {
                want_word = false;
                append_local_word(spec.text, t);
            } else {
                break;
            }
            spec.end = i + 1;
        }
        return spec;
    }

    /// The display phrase in [begin, end), decoded (RFC 5322 §3.2.5 phrase plus
    /// obs-phrase's unquoted dots); comments are left out.
    [[nodiscard]] std::string phrase(std::size_t begin, std::size_t end) const {
        std::string raw;
        bool gap = false;
        for (std::size_t i = begin; i < end; ++i) {
            const token& t = tokens_[i];
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
    void append_comments(std::string& raw, std::size_t begin, std::size_t end) const {
        for (std::size_t i = begin; i < end; ++i) {
            if (tokens_[i].k == kind::comment) {
                if (!raw.empty()) {
                    raw.push_back(' ');
                }
                append_unescaped(raw, tokens_[i].text);
            }
        }
    }

private:
    std::vector<token> tokens_;
};

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
                group_ = tokens_.phrase(begin_, i);
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
        std::string name = tokens_.phrase(begin_, first_open_);
        if (name.empty()) {
            std::string raw;
            tokens_.append_comments(raw, begin_, first_open_);
            tokens_.append_comments(raw, std::min(close_ + 1, end), end);
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
            std::string name = tokens_.phrase(begin, local);
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
        tokens_.append_comments(raw, begin, local);
        tokens_.append_comments(raw, spec_end, end);
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

} // namespace cairn::mime
