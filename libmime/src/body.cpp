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
    } else if (is_ascii(bytes) || is_valid_utf8(bytes)) {
        text = std::move(bytes);
    } else {
        defects.add(defect::undeclared_8bit_text);
        text = to_utf8(bytes, sniff_charset(bytes));
    }
    if (flowed) {
        const auto delsp = content_type_parameter(msg, p, "delsp");
        text = unwrap_flowed(text, delsp && iequals(trim(*delsp), "yes"));
    }
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
