// DATA and BDAT content readers (RFC 5321 §4.1.1.4, §4.5.2; RFC 3030).

#include <smtp/data_reader.hpp>

#include <algorithm>

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

// Stores a run of ordinary octets and at most one CR or LF after it.
std::size_t data_reader::scan_text(std::string_view in) {
    std::size_t n = 0;
    while (n < in.size() && in[n] != '\r' && in[n] != '\n') {
        flags_.nul = flags_.nul || in[n] == '\0';
        ++n;
    }
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
