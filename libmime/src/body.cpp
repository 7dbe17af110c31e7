#include "charset_internal.hpp"

#include <mime/body.hpp>
#include <mime/charset.hpp>
#include <mime/content_type.hpp>
#include <mime/flowed.hpp>
#include <mime/html_text.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace cairn::mime {
namespace {

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() &&
           (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
        s.remove_prefix(1);
    }
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<std::string> content_type_parameter(const message& msg, const part& p,
                                                  std::string_view name) {
    // An invalid media type (`text; charset=…`) still carries usable parameters.
    const auto value = msg.header(p, "content-type");
    return value ? find_parameter(*value, name) : std::nullopt;
}

// Feeds transfer-decoded bytes into a charset converter.
struct charset_sink {
    charset_decoder& decoder;
    sink_ref out;

    void write(std::string_view bytes) { decoder.step(bytes, out); }
};

// CRLF and lone CR (old Macintosh mail, or a stray CR inside a line) become LF.
std::string normalize_line_breaks(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out.push_back(text[i]);
        } else if (i + 1 == text.size() || text[i + 1] != '\n') {
            out.push_back('\n');
        }
    }
    return out;
}

// Pass one over text that declares no charset: whether it is ASCII, whether it
// is UTF-8, and its first bytes for the sniffers, without keeping the body, so
// that pass two can stream it through the right converter in bounded memory.
// (Not a charset_decoder for the UTF-8 check: that one obeys a byte order mark.)
class undeclared_text_probe {
public:
    void write(std::string_view bytes) {
        if (sample_.size() < sniff_sample_bytes) {
            sample_.append(bytes.substr(0, sniff_sample_bytes - sample_.size()));
        }
        if (ascii_ && is_ascii(bytes)) {
            return;
        }
        ascii_ = false; // ASCII so far was valid UTF-8 and ended on a whole character
        if (utf8_) {
            check_utf8(bytes);
        }
    }

    /// What pass two converts from, once pass one is done: empty to pass the
    /// bytes through (ASCII or UTF-8).
    [[nodiscard]] std::string_view charset() const {
        if (ascii_) {
            return charset_detail::sniff_iso2022(sample_); // 7-bit, but not ASCII text
        }
        return utf8_ && held_size_ == 0 ? std::string_view() : sniff_legacy_charset(sample_);
    }

private:
    // Validates UTF-8 across writes: a sequence cut at the end of one is held
    // (at most three bytes) and completed from the next.
    void check_utf8(std::string_view bytes) {
        using namespace charset_detail;
        const unsigned char* p = bytes_of(bytes);
        const unsigned char* const end = p + bytes.size();
        if (held_size_ != 0) {
            std::array<unsigned char, 8> joined{};
            const std::size_t taken = std::min<std::size_t>(3, bytes.size());
            std::copy_n(held_.begin(), held_size_, joined.begin());
            std::copy_n(p, taken, joined.begin() + static_cast<std::ptrdiff_t>(held_size_));
            const utf8_step step = next_utf8(joined.data(), joined.data() + held_size_ + taken);
            if (step.kind == utf8_kind::truncated) {
                std::copy_n(p, taken, held_.begin() + static_cast<std::ptrdiff_t>(held_size_));
                held_size_ += taken;
                return;
            }
            if (step.kind == utf8_kind::invalid) {
                utf8_ = false;
                return;
            }
            p += step.length - held_size_;
            held_size_ = 0;
        }
        while ((p = skip_ascii(p, end)) < end) {
            const utf8_step step = next_utf8(p, end);
            if (step.kind == utf8_kind::invalid) {
                utf8_ = false;
                return;
            }
            if (step.kind == utf8_kind::truncated) {
                held_size_ = static_cast<std::size_t>(end - p);
                std::copy_n(p, held_size_, held_.begin());
                return;
            }
            p += step.length;
        }
    }

    std::string sample_;
    bool ascii_ = true;
    bool utf8_ = true;
    std::array<unsigned char, 4> held_{};
    std::size_t held_size_ = 0;
};

void lowercase(std::string& s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
}

} // namespace

transfer_encoding part_encoding(const message& msg, const part& p) {
    const auto value = msg.header(p, "content-transfer-encoding");
    return value ? parse_transfer_encoding(*value) : transfer_encoding::identity;
}

defect_set decode_body(const message& msg, const part& p, sink_ref out) {
    transfer_decoder decoder(part_encoding(msg, p));
    decoder.step(msg.body(p), out);
    decoder.finish(out);
    return decoder.defects();
}

std::optional<std::string> part_charset(const message& msg, const part& p) {
    auto charset = content_type_parameter(msg, p, "charset");
    if (charset) {
        lowercase(*charset);
        *charset = std::string(trim(*charset));
    }
    return charset;
}

defect_set decode_text(const message& msg, const part& p, sink_ref utf8_out) {
    const auto charset = part_charset(msg, p);
    auto format = content_type_parameter(msg, p, "format");
    const bool flowed = format && iequals(trim(*format), "flowed");
    if (charset && !charset->empty() && !flowed) {
        // The common case streams: decoder → converter → caller, in bounded memory.
        charset_decoder converter(*charset);
        charset_sink through{converter, utf8_out};
        defect_set defects = decode_body(msg, p, through);
        converter.finish(utf8_out);
        defects.merge(converter.defects());
        return defects;
    }
    if (!flowed) {
        // No charset: the body is decoded twice (it is a view into the message,
        // so that costs no copy), first to choose the converter, then through it.
        undeclared_text_probe probe;
        defect_set defects = decode_body(msg, p, probe);
        const std::string_view sniffed = probe.charset();
        if (sniffed.empty()) {
            (void)decode_body(msg, p, utf8_out);
            return defects;
        }
        if (!sniffed.starts_with("iso-2022-")) { // those are escape sequences, not 8-bit bytes
            defects.add(defect::undeclared_8bit_text);
        }
        // What the guessed charset cannot map is the guess's fault, not another
        // defect of the message: the converter's own defects are not kept.
        charset_decoder converter(sniffed);
        charset_sink through{converter, utf8_out};
        (void)decode_body(msg, p, through);
        converter.finish(utf8_out);
        return defects;
    }
    // format=flowed is unwrapped over the whole text.
    std::string bytes;
    string_sink collect{bytes};
    defect_set defects = decode_body(msg, p, collect);
    std::string text;
    if (charset && !charset->empty()) {
        charset_decoder converter(*charset);
        string_sink to_text{text};
        converter.step(bytes, to_text);
        converter.finish(to_text);
        defects.merge(converter.defects());
    } else {
        text = bytes_to_utf8(bytes, {});
        if (!is_valid_utf8(bytes)) {
            defects.add(defect::undeclared_8bit_text);
        }
    }
    const auto delsp = content_type_parameter(msg, p, "delsp");
    text = unwrap_flowed(text, delsp && iequals(trim(*delsp), "yes"));
    utf8_out.write(text);
    return defects;
}

std::optional<std::string> part_disposition(const message& msg, const part& p) {
    const auto value = msg.header(p, "content-disposition");
    if (!value) {
        return std::nullopt;
    }
    std::string type = parse_disposition_type(*value);
    if (type.empty()) {
        return std::nullopt;
    }
    return type;
}

std::optional<std::string> part_filename(const message& msg, const part& p) {
    std::optional<std::string> name;
    if (const auto disposition = msg.header(p, "content-disposition")) {
        name = find_parameter(*disposition, "filename");
    }
    if (!name) {
        name = content_type_parameter(msg, p, "name");
    }
    if (name) {
        const std::string_view trimmed = trim(*name);
        if (trimmed.empty()) {
            return std::nullopt;
        }
        return std::string(trimmed);
    }
    return name;
}

bool is_attachment(const message& msg, const part& p) {
    if (p.kind != part_kind::leaf) {
        return false;
    }
    const auto disposition = part_disposition(msg, p);
    if (disposition && *disposition == "attachment") {
        return true;
    }
    if (!part_filename(msg, p)) {
        return false;
    }
    // A named part is an attachment unless it is the text a reader would see.
    return !(p.type.is("text") && (!disposition || *disposition == "inline") &&
             find_body(msg) == p.id);
}

part_id find_body(const message& msg, std::initializer_list<std::string_view> preference) {
    part_id best = no_part;
    std::size_t best_rank = preference.size();
    std::vector<part_id> pending{0};
    while (!pending.empty()) {
        const part& p = msg.at(pending.back());
        pending.pop_back();
        if (part_disposition(msg, p) == "attachment") {
            continue;
        }
        if (p.type.is("text")) {
            const auto* found = std::find_if(preference.begin(), preference.end(),
                                             [&](auto s) { return iequals(s, p.type.subtype); });
            const auto rank = static_cast<std::size_t>(found - preference.begin());
            if (rank < best_rank) {
                best = p.id;
                best_rank = rank;
                if (rank == 0) {
                    break;
                }
            }
            continue;
        }
        if (p.kind != part_kind::multipart) {
            continue; // encapsulated messages are not the body
        }
        std::vector<part_id> children;
        for (part_id c = p.first_child; c != no_part; c = msg.at(c).next_sibling) {
            children.push_back(c);
        }
        if (children.empty()) {
            continue;
        }
        if (p.type.is("multipart", "related")) {
            // RFC 2387 §3.2: the `start` part, else the first.
            part_id start = children.front();
            if (const auto wanted = content_type_parameter(msg, p, "start")) {
                for (part_id c : children) {
                    const auto id = msg.header(msg.at(c), "content-id");
                    if (id && trim(*id) == trim(*wanted)) {
                        start = c;
                        break;
                    }
                }
            }
            pending.push_back(start);
            continue;
        }
        pending.insert(pending.end(), children.rbegin(), children.rend());
    }
    return best;
}

std::string body_text(const message& msg) {
    const part_id id = find_body(msg);
    if (id == no_part) {
        return {};
    }
    const part& p = msg.at(id);
    std::string text;
    string_sink sink{text};
    decode_text(msg, p, sink);
    if (p.type.is("text", "html")) {
        text = html_to_text(text);
    }
    return normalize_line_breaks(text);
}

} // namespace cairn::mime
