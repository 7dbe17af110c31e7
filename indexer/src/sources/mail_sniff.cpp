// looks_like_mail() and the line tests the mbox splitter shares with it.

#include "sources/mail_sniff.hpp"

#include <indexer/sources.hpp>

#include <algorithm>

namespace cairn::index {
namespace sources_detail {

std::string_view skip_bom(std::string_view text) noexcept {
    if (text.substr(0, utf8_bom.size()) == utf8_bom) {
        text.remove_prefix(utf8_bom.size());
    }
    return text;
}

std::string_view first_line(std::string_view text) noexcept {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    if (eol != std::string_view::npos && !line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

bool is_blank_line(std::string_view line) noexcept {
    return line.empty() || line == "\r";
}

bool is_header_field_line(std::string_view line) noexcept {
    // field-name = 1*ftext, ftext = %d33-57 / %d59-126 (RFC 5322 §3.6.8).
    std::size_t i = 0;
    while (i < line.size() && line[i] >= 33 && line[i] <= 126 && line[i] != ':') {
        ++i;
    }
    if (i == 0) {
        return false;
    }
    // obs-optional allows WSP between the name and the colon (RFC 5322 §4.5.3,
    // `Subject : x`); old gateways wrote it and it must not make us skip a file.
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
        ++i;
    }
    return i < line.size() && line[i] == ':';
}

bool is_from_line(std::string_view line) noexcept {
    return line.substr(0, 5) == "From ";
}

sniff_verdict sniff_mail(std::string_view head) noexcept {
    const std::string_view window = head.substr(0, sniff_window);
    if (std::find(window.begin(), window.end(), '\0') != window.end()) {
        return sniff_verdict::binary;
    }
    const std::string_view text = skip_bom(head);
    if (text.empty()) {
        return sniff_verdict::empty;
    }
    const std::string_view line = first_line(text);
    if (is_from_line(line)) {
        const std::size_t eol = text.find('\n');
        const bool header_follows =
            eol != std::string_view::npos && is_header_field_line(first_line(text.substr(eol + 1)));
        return header_follows ? sniff_verdict::mbox : sniff_verdict::message;
    }
    return is_header_field_line(line) ? sniff_verdict::message : sniff_verdict::not_a_header;
}

std::string_view skip_reason(sniff_verdict verdict) noexcept {
    switch (verdict) {
    case sniff_verdict::empty:
        return "empty file";
    case sniff_verdict::binary:
        return "not a mail message (binary data: NUL byte near the start)";
    case sniff_verdict::not_a_header:
        return "not a mail message (the first line is not a header field or From line)";
    case sniff_verdict::message:
    case sniff_verdict::mbox:
        break;
    }
    return {};
}

} // namespace sources_detail

bool looks_like_mail(std::string_view head) {
    const auto verdict = sources_detail::sniff_mail(head);
    return verdict == sources_detail::sniff_verdict::message ||
           verdict == sources_detail::sniff_verdict::mbox;
}

} // namespace cairn::index
