#pragma once
// Finding the next line that starts with '-': in a multipart body only such a
// line can be a delimiter, so the scanner hands everything before it to the
// handler as one run instead of looking at every line (a base64 attachment
// is thousands of 76-byte lines and never contains a '-').

#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cairn::mime::detail {

/// The first `q` in [from, end - 1) with q[0] == eol and q[1] == '-', or nullptr.
inline const char* find_dash_line(const char* from, const char* end, char eol) noexcept {
    const char* p = from;
#if defined(__SSE2__) // every x86-64 processor
    const __m128i eols = _mm_set1_epi8(eol);
    const __m128i dashes = _mm_set1_epi8('-');
    while (end - p > 16) {
        const __m128i here = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
        const int hits = _mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(here, eols), _mm_cmpeq_epi8(next, dashes)));
        if (hits != 0) {
            return p + __builtin_ctz(static_cast<unsigned>(hits));
        }
        p += 16;
    }
#endif
    while (end - p > 1) {
        const auto* q =
            static_cast<const char*>(std::memchr(p, eol, static_cast<std::size_t>(end - p - 1)));
        if (q == nullptr) {
            return nullptr;
        }
        if (q[1] == '-') {
            return q;
        }
        p = q + 1;
    }
    return nullptr;
}

} // namespace cairn::mime::detail
