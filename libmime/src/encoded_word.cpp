// RFC 2047 encoded words and RFC 5322 unfolding for unstructured header text.
//
// One left-to-right pass, no recursion, no regex: every search for "=?" and
// "?=" resumes where the previous one stopped, so a header of thousands of
// (possibly malformed) words decodes in linear time.
#include <mime/charset.hpp>
#include <mime/encoded_word.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace cairn::mime {
namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

bool is_space(char c) {
    return is_wsp(c) || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

bool all_space(std::string_view text) {
    for (const char c : text) {
        if (!is_space(c)) {
            return false;
        }
    }
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if ((a[i] | 0x20) != (b[i] | 0x20)) {
            return false;
        }
    }
    return true;
}

/// RFC 5322 §2.2.3: unfolding removes each CRLF (or bare LF) that is
/// immediately followed by WSP; the WSP stays.
void unfold_into(std::string_view raw, std::string& out) {
    out.reserve(out.size() + raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == '\r' && i + 2 < raw.size() && raw[i + 1] == '\n' && is_wsp(raw[i + 2])) {
            ++i; // skip CR and LF
            continue;
        }
        if (c == '\n' && i + 1 < raw.size() && is_wsp(raw[i + 1])) {
            continue;
        }
        out.push_back(c);
    }
}

/// Finds a two-character needle at or after a position that never decreases
/// between calls, remembering the last hit so no byte is searched twice.
class forward_finder {
public:
    forward_finder(std::string_view text, std::string_view needle)
        : text_(text)
        , needle_(needle) {}

    std::size_t next(std::size_t from) {
        if (hit_ != std::string_view::npos && hit_ >= from) {
            return hit_;
        }
        if (exhausted_) {
            return std::string_view::npos;
        }
        hit_ = text_.find(needle_, std::max(from, searched_from_));
        searched_from_ = from;
        exhausted_ = hit_ == std::string_view::npos;
        return hit_;
    }

private:
    std::string_view text_;
    std::string_view needle_;
    std::size_t hit_ = std::string_view::npos;
    std::size_t searched_from_ = 0;
    bool exhausted_ = false;
};

struct encoded_word {
    std::string_view charset; ///< as written, without an RFC 2231 "*language"
    char encoding;            ///< 'B' or 'Q'
    std::string_view payload;
    std::size_t end; ///< one past the closing "?="
};

/// Parses `=?charset?X?payload?=` starting at `at` (where "=?" is). Lenient
/// where mailers are sloppy: either case of B/Q, any charset characters but
/// '?', '=', space and controls, spaces in the payload; strict where leniency would
/// swallow text: a payload never contains another "=?".
bool parse_word(std::string_view text, std::size_t at, forward_finder& opens,
                forward_finder& closes, encoded_word& word) {
    std::size_t i = at + 2;
    // '=' ends the charset too, so no "=?" can start inside the word before its
    // payload (which keeps both finders moving forward only).
    while (i < text.size() && text[i] != '?' && text[i] != '=' &&
           static_cast<unsigned char>(text[i]) > ' ') {
        ++i;
    }
    if (i == at + 2 || i + 2 >= text.size() || text[i] != '?' || text[i + 2] != '?') {
        return false;
    }
    word.encoding = static_cast<char>(text[i + 1] & ~0x20);
    if (word.encoding != 'B' && word.encoding != 'Q') {
        return false;
    }
    const std::size_t payload = i + 3;
    const std::size_t close = closes.next(payload);
    const std::size_t next_open = opens.next(payload);
    // An "=?" overlapping the close ("...YQ==?=") is base64 padding, not a word.
    if (close == std::string_view::npos ||
        (next_open != std::string_view::npos && next_open + 1 < close)) {
        return false;
    }
    word.charset = text.substr(at + 2, i - at - 2);
    word.charset = word.charset.substr(0, word.charset.find('*')); // RFC 2231 §5: charset*lang
    word.payload = text.substr(payload, close - payload);
    word.end = close + 2;
    return !word.charset.empty();
}

constexpr std::array<std::int8_t, 256> base64_values = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        values[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    }
    return values;
}();

/// RFC 2047 §4.1, tolerant: missing padding is fine, stray characters are
/// skipped, and '=' ends a quantum (so "YQ==YQ==" from a careless joiner reads
/// as two quanta).
void decode_b(std::string_view payload, std::string& out) {
    std::uint32_t bits = 0;
    int count = 0;
    for (const char c : payload) {
        if (c == '=') {
            count = 0;
            continue;
        }
        const int value = base64_values[static_cast<unsigned char>(c)];
        if (value < 0) {
            continue;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out.push_back(static_cast<char>((bits >> count) & 0xFF));
        }
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    const char lower = static_cast<char>(c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

/// RFC 2047 §4.2: "_" is a space, "=XX" a byte (either case); a "=" without
/// two hex digits is kept as written.
void decode_q(std::string_view payload, std::string& out) {
    for (std::size_t i = 0; i < payload.size(); ++i) {
        const char c = payload[i];
        if (c == '_') {
            out.push_back(' ');
        } else if (c == '=' && i + 2 < payload.size() && hex_value(payload[i + 1]) >= 0 &&
                   hex_value(payload[i + 2]) >= 0) {
            out.push_back(
                static_cast<char>(hex_value(payload[i + 1]) * 16 + hex_value(payload[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
}

void convert(std::string_view bytes, std::string_view label, std::string& out) {
    string_sink sink{out};
    charset_decoder decoder(label);
    decoder.step(bytes, sink);
    decoder.finish(sink);
}

/// One header value being decoded: literal text and runs of encoded words.
class header_decoder {
public:
    header_decoder(std::string_view text, std::string& out, std::string_view fallback)
        : text_(text)
        , out_(out)
        , fallback_(fallback) {}

    void run(std::string& pending) {
        pending.clear();
        forward_finder opens(text_, "=?");
        forward_finder closes(text_, "?=");
        std::size_t literal = 0; // start of text not yet written
        std::size_t scan = 0;
        bool after_word = false;
        encoded_word word{};
        for (std::size_t at = opens.next(scan); at != std::string_view::npos;
             at = opens.next(scan)) {
            if (!parse_word(text_, at, opens, closes, word)) {
                scan = at + 1; // malformed: stays literal text
                continue;
            }
            const std::string_view between = text_.substr(literal, at - literal);
            // RFC 2047 §6.2: whitespace between adjacent encoded words is dropped.
            if (!(after_word && all_space(between))) {
                flush(pending);
                write_literal(between);
            }
            // Bytes of consecutive words in one charset are joined before
            // conversion: a character may be split across two words.
            const std::string_view canonical = canonical_charset(word.charset);
            const std::string_view key = canonical.empty() ? word.charset : canonical;
            if (!iequals(key, pending_charset_)) {
                flush(pending);
                pending_charset_ = key;
                pending_known_ = !canonical.empty();
            }
            if (word.encoding == 'B') {
                decode_b(word.payload, pending);
            } else {
                decode_q(word.payload, pending);
            }
            after_word = true;
            literal = scan = word.end;
        }
        flush(pending);
        write_literal(text_.substr(literal));
    }

private:
    void flush(std::string& pending) {
        if (!pending_charset_.empty() && !pending.empty()) {
            if (pending_charset_ == "utf-8" && is_valid_utf8(pending)) {
                out_ += pending; // the common case, without a decoder
            } else if (pending_known_) {
                convert(pending, pending_charset_, out_);
            } else { // unknown charset: keep the bytes readable
                out_ += bytes_to_utf8(pending, fallback_);
            }
        }
        pending.clear();
        pending_charset_ = {};
    }

    /// Raw text between words. 8-bit bytes: UTF-8 when the whole value is valid
    /// UTF-8 (RFC 6532), else the fallback charset, else a guess from the value.
    void write_literal(std::string_view literal) {
        if (is_ascii(literal)) {
            out_ += literal;
            return;
        }
        if (raw_charset_.empty()) {
            const std::string_view fallback = canonical_charset(fallback_);
            raw_charset_ = is_valid_utf8(text_)                       ? std::string_view("utf-8")
                           : !fallback.empty() && fallback != "utf-8" ? fallback
                                                                      : sniff_charset(text_);
        }
        if (raw_charset_ == "utf-8" && is_valid_utf8(literal)) {
            out_ += literal;
        } else {
            convert(literal, raw_charset_, out_);
        }
    }

    std::string_view text_;
    std::string& out_;
    std::string_view fallback_;
    std::string_view pending_charset_;
    bool pending_known_ = false;
    std::string_view raw_charset_;
};

} // namespace

std::string unfold(std::string_view raw_value) {
    std::string out;
    unfold_into(raw_value, out);
    return out;
}

void decode_header_text(std::string_view raw_value, std::string& out,
                        std::string_view fallback_charset) {
    // Per-thread scratch buffers: header decoding runs for every field of every
    // message, and these keep their capacity between calls.
    thread_local std::string unfolded;
    thread_local std::string pending;
    std::string_view text = trim(raw_value);
    if (text.find('\n') != std::string_view::npos) {
        unfolded.clear();
        unfold_into(text, unfolded);
        text = unfolded;
    }
    const std::size_t start = out.size();
    header_decoder(text, out, fallback_charset).run(pending);
    // Trim again: an encoded word may decode to leading or trailing spaces.
    std::size_t end = out.size();
    while (end > start && is_space(out[end - 1])) {
        --end;
    }
    out.resize(end);
    std::size_t first = start;
    while (first < out.size() && is_space(out[first])) {
        ++first;
    }
    out.erase(start, first - start);
}

std::string decode_header_text(std::string_view raw_value, std::string_view fallback_charset) {
    std::string out;
    decode_header_text(raw_value, out, fallback_charset);
    return out;
}

} // namespace cairn::mime
