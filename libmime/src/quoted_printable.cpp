// quoted_printable_decoder: streaming quoted-printable (RFC 2045 §6.7).
//
// Close to Python's binascii.a2b_qp (what email.message.get_payload uses), with two
// repairs that follow the RFC more closely: an `=` followed by blanks and then a
// line end is a soft line break (rule 3: transports add trailing blanks), and an
// `=` that starts no valid escape is kept and the bytes after it are decoded
// normally, so `==41` gives `=A` (a2b_qp would swallow the second `=`).
//
// Plain bytes, `=XX` and bare soft breaks are decoded in one tight loop straight
// into the output buffer; only the other escapes (soft breaks after blanks,
// junk) go to classify(). An escape cut by the end of a chunk is held (held_)
// until the next chunk decides it, so the output does not depend on where the
// input was split.

#include "chunk_writer.hpp"
#include "mime_lexer.hpp"

#include <mime/decoders.hpp>

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cairn::mime {

namespace {

/// Blanks allowed between a soft-break `=` and its line end. RFC 2045 lines are at
/// most 76 characters, so more than this is not a soft break; the limit also makes
/// every undecided escape fit in held_ (`=` + blanks + CR = 80 bytes).
constexpr std::size_t max_soft_break_blanks = 78;

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t';
}

/// What an `=` at the start of a text means.
struct escape {
    enum class kind : std::uint8_t {
        need_more,  ///< the text ends before the escape can be decided
        byte,       ///< `=XX`
        soft_break, ///< `=`, blanks, line end (or end of input): nothing is output
        literal,    ///< not an escape: the `=` is output as is
    } what = kind::need_more;
    std::size_t length = 0; ///< bytes consumed
    char value = 0;         ///< the decoded byte for kind::byte
};

/// Classifies the escape starting at text[0] (an `=`). `final` says no more input
/// follows, so a cut escape is decided instead of held.
escape classify(std::string_view text, bool final) noexcept {
    using kind = escape::kind;
    const auto cut = [final](std::size_t length, kind when_final) {
        return final ? escape{when_final, length} : escape{};
    };
    if (text.size() == 1) {
        // a2b_qp drops an `=` that ends the input: a soft break with its line end lost.
        return cut(1, kind::soft_break);
    }
    const int high = detail::hex_digit_value(text[1]);
    if (high >= 0) {
        if (text.size() == 2) {
            return cut(1, kind::literal);
        }
        const int low = detail::hex_digit_value(text[2]);
        if (low < 0) {
            return {kind::literal, 1};
        }
        return {kind::byte, 3, static_cast<char>(high * 16 + low)};
    }
    std::size_t at = 1;
    while (at < text.size() && is_blank(text[at])) {
        if (at == max_soft_break_blanks + 1) {
            return {kind::literal, 1};
        }
        ++at;
    }
    if (at == text.size()) {
        return cut(at, kind::soft_break);
    }
    if (text[at] == '\n') {
        return {kind::soft_break, at + 1};
    }
    if (text[at] == '\r') {
        if (at + 1 == text.size()) {
            return cut(at + 1, kind::soft_break);
        }
        if (text[at + 1] == '\n') {
            return {kind::soft_break, at + 2};
        }
    }
    return {kind::literal, 1};
}

/// Copies bytes (sixteen at a time between escapes where it can), decodes `=XX`
/// and drops bare soft line breaks (`=` CRLF, `=` LF) from `at` into the
/// writer's buffer. Stops at any other `=`, which classify() must decide, at the
/// end of the input, or when the buffer is full; returns where it stopped.
std::size_t decode_plain(std::string_view in, std::size_t at, detail::chunk_writer& writer) {
    std::size_t room_size = 0;
    char* const begin = writer.room(1, room_size);
    char* out = begin;
    char* const out_end = begin + room_size;
    const char* p = in.data() + at;
    const char* const end = in.data() + in.size();
    while (p != end && out != out_end) {
#if defined(__SSE2__) // every x86-64 processor: sixteen plain bytes at a time
        if (end - p >= 16 && out_end - out >= 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const auto equals =
                static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('='))));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out), bytes);
            const auto plain = equals == 0 ? 16U : static_cast<unsigned>(__builtin_ctz(equals));
            p += plain;
            out += plain;
            if (plain == 16) {
                continue;
            }
        }
#endif
        if (*p != '=') {
            *out++ = *p++;
            continue;
        }
        if (end - p < 3) {
            break;
        }
        const int high = detail::hex_digit_value(p[1]);
        const int low = detail::hex_digit_value(p[2]);
        if (high >= 0 && low >= 0) {
            *out++ = static_cast<char>(high * 16 + low);
            p += 3;
        } else if (p[1] == '\n') {
            p += 2; // a soft line break; with blanks before it, classify() decides
        } else if (p[1] == '\r' && p[2] == '\n') {
            p += 3;
        } else {
            break;
        }
    }
    writer.commit(static_cast<std::size_t>(out - begin));
    return static_cast<std::size_t>(p - in.data());
}

void apply(const escape& found, detail::chunk_writer& writer, defect_set& defects) {
    if (found.what == escape::kind::byte) {
        writer.put(found.value);
    } else if (found.what == escape::kind::literal) {
        writer.put('=');
        defects.add(defect::invalid_quoted_printable);
    }
}

} // namespace

void quoted_printable_decoder::step(std::string_view in, sink_ref out) {
    detail::chunk_writer writer(out);
    std::size_t at = 0;
    if (held_size_ != 0) {
        // Decide the held escape with as many new bytes as any escape can need.
        char joined[2 * sizeof held_];
        const std::size_t taken = std::min(in.size(), sizeof joined - held_size_);
        std::memcpy(joined, held_, held_size_);
        std::memcpy(joined + held_size_, in.data(), taken);
        const escape found = classify(std::string_view(joined, held_size_ + taken), false);
        if (found.what == escape::kind::need_more) {
            std::memcpy(held_ + held_size_, in.data(), taken);
            held_size_ += taken;
            return;
        }
        apply(found, writer, defects_);
        if (found.length < held_size_) {
            // The rest of what was held (blanks, CR or one hex digit) holds no `=`.
            writer.append(std::string_view(held_ + found.length, held_size_ - found.length));
        } else {
            at = found.length - held_size_;
        }
        held_size_ = 0;
    }
    while (at < in.size()) {
        at = decode_plain(in, at, writer);
        if (at == in.size()) {
            break;
        }
        if (in[at] != '=') {
            continue; // the output buffer was full
        }
        const escape found = classify(in.substr(at), false);
        if (found.what == escape::kind::need_more) {
            // classify() decides within sizeof held_ bytes, so this fits.
            held_size_ = in.size() - at;
            std::memcpy(held_, in.data() + at, held_size_);
            break;
        }
        apply(found, writer, defects_);
        at += found.length;
    }
    writer.flush();
}

void quoted_printable_decoder::finish(sink_ref out) {
    if (held_size_ == 0) {
        return;
    }
    detail::chunk_writer writer(out);
    const escape found = classify(std::string_view(held_, held_size_), true);
    apply(found, writer, defects_);
    writer.append(std::string_view(held_ + found.length, held_size_ - found.length));
    held_size_ = 0;
    writer.flush();
}

} // namespace cairn::mime
