#pragma once
// Lexical helpers for MIME values (RFC 2045 §5.1 tokens, RFC 5322 §3.2.2
// comments and folding white space, hex digits), shared by the Content-Type,
// Content-Disposition and Content-Transfer-Encoding readers and the decoders.

#include <array>
#include <cstddef>
#include <string_view>

namespace cairn::mime::detail {

/// Space, tab, or the CR/LF of a fold (values may still be folded).
constexpr bool is_fws(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/// RFC 2045 §5.1: token := 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>.
/// A table, since this runs for every byte of every parameter.
inline constexpr auto token_chars = [] {
    std::array<bool, 256> table{};
    constexpr std::string_view tspecials = "()<>@,;:\\\"/[]?=";
    for (int c = '!'; c < 127; ++c) {
        table[static_cast<std::size_t>(c)] =
            tspecials.find(static_cast<char>(c)) == std::string_view::npos;
    }
    return table;
}();

constexpr bool is_token_char(char c) noexcept {
    return token_chars[static_cast<unsigned char>(c)];
}

/// The value of a hex digit in either case (RFC 2045 §6.7 `=XX`, RFC 2231 `%XX`), or -1.
constexpr int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

/// Skips white space, folds and comments (nested, with quoted-pairs; an
/// unterminated comment runs to the end). Returns the offset of the next other byte.
constexpr std::size_t skip_cfws(std::string_view text, std::size_t at) noexcept {
    int depth = 0;
    for (; at < text.size(); ++at) {
        const char c = text[at];
        if (depth > 0 && c == '\\') {
            ++at;
        } else if (c == '(') {
            ++depth;
        } else if (depth > 0 && c == ')') {
            --depth;
        } else if (depth == 0 && !is_fws(c)) {
            break;
        }
    }
    return at < text.size() ? at : text.size();
}

/// The end of the run of token characters starting at `at`.
constexpr std::size_t skip_token(std::string_view text, std::size_t at) noexcept {
    while (at < text.size() && is_token_char(text[at])) {
        ++at;
    }
    return at;
}

} // namespace cairn::mime::detail
