// AVX2 base64 decoding of whole 32-byte blocks (Muła and Lemire, "Faster Base64
// Encoding and Decoding Using AVX2 Instructions", ACM TWEB 2018; the lookup
// tables are those of Alfred Klomp's libbase64). Each block is validated with
// two nibble lookups; the run ends at the first byte outside the alphabet
// other than a CRLF or LF between quanta, so this path never has to know about
// padding, junk or any other line structure.

#include "base64_blocks.hpp"

#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CAIRN_BASE64_AVX2 1
#endif

namespace cairn::mime::detail {

#if defined(CAIRN_BASE64_AVX2)
namespace {

// AVX2 shuffles work within each 16-byte lane: the tables are given once per lane.
__attribute__((target("avx2"))) __m256i both_lanes(__m128i table) {
    return _mm256_broadcastsi128_si256(table);
}

constexpr std::size_t block_in = 32;
constexpr std::size_t block_out = 24;
constexpr std::size_t block_store = 32; // one unaligned store writes 8 bytes past the 24

__attribute__((target("avx2"))) base64_run decode_avx2(const unsigned char* in, std::size_t size,
                                                       char* out, std::size_t room) {
    // Per low nibble and per high nibble, a bit set for every class of byte that
    // nibble can belong to outside the alphabet; a byte is valid exactly when
    // the two lookups share no bit.
    const __m256i lut_lo =
        both_lanes(_mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13,
                                 0x1A, 0x1B, 0x1B, 0x1B, 0x1A));
    const __m256i lut_hi =
        both_lanes(_mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10,
                                 0x10, 0x10, 0x10, 0x10, 0x10));
    // What to add to a valid byte, by high nibble ('/' gets its own entry), to
    // turn it into its sextet.
    const __m256i lut_roll =
        both_lanes(_mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0));
    const __m256i mask_2f = _mm256_set1_epi8(0x2f);
    // Four sextets to three bytes: pairs into 12 bits, then pairs of those into
    // 24; then the three bytes of each 32-bit word, in order, to the front.
    const __m256i merge_pairs = _mm256_set1_epi32(0x01400140);
    const __m256i merge_quads = _mm256_set1_epi32(0x00011000);
    const __m256i pack_lane =
        both_lanes(_mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    const __m256i join_lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);

    base64_run run;
    while (size - run.consumed >= block_in && room - run.produced >= block_store) {
        const __m256i text =
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + run.consumed));
        const __m256i hi_nibbles = _mm256_and_si256(_mm256_srli_epi32(text, 4), mask_2f);
        const __m256i lo_nibbles = _mm256_and_si256(text, mask_2f);
        const __m256i hi = _mm256_shuffle_epi8(lut_hi, hi_nibbles);
        const __m256i lo = _mm256_shuffle_epi8(lut_lo, lo_nibbles);
        const __m256i is_slash = _mm256_cmpeq_epi8(text, mask_2f);
        const __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(is_slash, hi_nibbles));
        const __m256i sextets = _mm256_add_epi8(text, roll);
        const __m256i twelves = _mm256_maddubs_epi16(sextets, merge_pairs);
        const __m256i words = _mm256_madd_epi16(twelves, merge_quads);
        const __m256i packed =
            _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, pack_lane), join_lanes);
        // Each quantum decodes on its own, so the quanta before the first bad
        // byte are right even when later ones are garbage; the garbage is
        // written but not counted, and the next write covers it.
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + run.produced), packed);
        const auto bad = static_cast<std::uint32_t>(~_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256())));
        if (bad != 0) {
            const auto first_bad = static_cast<std::size_t>(__builtin_ctz(bad));
            run.consumed += first_bad / 4 * 4;
            run.produced += first_bad / 4 * 3;
            // A line break between two quanta (lines of 76 or 72 columns end
            // on one) is skipped here, so a body of clean lines is one run.
            const std::size_t after_cr = run.consumed + (in[run.consumed] == '\r' ? 1 : 0);
            if (first_bad % 4 != 0 || after_cr >= size || in[after_cr] != '\n') {
                break;
            }
            run.consumed = after_cr + 1;
            continue;
        }
        run.consumed += block_in;
        run.produced += block_out;
    }
    return run;
}

// __builtin_cpu_init first: this runs as a static initializer, possibly before
// the runtime's own.
const bool has_avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
}();

} // namespace

base64_run decode_base64_blocks(const unsigned char* in, std::size_t size, char* out,
                                std::size_t room) noexcept {
    return has_avx2 ? decode_avx2(in, size, out, room) : base64_run{};
}

#else

base64_run decode_base64_blocks(const unsigned char*, std::size_t, char*, std::size_t) noexcept {
    return {};
}

#endif

} // namespace cairn::mime::detail
