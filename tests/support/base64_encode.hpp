#pragma once
// A reference base64 encoder (RFC 4648 §4) for building test input: long
// bodies for the decoders' fast paths and encoded parts for whole messages.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::test {

/// `bytes` in base64, `line_length` characters a line, each line ended by `eol`.
inline std::string base64_encode(std::string_view bytes, std::size_t line_length,
                                 std::string_view eol) {
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    std::size_t column = 0;
    const auto put = [&](char c) {
        if (column == line_length) {
            text += eol;
            column = 0;
        }
        text += c;
        ++column;
    };
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t bits = 0;
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        for (std::size_t k = 0; k < 3; ++k) {
            bits = (bits << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0U);
        }
        for (std::size_t k = 0; k < 4; ++k) {
            put(k <= n ? alphabet[(bits >> (18 - 6 * k)) & 63U] : '=');
        }
    }
    return text + std::string(eol);
}

} // namespace cairn::test
