#pragma once
// What the charset units share, private to libmime: the encoding table
// (charset_labels.inc), label resolution (charset_labels.cpp), ISO-2022
// sniffing (charset_detect.cpp), single-byte tables (charset_tables.cpp) and
// the UTF-8 primitives the decoder (charset.cpp) runs in its inner loops.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cairn::mime::charset_detail {

enum class encoding_kind : std::uint8_t { utf8, single_byte, icu };

struct encoding_info {
    std::string_view name; ///< canonical (WHATWG) name
    const char* icu_name;  ///< ICU converter; nullptr for a built-in table
    encoding_kind kind;
};

#include "charset_labels.inc"

/// Trims whitespace and quotes, lower-cases, then WHATWG table, then ICU.
const encoding_info* lookup(std::string_view label);

/// Canonical names are labels of themselves, so this never fails for them.
const encoding_info& named(std::string_view canonical);

/// ISO-2022 text is 7-bit, so it passes as ASCII; its escape sequences tell.
std::string_view sniff_iso2022(std::string_view bytes);

// --- UTF-8 -------------------------------------------------------------------

enum class utf8_kind : std::uint8_t { valid, invalid, truncated };

struct utf8_step {
    utf8_kind kind;
    std::size_t length; ///< bytes of the scalar, of the maximal ill-formed subpart, or present
};

/// Classifies the sequence at p (< end) by Unicode Table 3-7 (well-formed
/// UTF-8). An invalid result's length is the "maximal subpart" that becomes one
/// U+FFFD (Unicode §3.9, the WHATWG decoder's behaviour).
inline utf8_step next_utf8(const unsigned char* p, const unsigned char* end) {
    const unsigned lead = p[0];
    if (lead < 0x80) {
        return {utf8_kind::valid, 1};
    }
    std::size_t trail = 0;
    unsigned low = 0x80;
    unsigned high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        trail = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        trail = 2;
        low = lead == 0xE0 ? 0xA0 : low;   // no overlongs
        high = lead == 0xED ? 0x9F : high; // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        trail = 3;
        low = lead == 0xF0 ? 0x90 : low;
        high = lead == 0xF4 ? 0x8F : high; // nothing above U+10FFFF
    } else {
        return {utf8_kind::invalid, 1};
    }
    const auto available = static_cast<std::size_t>(end - p);
    for (std::size_t i = 1; i <= trail; ++i) {
        if (i >= available) {
            return {utf8_kind::truncated, i};
        }
        if (p[i] < low || p[i] > high) {
            return {utf8_kind::invalid, i};
        }
        low = 0x80;
        high = 0xBF;
    }
    return {utf8_kind::valid, trail + 1};
}

/// A UTF-8 sequence cut by the end of one chunk of a stream (at most three
/// bytes), finished with the start of the next. Shared by the UTF-8 decoder
/// and by decode_text's check of undeclared text.
struct utf8_carry {
    std::array<unsigned char, 4> held{};
    std::size_t size = 0;

    void hold(const unsigned char* p, std::size_t n) noexcept {
        std::memcpy(held.data(), p, n);
        size = n;
    }

    /// Calls visit(step, bytes) for each sequence that starts among the held
    /// bytes, classified over them and up to three bytes of `in`, and removes
    /// from `in` the bytes that finished them. Returns false when they still
    /// make no whole sequence: then `in` (fewer than three bytes) is held too.
    template <class Visit>
    bool finish(std::string_view& in, Visit&& visit) {
        std::array<unsigned char, 8> joined{};
        const std::size_t take = std::min<std::size_t>(3, in.size());
        std::memcpy(joined.data(), held.data(), size);
        if (take != 0) {
            std::memcpy(joined.data() + size, in.data(), take);
        }
        const unsigned char* const end = joined.data() + size + take;
        const unsigned char* p = joined.data();
        while (p < joined.data() + size) {
            const utf8_step step = next_utf8(p, end);
            if (step.kind == utf8_kind::truncated) { // only when the input ran out
                hold(p, static_cast<std::size_t>(end - p));
                return false;
            }
            visit(step, p);
            p += step.length;
        }
        in.remove_prefix(static_cast<std::size_t>(p - joined.data()) - size);
        size = 0;
        return true;
    }
};

constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

/// Skips ASCII: 32 bytes at a time where SSE2 is there, then eight, then one.
inline const unsigned char* skip_ascii(const unsigned char* p, const unsigned char* end) {
#if defined(__SSE2__) // every x86-64 processor: a byte's high bit is what movemask collects
    for (; end - p >= 32; p += 32) {
        const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
        if (_mm_movemask_epi8(_mm_or_si128(a, b)) != 0) {
            break;
        }
    }
#endif
    while (end - p >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, sizeof word);
        if ((word & high_bits) != 0) {
            break;
        }
        p += 8;
    }
    while (p < end && *p < 0x80) {
        ++p;
    }
    return p;
}

inline const unsigned char* bytes_of(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

inline std::size_t put_utf8(char* out, char32_t c) {
    if (c < 0x80) {
        out[0] = static_cast<char>(c);
        return 1;
    }
    if (c < 0x800) {
        out[0] = static_cast<char>(0xC0 | (c >> 6));
        out[1] = static_cast<char>(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (c >> 12));
        out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (c >> 18));
    out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (c & 0x3F));
    return 4;
}

// --- single-byte tables ------------------------------------------------------

/// UTF-8 for bytes 0x80-0xFF; length 0 marks a byte the encoding leaves unmapped.
struct byte_table {
    std::array<std::array<char, 4>, 128> utf8{};
    std::array<std::uint8_t, 128> length{};
};

/// Built on first use per encoding, then shared by all threads.
const byte_table& single_byte_table(const encoding_info& info);

} // namespace cairn::mime::charset_detail
