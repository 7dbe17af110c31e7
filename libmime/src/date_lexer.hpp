#pragma once
// The Date header's tokens (numbers, words, the punctuation that matters) as
// the date reader in date.cpp sees them. Private to libmime.

#include <array>
#include <cstddef>
#include <string_view>

namespace cairn::mime::date_lexer {

// A Date value longer than this many tokens is junk past the useful part; the
// fields all appear within the first few tokens of every form we accept.
constexpr std::size_t max_tokens = 32;

enum class token_kind : unsigned char { number, word, colon, plus, minus, dot };

struct token {
    token_kind kind;
    std::string_view text;
    bool space_before; ///< whitespace, a comment or a separator precedes it
};

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

constexpr bool is_alpha(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Splits the value into numbers, words and the punctuation that matters.
/// Comments (nested, RFC 5322 §3.2.2) and other bytes only separate tokens.
class tokenizer {
public:
    explicit tokenizer(std::string_view text) noexcept {
        std::size_t i = 0;
        bool gap = true;
        while (i < text.size() && count_ < max_tokens) {
            const char c = text[i];
            if (c == '(') {
                i = skip_comment(text, i);
                gap = true;
                continue;
            }
            std::size_t end = i + 1;
            token_kind kind{};
            if (is_digit(c)) {
                while (end < text.size() && is_digit(text[end])) {
                    ++end;
                }
                kind = token_kind::number;
            } else if (is_alpha(c)) {
                while (end < text.size() && is_alpha(text[end])) {
                    ++end;
                }
                kind = token_kind::word;
            } else if (c == ':') {
                kind = token_kind::colon;
            } else if (c == '+') {
                kind = token_kind::plus;
            } else if (c == '-') {
                kind = token_kind::minus;
            } else if (c == '.') {
                kind = token_kind::dot;
            } else {
                // Whitespace, commas, slashes, 8-bit junk: separators only.
                ++i;
                gap = true;
                continue;
            }
            tokens_[count_++] = token{kind, text.substr(i, end - i), gap};
            gap = false;
            i = end;
        }
    }

    [[nodiscard]] std::size_t size() const noexcept { return count_; }

    [[nodiscard]] const token& operator[](std::size_t i) const noexcept { return tokens_[i]; }

    [[nodiscard]] bool is(std::size_t i, token_kind kind) const noexcept {
        return i < count_ && tokens_[i].kind == kind;
    }

private:
    static std::size_t skip_comment(std::string_view text, std::size_t i) noexcept {
        int depth = 0;
        for (; i < text.size(); ++i) {
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == '(') {
                ++depth;
            } else if (text[i] == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return i;
    }

    std::array<token, max_tokens> tokens_; // only [0, count_) is ever read
    std::size_t count_ = 0;
};

} // namespace cairn::mime::date_lexer
