#pragma once
// Helpers shared by the fuzz targets: a check that aborts (so libFuzzer and the
// replay driver both see the failure) and an independent UTF-8 validator, so a
// bug in libmime's own is_valid_utf8 cannot hide a bad conversion.

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace cairn::fuzz {

/// Aborts with `what` when `ok` is false.
inline void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz check failed: %s\n", what);
        std::abort();
    }
}

/// Well-formed UTF-8 per RFC 3629 §4 (no overlongs, no surrogates, ≤ U+10FFFF).
inline bool utf8_ok(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        unsigned lo = 0x80;
        unsigned hi = 0xbf;
        if (b < 0x80) {
            ++i;
            continue;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            n = 1;
        } else if (b >= 0xe0 && b <= 0xef) {
            n = 2;
            lo = b == 0xe0 ? 0xa0 : 0x80; // no overlongs
            hi = b == 0xed ? 0x9f : 0xbf; // no surrogates
        } else if (b >= 0xf0 && b <= 0xf4) {
            n = 3;
            lo = b == 0xf0 ? 0x90 : 0x80;
            hi = b == 0xf4 ? 0x8f : 0xbf;
        } else {
            return false;
        }
        if (i + n >= s.size()) { // truncated sequence
            return false;
        }
        for (std::size_t k = 1; k <= n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) {
                return false;
            }
        }
        i += n + 1;
    }
    return true;
}

/// The bytes a fuzzer received, as text.
inline std::string_view as_text(const unsigned char* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace cairn::fuzz
