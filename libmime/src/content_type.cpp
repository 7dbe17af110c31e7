// Content-Type / Content-Disposition values: the media type or disposition type,
// and parameters (RFC 2045 §5.1, RFC 2183, RFC 2231) as real mail writes them.
//
// Parameters are read in two passes. The first splits the value into raw
// name/value pieces, forgiving missing semicolons, unquoted values with spaces,
// comments and unterminated quotes. The second groups the pieces by name and
// decodes each group: RFC 2231 continuations are sorted and joined, percent-
// decoded and converted from their charset; plain values get their RFC 2047
// words decoded (Outlook and Thunderbird put them in quoted filenames).

#include "mime_lexer.hpp"

#include <mime/charset.hpp>
#include <mime/content_type.hpp>
#include <mime/encoded_word.hpp>

#include <algorithm>
#include <span>

namespace cairn::mime {

namespace {

using detail::hex_digit_value;
using detail::is_fws;
using detail::is_token_char;
using detail::skip_cfws;
using detail::skip_token;

/// One `name=value` as written, before RFC 2231 assembly.
struct raw_parameter {
    std::string name;      ///< lowercased, without the RFC 2231 `*N*` suffix
    int section = -1;      ///< N of `name*N` or `name*N*`; -1 when absent
    bool extended = false; ///< trailing `*`: charset'language'percent-encoded
    std::string value;     ///< quotes and quoted-pairs removed, folds removed
};

std::string lowercase(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), detail::ascii_lower);
    return lower;
}

/// Splits `name*N*` into its RFC 2231 §3/§4 parts. A `*` anywhere else is just
/// part of the name, and so is a section number of more than three digits (no
/// real parameter has a thousand sections; this bounds the work).
raw_parameter split_name(std::string_view name) {
    raw_parameter raw;
    if (!name.empty() && name.back() == '*') {
        raw.extended = true;
        name.remove_suffix(1);
    }
    const auto star = name.rfind('*');
    if (star != std::string_view::npos && star + 1 < name.size() && star + 4 >= name.size() &&
        std::all_of(name.begin() + static_cast<std::ptrdiff_t>(star) + 1, name.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
        raw.section = 0;
        for (const char digit : name.substr(star + 1)) {
            raw.section = raw.section * 10 + (digit - '0');
        }
        name = name.substr(0, star);
    }
    raw.name = lowercase(name);
    return raw;
}

/// Reads a quoted-string from the opening quote at `at`; an unterminated one runs
/// to the end. Returns the offset after the closing quote.
std::size_t read_quoted(std::string_view text, std::size_t at, std::string& out) {
    for (++at; at < text.size(); ++at) {
        const char c = text[at];
        if (c == '"') {
            return at + 1;
        }
        if (c == '\\' && at + 1 < text.size()) {
            out += text[++at];
        } else if (c != '\r' && c != '\n') {
            out += c;
        }
    }
    return at;
}

/// True when `text` at `at` starts another parameter (`token =`): the writer
/// forgot the semicolon before it.
bool starts_parameter(std::string_view text, std::size_t at) {
    const auto name_end = skip_token(text, at);
    if (name_end == at) {
        return false;
    }
    auto next = name_end;
    while (next < text.size() && is_fws(text[next])) {
        ++next;
    }
    return next < text.size() && text[next] == '=';
}

/// Reads an unquoted value: words up to `;`, keeping the blanks between them
/// (`name=My File.pdf`) but stopping before a word that starts a parameter.
/// Comments between words are dropped (`charset=us-ascii (Plain Text)`).
std::size_t read_unquoted(std::string_view text, std::size_t at, std::string& out) {
    std::string_view blanks;
    while (at < text.size() && text[at] != ';') {
        if (text[at] == '(') {
            at = skip_cfws(text, at);
            continue;
        }
        const auto word_start = at;
        while (at < text.size() && text[at] != ';' && !is_fws(text[at])) {
            ++at;
        }
        if (!out.empty()) {
            out += blanks;
        }
        out += text.substr(word_start, at - word_start);
        const auto blanks_start = at;
        while (at < text.size() && is_fws(text[at])) {
            ++at;
        }
        blanks = text.substr(blanks_start, at - blanks_start);
        if (starts_parameter(text, at)) {
            break;
        }
    }
    // Folds inside the value are removed (RFC 5322 §2.2.3); the blank stays.
    std::erase_if(out, [](char c) { return c == '\r' || c == '\n'; });
    return at;
}

/// Skips to the next `;` that is outside a quoted string.
std::size_t skip_junk(std::string_view text, std::size_t at) {
    while (at < text.size() && text[at] != ';') {
        if (text[at] == '"') {
            std::string ignored;
            at = read_quoted(text, at, ignored);
        } else {
            ++at;
        }
    }
    return at;
}

/// Where the parameters start: after the leading `type/subtype` or disposition
/// token (RFC 2045 §5.1, RFC 2183 §2). A value that is only parameters starts at 0.
std::size_t parameters_start(std::string_view value) {
    auto at = skip_cfws(value, 0);
    const auto lead = at;
    at = skip_token(value, at);
    if (at < value.size() && value[at] == '/') {
        at = skip_token(value, at + 1);
    }
    return starts_parameter(value, lead) ? lead : at;
}

std::vector<raw_parameter> split_parameters(std::string_view value) {
    std::vector<raw_parameter> raws;
    raws.reserve(static_cast<std::size_t>(std::count(value.begin(), value.end(), ';')) + 1);
    auto at = parameters_start(value);
    while (at < value.size()) {
        at = skip_cfws(value, at);
        if (at == value.size()) {
            break;
        }
        if (value[at] == ';') {
            ++at;
            continue;
        }
        const auto name_end = skip_token(value, at);
        const auto name = value.substr(at, name_end - at);
        at = skip_cfws(value, name_end);
        if (!name.empty() && (at == value.size() || value[at] == ';')) {
            // A bare name (`; format;`): Python's email package keeps it with an
            // empty value, so `; a; a=b` keeps the empty one (first wins).
            raws.push_back(split_name(name));
            continue;
        }
        if (name.empty() || value[at] != '=') {
            at = skip_junk(value, at);
            continue;
        }
        at = skip_cfws(value, at + 1);
        raw_parameter raw = split_name(name);
        if (at < value.size() && value[at] == '"') {
            at = read_quoted(value, at, raw.value);
        } else {
            at = read_unquoted(value, at, raw.value);
        }
        raws.push_back(std::move(raw));
    }
    return raws;
}

/// RFC 2231 §4 `%XX`; an invalid escape (`%zz`) is kept as written.
void percent_decode(std::string_view text, std::string& out) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_digit_value(text[i + 1]) >= 0 &&
            hex_digit_value(text[i + 2]) >= 0) {
            out +=
                static_cast<char>(hex_digit_value(text[i + 1]) * 16 + hex_digit_value(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
}

/// Splits RFC 2231 §4 `charset'language'text`; without two quotes there is no
/// charset and all of it is text.
std::string_view split_charset(std::string_view value, std::string_view& charset) {
    const auto first = value.find('\'');
    const auto second = first == std::string_view::npos ? first : value.find('\'', first + 1);
    if (second == std::string_view::npos) {
        charset = {};
        return value;
    }
    charset = value.substr(0, first);
    return value.substr(second + 1);
}

/// Bytes in `charset` to UTF-8; an unknown or absent charset is sniffed.
std::string convert(std::string_view bytes, std::string_view charset) {
    if (charset.empty() || canonical_charset(charset).empty()) {
        return bytes_to_utf8(bytes);
    }
    return to_utf8(bytes, charset);
}

/// A plain value: RFC 2047 words decoded, 8-bit bytes made UTF-8.
std::string decode_plain(const std::string& value) {
    if (value.find("=?") != std::string::npos) {
        return decode_header_text(value);
    }
    return is_ascii(value) ? value : bytes_to_utf8(value);
}

/// RFC 2231 §3: the sections of one parameter sorted by number (duplicates:
/// first wins), joined, then converted with the charset of section 0.
std::string join_sections(std::vector<const raw_parameter*> sections) {
    std::stable_sort(sections.begin(), sections.end(),
                     [](const auto* a, const auto* b) { return a->section < b->section; });
    sections.erase(
        std::unique(sections.begin(), sections.end(),
                    [](const auto* a, const auto* b) { return a->section == b->section; }),
        sections.end());
    std::string_view charset;
    std::string bytes;
    bool any_extended = false;
    for (const auto* section : sections) {
        if (!section->extended) {
            bytes += section->value;
            continue;
        }
        any_extended = true;
        std::string_view text = section->value;
        if (section->section == 0) {
            text = split_charset(text, charset);
        }
        percent_decode(text, bytes);
    }
    return any_extended ? convert(bytes, charset) : decode_plain(bytes);
}

using piece_range = std::span<const raw_parameter* const>;

/// Decodes the pieces of one parameter (in order of appearance): RFC 2231 forms
/// win over a plain value (RFC 2231 §4: senders add a plain one for old readers).
std::string assemble(piece_range pieces) {
    const raw_parameter* plain = nullptr;
    const raw_parameter* extended = nullptr;
    std::vector<const raw_parameter*> sections;
    for (const auto* raw : pieces) {
        if (raw->section >= 0) {
            sections.push_back(raw);
        } else if (raw->extended && extended == nullptr) {
            extended = raw;
        } else if (!raw->extended && plain == nullptr) {
            plain = raw;
        }
    }
    if (extended != nullptr) {
        std::string_view charset;
        const auto text = split_charset(extended->value, charset);
        std::string bytes;
        percent_decode(text, bytes);
        return convert(bytes, charset);
    }
    if (!sections.empty()) {
        return join_sections(std::move(sections));
    }
    return decode_plain(plain->value);
}

} // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return detail::ascii_lower(x) == detail::ascii_lower(y);
           });
}

bool media_type::is(std::string_view t) const noexcept {
    return iequals(type, t);
}

bool media_type::is(std::string_view t, std::string_view s) const noexcept {
    return iequals(type, t) && iequals(subtype, s);
}

std::string media_type::essence() const {
    std::string out;
    out.reserve(type.size() + 1 + subtype.size());
    const auto append_lower = [&out](std::string_view s) {
        for (const char c : s) {
            out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c);
        }
    };
    append_lower(type);
    out.push_back('/');
    append_lower(subtype);
    return out;
}

std::optional<media_type> parse_media_type(std::string_view value) noexcept {
    auto at = skip_cfws(value, 0);
    const auto type_end = skip_token(value, at);
    const auto type = value.substr(at, type_end - at);
    at = skip_cfws(value, type_end);
    if (type.empty() || at == value.size() || value[at] != '/') {
        return std::nullopt;
    }
    at = skip_cfws(value, at + 1);
    const auto subtype_end = skip_token(value, at);
    const auto subtype = value.substr(at, subtype_end - at);
    // After the subtype: the end, parameters, or a parameter whose `;` was lost.
    at = skip_cfws(value, subtype_end);
    if (subtype.empty() || (at < value.size() && value[at] != ';' && !is_token_char(value[at]))) {
        return std::nullopt;
    }
    return media_type{type, subtype};
}

std::vector<parameter> parse_parameters(std::string_view value) {
    const auto raws = split_parameters(value);
    // Group the pieces by name with a sort (O(n log n) even for hostile
    // headers with thousands of parameters), then restore first-appearance order.
    std::vector<const raw_parameter*> sorted;
    sorted.reserve(raws.size());
    for (const auto& raw : raws) {
        sorted.push_back(&raw);
    }
    // Pieces are elements of one vector: comparing their addresses keeps the order
    // of appearance within a name, without stable_sort's buffer allocation.
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        const int order = a->name.compare(b->name);
        return order < 0 || (order == 0 && a < b);
    });
    std::vector<std::pair<const raw_parameter*, std::string>> decoded;
    decoded.reserve(sorted.size());
    for (std::size_t first = 0; first < sorted.size();) {
        std::size_t last = first + 1;
        while (last < sorted.size() && sorted[last]->name == sorted[first]->name) {
            ++last;
        }
        decoded.emplace_back(sorted[first], assemble(piece_range(&sorted[first], last - first)));
        first = last;
    }
    std::sort(decoded.begin(), decoded.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<parameter> parameters;
    parameters.reserve(decoded.size());
    for (auto& [raw, text] : decoded) {
        parameters.push_back({raw->name, std::move(text)});
    }
    return parameters;
}

std::optional<std::string> find_parameter(std::string_view value, std::string_view name) {
    const auto raws = split_parameters(value);
    const auto wanted = lowercase(name);
    std::vector<const raw_parameter*> pieces;
    for (const auto& raw : raws) {
        if (raw.name == wanted) {
            pieces.push_back(&raw);
        }
    }
    if (pieces.empty()) {
        return std::nullopt;
    }
    return assemble(pieces);
}

std::string parse_disposition_type(std::string_view value) {
    const auto start = skip_cfws(value, 0);
    const auto token = value.substr(start, skip_token(value, start) - start);
    if (token.empty() || starts_parameter(value, start)) {
        return {}; // `filename="a.txt"` alone: parameters, no disposition type
    }
    if (iequals(token, "inline")) {
        return "inline";
    }
    // RFC 2183 §2.8: an unrecognized disposition type is treated as attachment.
    return "attachment";
}

} // namespace cairn::mime
