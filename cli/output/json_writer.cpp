#include "output/json_writer.hpp"

#include <array>

namespace cairn::cli {
namespace {

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when the
// bytes there are ill-formed (RFC 3629 table 3-7: no overlongs, no surrogates).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    if (byte(i + 1) < low || byte(i + 1) > high) {
        return 0;
    }
    for (std::size_t k = 2; k < length; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
            return 0;
        }
    }
    return length;
}

} // namespace

void write_json_string(std::ostream& out, std::string_view text) {
    static constexpr std::array<char, 16> hex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                 '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    out.put('"');
    std::size_t run_start = 0;
    const auto flush = [&](std::size_t end) {
        out.write(text.data() + run_start, static_cast<std::streamsize>(end - run_start));
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t length = utf8_sequence_length(text, i); length != 0) {
                i += length;
                continue;
            }
            flush(i);
            out << "\xEF\xBF\xBD";
            run_start = ++i;
            continue;
        }
        flush(i);
        switch (c) {
        case '"':
            out << "\\\"";
            break;
        case '\\':
            out << "\\\\";
            break;
        case '\n':
            out << "\\n";
            break;
        case '\r':
            out << "\\r";
            break;
        case '\t':
            out << "\\t";
            break;
        default:
            out << "\\u00" << hex[c >> 4] << hex[c & 15];
            break;
        }
        run_start = ++i;
    }
    flush(text.size());
    out.put('"');
}

void json_writer::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (!has_element_.empty()) {
        if (has_element_.back()) {
            out_.put(',');
        }
        has_element_.back() = true;
    }
}

json_writer& json_writer::begin_object() {
    separate();
    out_.put('{');
    has_element_.push_back(false);
    return *this;
}

json_writer& json_writer::end_object() {
    has_element_.pop_back();
    out_.put('}');
    return *this;
}

json_writer& json_writer::begin_array() {
    separate();
    out_.put('[');
    has_element_.push_back(false);
    return *this;
}

json_writer& json_writer::end_array() {
    has_element_.pop_back();
    out_.put(']');
    return *this;
}

json_writer& json_writer::key(std::string_view name) {
    separate();
    write_json_string(out_, name);
    out_.put(':');
    after_key_ = true;
    return *this;
}

json_writer& json_writer::value(std::string_view text) {
    separate();
    write_json_string(out_, text);
    return *this;
}

json_writer& json_writer::value(std::int64_t number) {
    separate();
    out_ << number;
    return *this;
}

json_writer& json_writer::value(std::uint64_t number) {
    separate();
    out_ << number;
    return *this;
}

json_writer& json_writer::value(bool flag) {
    separate();
    out_ << (flag ? "true" : "false");
    return *this;
}

json_writer& json_writer::null() {
    separate();
    out_ << "null";
    return *this;
}

json_writer& json_writer::value(const std::optional<std::string_view>& text) {
    return text ? value(*text) : null();
}

} // namespace cairn::cli
