// RFC 5322 §3.2 lexical analysis of structured header values.
#include "address_lexer.hpp"

#include <algorithm>
#include <array>

namespace cairn::mime::rfc5322 {

namespace {

// RFC 2047 §2 caps an encoded word at 75 bytes; real mailers exceed it, but a
// candidate this long is not one, and the cap keeps the lexer linear.
constexpr std::size_t max_encoded_word = 1024;

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

} // namespace

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

namespace {

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

} // namespace

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

addr_spec token_list::read_addr_spec(std::size_t i, std::size_t end) const {
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

} // namespace cairn::mime::rfc5322
