// <path> grammar of RFC 5321 §4.1.2, extended for UTF-8 by RFC 6531 §3.3:
//
//   Path        = "<" [ A-d-l ":" ] Mailbox ">"
//   A-d-l       = At-domain *( "," At-domain )      ; source route, dropped
//   Mailbox     = Local-part "@" ( Domain / address-literal )
//   Local-part  = Dot-string / Quoted-string
//   Domain      = sub-domain *("." sub-domain)      ; sub-domain = Let-dig [Ldh-str]

#include <smtp/command.hpp>

namespace cairn::smtp {

namespace {

/// RFC 5321 §4.5.3.1.3: a path is at most 256 octets including the brackets.
constexpr std::size_t max_path = 256;

bool is_alpha_digit(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// atext of RFC 5322 §3.2.3, plus UTF8-non-ascii (RFC 6531 §3.3).
bool is_atext(unsigned char c) {
    if (is_alpha_digit(c) || c >= 0x80) {
        return true;
    }
    constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
    return specials.find(static_cast<char>(c)) != std::string_view::npos;
}

// Well-formed UTF-8 (RFC 3629 §4): decodes each sequence and checks the code
// point against the range its length may encode, so overlongs, surrogates and
// values past U+10FFFF are refused.
bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        const std::size_t length = lead < 0x80   ? 1
                                   : lead < 0xc0 ? 0
                                   : lead < 0xe0 ? 2
                                   : lead < 0xf0 ? 3
                                   : lead < 0xf8 ? 4
                                                 : 0;
        if (length == 0 || i + length > s.size()) {
            return false;
        }
        char32_t cp = length == 1 ? lead : lead & (0x7fU >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(s[i + k]);
            if ((next & 0xc0U) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (next & 0x3fU);
        }
        static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < smallest[length] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return false;
        }
        i += length;
    }
    return true;
}

// A cursor over the path text; each scan_* advances on success only.
struct cursor {
    std::string_view s;
    std::size_t i = 0;

    [[nodiscard]] bool at(char c) const { return i < s.size() && s[i] == c; }

    [[nodiscard]] unsigned char peek() const {
        return i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
    }

    // Domain = sub-domain *("." sub-domain), or an address literal "[…]".
    bool scan_domain() {
        if (at('[')) {
            // address-literal: dtext up to "]" (RFC 5321 §4.1.3); the tag and
            // the address itself are not checked — the archive only stores it.
            const std::size_t close = s.find(']', i);
            if (close == std::string_view::npos || close == i + 1) {
                return false;
            }
            for (std::size_t k = i + 1; k < close; ++k) {
                const auto c = static_cast<unsigned char>(s[k]);
                if (c < 33 || c > 126 || c == '[' || c == '\\') {
                    return false;
                }
            }
            i = close + 1;
            return true;
        }
        // sub-domain = Let-dig [Ldh-str]: no hyphen at either end; U-labels
        // (RFC 6531) bring octets >= 0x80.
        return scan_dotted(
            [](unsigned char c) { return is_alpha_digit(c) || c == '-' || c >= 0x80; },
            [](std::string_view label) { return label.front() != '-' && label.back() != '-'; });
    }

    // Dot-string = Atom *("." Atom)
    bool scan_dot_string() {
        return scan_dotted(is_atext, [](std::string_view) { return true; });
    }

    // 1*char *("." 1*char): the shape shared by Dot-string and Domain.
    template <class CharOk, class LabelOk>
    bool scan_dotted(CharOk char_ok, LabelOk label_ok) {
        const std::size_t start = i;
        for (;;) {
            const std::size_t label = i;
            while (i < s.size() && char_ok(peek())) {
                ++i;
            }
            if (i == label || !label_ok(s.substr(label, i - label))) {
                i = start;
                return false;
            }
            if (!at('.')) {
                return true;
            }
            ++i;
        }
    }

    // Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE
    bool scan_quoted_string() {
        const std::size_t start = i++;
        while (i < s.size() && !at('"')) {
            const unsigned char c = peek();
            if (c == '\\') {
                const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
                if (next < 32 || next > 126) {
                    i = start;
                    return false;
                }
                i += 2;
            } else if ((c >= 32 && c <= 126) || c >= 0x80) {
                ++i;
            } else {
                i = start;
                return false;
            }
        }
        if (!at('"')) {
            i = start;
            return false;
        }
        ++i;
        return true;
    }

    // A-d-l ":" — one or more "@domain" separated by commas, then a colon.
    bool scan_source_route() {
        do {
            ++i; // "@"
            if (!scan_domain()) {
                return false;
            }
        } while (at(',') && (++i, at('@')));
        if (!at(':')) {
            return false;
        }
        ++i;
        return true;
    }
};

} // namespace

parse_error parse_path(std::string_view text, bool allow_null, std::string& mailbox,
                       std::size_t& consumed, bool& non_ascii) {
    cursor cur{text};
    if (!cur.at('<')) {
        return parse_error::bad_path;
    }
    ++cur.i;
    if (cur.at('>')) {
        if (!allow_null) {
            return parse_error::bad_path;
        }
        mailbox.clear();
        consumed = 2;
        non_ascii = false;
        return parse_error::none;
    }
    if (cur.at('@') && !cur.scan_source_route()) {
        return parse_error::bad_path;
    }
    const std::size_t box = cur.i;
    const bool local_ok = cur.at('"') ? cur.scan_quoted_string() : cur.scan_dot_string();
    if (!local_ok) {
        return parse_error::bad_path;
    }
    const std::string_view local = text.substr(box, cur.i - box);
    if (cur.at('@')) {
        ++cur.i;
        if (!cur.scan_domain()) {
            return parse_error::bad_path;
        }
    } else if (!iequals_ascii(local, "postmaster")) {
        return parse_error::bad_path; // RFC 5321 §4.1.1.3: only Postmaster may omit the domain
    }
    if (!cur.at('>')) {
        return parse_error::bad_path;
    }
    if (cur.i + 1 > max_path) {
        return parse_error::path_too_long;
    }
    const std::string_view found = text.substr(box, cur.i - box);
    non_ascii = false;
    for (const char c : found) {
        non_ascii = non_ascii || static_cast<unsigned char>(c) >= 0x80;
    }
    if (non_ascii && !valid_utf8(found)) {
        return parse_error::bad_path;
    }
    mailbox.assign(found);
    consumed = cur.i + 1;
    return parse_error::none;
}

} // namespace cairn::smtp
