#pragma once

// Character classes of the HTML tokenizer, private to libmime (html_text.cpp
// and the units it uses).

namespace cairn::mime::html {

inline bool is_alpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool is_alnum(char c) {
    return is_alpha(c) || (c >= '0' && c <= '9');
}

// HTML's ASCII whitespace (tokenizer §13.2.5); U+00A0 is handled separately.
inline bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

inline char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

} // namespace cairn::mime::html
