// DATA and BDAT content readers (RFC 5321 §4.1.1.4, §4.5.2; RFC 3030).

#include <smtp/data_reader.hpp>

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cairn::smtp {

void content_buffer::append(std::string_view bytes) {
    size_ += bytes.size();
    if (size_ > max_size_) {
        // Too large: the message will be refused with 552, so stop holding it
        // and just count to the end of the transfer.
        std::string().swap(data_);
        return;
    }
    data_.append(bytes);
}

std::string content_buffer::take() {
    std::string out = std::move(data_);
    clear();
    return out;
}

void content_buffer::clear() {
    size_ = 0;
    data_.clear();
}

data_reader::data_reader(std::uint64_t max_size, bare_lf_policy policy)
    : content_(max_size)
    , policy_(policy) {}

void data_reader::reset() {
    content_.clear();
    flags_ = {};
    state_ = state::line_start;
    line_length_ = 0;
}

void data_reader::count_line(std::size_t octets) {
    // Octets of the current line before its LF (its CR included): at most
    // 999 keeps the line within 1000 octets with the LF (RFC 5321 §4.5.3.1.6).
    line_length_ += octets;
    if (line_length_ >= max_text_line) {
        flags_.line_too_long = true;
    }
}

void data_reader::bare_cr() {
    flags_.bare_cr = true;
    content_.append(policy_ == bare_lf_policy::normalise ? "\r\n" : "\r");
    line_length_ = 0;
}

namespace {

/// The first CR, LF or NUL in [p, end), or end: the octets scan_text must look
/// at. Sixteen at a time where SSE2 is there (every x86-64 processor); a line
/// of mail is some 80 octets, and this loop is most of what DATA costs.
const char* find_special(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i nul = _mm_setzero_si128();
    for (; end - p >= 16; p += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const int hits = _mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, nul)));
        if (hits != 0) {
            return p + __builtin_ctz(static_cast<unsigned>(hits));
        }
    }
#endif
    while (p != end && *p != '\r' && *p != '\n' && *p != '\0') {
        ++p;
    }
    return p;
}

} // namespace

// Stores a run of ordinary octets and at most one CR or LF after it.
std::size_t data_reader::scan_text(std::string_view in) {
    const char* const begin = in.data();
    const char* const end = begin + in.size();
    const char* p = find_special(begin, end);
    while (p != end && *p == '\0') {
        flags_.nul = true;
        p = find_special(p + 1, end);
    }
    const auto n = static_cast<std::size_t>(p - begin);
    content_.append(in.substr(0, n));
    count_line(n);
    if (n == in.size()) {
        return n;
    }
    if (in[n] == '\r') {
        count_line(1);
        state_ = state::cr; // decided by the next octet, which may be in the next chunk
    } else {
        // A bare LF ends a line for the length count only: it never makes the
        // next "." special (that is exactly the smuggling trick).
        flags_.bare_lf = true;
        content_.append(policy_ == bare_lf_policy::normalise ? "\r\n" : "\n");
        line_length_ = 0;
    }
    return n + 1;
}

std::size_t data_reader::feed(std::string_view in) {
    std::size_t i = 0;
    while (i < in.size() && state_ != state::done) {
        const char c = in[i];
        switch (state_) {
        case state::line_start:
            if (c == '.') {
                count_line(1);
                state_ = state::dot;
                ++i;
            } else {
                state_ = state::text;
            }
            break;
        case state::dot:
            if (c == '\r') {
                count_line(1);
                state_ = state::dot_cr;
                ++i;
            } else {
                // RFC 5321 §4.5.2: a line starting with "." and more text loses
                // the dot. Before a bare LF the dot is kept, so a smuggled
                // "\r\n.\n" stays visible in the archive.
                if (c == '\n') {
                    content_.append(".");
                }
                state_ = state::text;
            }
            break;
        case state::dot_cr:
            if (c == '\n') {
                state_ = state::done; // CRLF "." CRLF, the only end of DATA
                ++i;
            } else {
                content_.append(".");
                bare_cr();
                state_ = state::text;
            }
            break;
        case state::cr:
            if (c == '\n') {
                content_.append("\r\n");
                line_length_ = 0;
                state_ = state::line_start;
                ++i;
            } else {
                bare_cr();
                state_ = state::text;
            }
            break;
        case state::text:
            i += scan_text(in.substr(i));
            break;
        case state::done:
            break;
        }
    }
    return i;
}

void bdat_reader::begin_chunk(std::uint64_t octets, bool discard) {
    remaining_ = octets;
    discard_ = discard;
}

std::size_t bdat_reader::feed(std::string_view in) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in.size()));
    remaining_ -= n;
    if (discard_) {
        return n;
    }
    const std::string_view chunk = in.substr(0, n);
    for (const char c : chunk) {
        if (after_cr_ && c != '\n') {
            flags_.bare_cr = true;
        }
        if (c == '\n') {
            flags_.bare_lf = flags_.bare_lf || !after_cr_;
            line_length_ = 0;
        } else if (++line_length_ >= max_text_line) {
            flags_.line_too_long = true;
        }
        flags_.nul = flags_.nul || c == '\0';
        after_cr_ = c == '\r';
    }
    content_.append(chunk);
    return n;
}

void bdat_reader::reset() {
    content_.clear();
    flags_ = {};
    remaining_ = 0;
    discard_ = false;
    after_cr_ = false;
    line_length_ = 0;
}

} // namespace cairn::smtp
