#include "charset_internal.hpp"

#include <mime/body.hpp>
#include <mime/charset.hpp>
#include <mime/content_type.hpp>
#include <mime/flowed.hpp>
#include <mime/html_text.hpp>

#include <algorithm>
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
        if (ascii_) {
            // ASCII so far was valid UTF-8 and ended on a whole character, so
            // the UTF-8 check starts after this chunk's ASCII, not at its start.
            bytes.remove_prefix(ascii_prefix(bytes));
            if (bytes.empty()) {
                return;
            }
            ascii_ = false;
        }
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
        return utf8_ && held_.size == 0 ? std::string_view() : sniff_legacy_charset(sample_);
    }

private:
    void check_utf8(std::string_view bytes) {
        using namespace charset_detail;
        if (held_.size != 0 &&
            !held_.finish(bytes, [&](const utf8_step& step, const unsigned char*) {
                utf8_ = utf8_ && step.kind == utf8_kind::valid;
            })) {
            return;
        }
        const unsigned char* p = bytes_of(bytes);
        const unsigned char* const end = p + bytes.size();
        while (utf8_ && (p = skip_ascii(p, end)) < end) {
            const utf8_step step = next_utf8(p, end);
            if (step.kind == utf8_kind::truncated) {
                held_.hold(p, step.length);
                return;
            }
            utf8_ = step.kind == utf8_kind::valid;
            p += step.length;
        }
    }

    std::string sample_;
    bool ascii_ = true;
    bool utf8_ = true;
    charset_detail::utf8_carry held_; // a sequence cut between two writes
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
    const auto format = content_type_parameter(msg, p, "format");
    const bool flowed = format && iequals(trim(*format), "flowed");
    const bool declared = charset && !charset->empty();
    defect_set defects;
    std::string_view label; // what the text is converted from; empty: it passes through
    if (declared) {
        label = *charset;
    } else {
        // No charset: the body is decoded twice (it is a view into the message,
        // so that costs no copy), first to choose the converter, then through it.
        undeclared_text_probe probe;
        defects = decode_body(msg, p, probe);
        label = probe.charset();
        if (!label.empty() && !label.starts_with("iso-2022-")) { // escapes are not 8-bit bytes
            defects.add(defect::undeclared_8bit_text);
        }
    }
    // Streams decoder → converter → caller in bounded memory, except that
    // format=flowed is unwrapped over the whole text.
    std::string whole;
    string_sink collect{whole};
    const sink_ref out = flowed ? sink_ref(collect) : utf8_out;
    if (label.empty()) {
        (void)decode_body(msg, p, out); // its defects are pass one's
    } else {
        charset_decoder converter(label);
        charset_sink through{converter, out};
        const defect_set transfer = decode_body(msg, p, through);
        converter.finish(out);
        // What a guessed charset cannot map is the guess's fault, not another
        // defect of the message: only a declared charset's defects are kept.
        if (declared) {
            defects = transfer;
            defects.merge(converter.defects());
        }
    }
    if (flowed) {
        const auto delsp = content_type_parameter(msg, p, "delsp");
        utf8_out.write(unwrap_flowed(whole, delsp && iequals(trim(*delsp), "yes")));
    }
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
