// HTML character references: named ones from the WHATWG table
// (html_entities.inc), legacy names without ';', and numeric ones.
#include "html_entities.hpp"

#include "html_chars.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <string_view>

namespace cairn::mime::html {
namespace {

struct named_ref {
    std::string_view name; // without the ';'
    std::string_view value;
    bool legacy; // also recognised without ';' (HTML 4 era names)
};

constexpr named_ref named_refs[] = {
#include "html_entities.inc"
};

static_assert(std::is_sorted(std::begin(named_refs), std::end(named_refs),
                             [](const named_ref& a, const named_ref& b) {
                                 return a.name < b.name;
                             }),
              "html_entities.inc must be sorted; regenerate it with scripts/gen_html_entities.py");

// The longest legacy name ("middot", "frac34", …) bounds the prefix search.
constexpr std::size_t max_legacy_length = [] {
    std::size_t n = 0;
    for (const auto& ref : named_refs) {
        if (ref.legacy)
            n = std::max(n, ref.name.size());
    }
    return n;
}();

// Longer than any name in the table ("CounterClockwiseContourIntegral" is 31).
constexpr std::size_t max_name_length = 32;

const named_ref* find_named(std::string_view name, bool need_legacy) {
    const auto* it =
        std::lower_bound(std::begin(named_refs), std::end(named_refs), name,
                         [](const named_ref& r, std::string_view n) { return r.name < n; });
    if (it == std::end(named_refs) || it->name != name || (need_legacy && !it->legacy))
        return nullptr;
    return it;
}

// WHATWG "numeric character reference end state": browsers read &#128;–&#159;
// as windows-1252, because that is what such pages meant.
constexpr std::array<char32_t, 32> windows_1252_c1 = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string_view encode_utf8(char32_t cp, std::array<char, 4>& buf) {
    if (cp < 0x80) {
        buf[0] = static_cast<char>(cp);
        return {buf.data(), 1};
    }
    if (cp < 0x800) {
        buf[0] = static_cast<char>(0xC0 | (cp >> 6));
        buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return {buf.data(), 2};
    }
    if (cp < 0x10000) {
        buf[0] = static_cast<char>(0xE0 | (cp >> 12));
        buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return {buf.data(), 3};
    }
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return {buf.data(), 4};
}

char_ref numeric_reference(std::string_view in, std::size_t amp, std::array<char, 4>& buf) {
    std::size_t p = amp + 2;
    const bool hex = p < in.size() && (in[p] == 'x' || in[p] == 'X');
    if (hex)
        ++p;
    const std::size_t digits_start = p;
    char32_t cp = 0;
    for (; p < in.size(); ++p) {
        const char c = to_lower(in[p]);
        unsigned digit = 0;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else
            break;
        // Saturate just past the Unicode range so long inputs cannot overflow.
        cp = std::min<char32_t>(cp * (hex ? 16 : 10) + digit, 0x110000);
    }
    if (p == digits_start)
        return {}; // "&#" or "&#x" with no digits is text
    if (p < in.size() && in[p] == ';')
        ++p;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    else if (cp >= 0x80 && cp <= 0x9F)
        cp = windows_1252_c1[cp - 0x80];
    return {p, encode_utf8(cp, buf)};
}

} // namespace

char_ref decode_char_ref(std::string_view in, std::size_t amp, std::array<char, 4>& buf) {
    const std::size_t start = amp + 1;
    if (start < in.size() && in[start] == '#')
        return numeric_reference(in, amp, buf);
    std::size_t end = start;
    while (end < in.size() && end - start < max_name_length && is_alnum(in[end]))
        ++end;
    const std::string_view name = in.substr(start, end - start);
    if (end < in.size() && in[end] == ';') {
        if (const named_ref* ref = find_named(name, false))
            return {end + 1, ref->value};
    }
    // WHATWG: the longest legacy name that prefixes the run matches without
    // ';' ("&copy2024" → "©2024", "&amp" → "&").
    for (std::size_t len = std::min(name.size(), max_legacy_length); len >= 2; --len) {
        if (const named_ref* ref = find_named(name.substr(0, len), true))
            return {start + len, ref->value};
    }
    return {}; // unknown: kept as written
}

} // namespace cairn::mime::html
