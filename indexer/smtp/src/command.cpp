// One command line → verb and arguments (RFC 5321 §4.1.1, RFC 1870 SIZE,
// RFC 6152 8BITMIME, RFC 6531 SMTPUTF8, RFC 3030 BDAT).

#include <smtp/command.hpp>

#include <algorithm>
#include <array>
#include <utility>

namespace cairn::smtp {

namespace {

bool istarts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals_ascii(s.substr(0, prefix.size()), prefix);
}

std::string_view skip_spaces(std::string_view s) {
    while (!s.empty() && s.front() == ' ') {
        s.remove_prefix(1);
    }
    return s;
}

// 1*DIGIT into a 64-bit value; false on anything else or above 2^63 (no
// real message is that large, and it keeps arithmetic on sizes safe).
bool parse_number(std::string_view s, std::uint64_t& out) {
    if (s.empty() || s.size() > 19) {
        return false;
    }
    std::uint64_t value = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    out = value;
    return true;
}

// The next space-separated word of `rest`, which is advanced past it.
std::string_view next_word(std::string_view& rest) {
    rest = skip_spaces(rest);
    const std::size_t end = rest.find(' ');
    const std::string_view word = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    return word;
}

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"), esmtp-value =
// 1*(%d33-60 / %d62-126) (RFC 5321 §4.1.2).
bool well_formed_parameter(std::string_view keyword, std::string_view value, bool has_value) {
    if (keyword.empty() || keyword.front() == '-') {
        return false;
    }
    for (const char c : keyword) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok) {
            return false;
        }
    }
    if (has_value && value.empty()) {
        return false;
    }
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || c == '=') {
            return false;
        }
    }
    return true;
}

// Applies one MAIL parameter to `out`; `seen` guards against repeats.
parse_error apply_mail_parameter(std::string_view word, mail_args& out, std::array<bool, 3>& seen) {
    const std::size_t eq = word.find('=');
    const std::string_view keyword = word.substr(0, eq);
    const bool has_value = eq != std::string_view::npos;
    const std::string_view value = has_value ? word.substr(eq + 1) : std::string_view{};
    if (!well_formed_parameter(keyword, value, has_value)) {
        return parse_error::bad_parameter;
    }
    auto once = [&seen](std::size_t k) { return !std::exchange(seen[k], true); };
    if (iequals_ascii(keyword, "SIZE")) {
        return has_value && once(0) && parse_number(value, out.size) ? parse_error::none
                                                                     : parse_error::bad_parameter;
    }
    if (iequals_ascii(keyword, "BODY")) {
        if (!has_value || !once(1)) {
            return parse_error::bad_parameter;
        }
        if (iequals_ascii(value, "7BIT")) {
            out.body = body_type::seven_bit;
        } else if (iequals_ascii(value, "8BITMIME")) {
            out.body = body_type::eight_bit_mime;
        } else {
            return parse_error::bad_parameter; // BINARYMIME is not offered (RFC 3030 §3)
        }
        return parse_error::none;
    }
    if (iequals_ascii(keyword, "SMTPUTF8")) {
        // RFC 6531 §3.4: the parameter has no value.
        out.smtputf8 = true;
        return !has_value && once(2) ? parse_error::none : parse_error::bad_parameter;
    }
    return parse_error::unknown_parameter;
}

constexpr std::array<std::pair<std::string_view, verb>, 13> verbs{{
    {"HELO", verb::helo},
    {"EHLO", verb::ehlo},
    {"LHLO", verb::lhlo},
    {"MAIL", verb::mail},
    {"RCPT", verb::rcpt},
    {"DATA", verb::data},
    {"BDAT", verb::bdat},
    {"RSET", verb::rset},
    {"NOOP", verb::noop},
    {"QUIT", verb::quit},
    {"VRFY", verb::vrfy},
    {"HELP", verb::help},
    {"STARTTLS", verb::starttls},
}};

} // namespace

bool iequals_ascii(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

command_line split_command(std::string_view line) {
    const std::size_t space = line.find(' ');
    const std::string_view name = line.substr(0, space);
    command_line out;
    for (const auto& [text, v] : verbs) {
        if (iequals_ascii(name, text)) {
            out.v = v;
            break;
        }
    }
    if (space != std::string_view::npos) {
        out.argument = skip_spaces(line.substr(space));
    }
    return out;
}

parse_error parse_mail_from(std::string_view argument, bool esmtp, mail_args& out) {
    out = mail_args{};
    if (!istarts_with(argument, "FROM:")) {
        return parse_error::syntax;
    }
    std::string_view rest = skip_spaces(argument.substr(5));
    std::size_t consumed = 0;
    bool non_ascii = false;
    if (const auto e = parse_path(rest, true, out.reverse_path, consumed, non_ascii);
        e != parse_error::none) {
        return e;
    }
    rest.remove_prefix(consumed);
    if (!rest.empty() && rest.front() != ' ') {
        return parse_error::bad_path; // junk glued to ">"
    }
    std::array<bool, 3> seen{};
    for (std::string_view word = next_word(rest); !word.empty(); word = next_word(rest)) {
        if (!esmtp) {
            return parse_error::unknown_parameter;
        }
        if (const auto e = apply_mail_parameter(word, out, seen); e != parse_error::none) {
            return e;
        }
    }
    // SMTPUTF8 may follow the path, so the UTF-8 check waits for all parameters.
    return non_ascii && !out.smtputf8 ? parse_error::non_ascii : parse_error::none;
}

parse_error parse_rcpt_to(std::string_view argument, bool smtputf8, std::string& forward_path) {
    if (!istarts_with(argument, "TO:")) {
        return parse_error::syntax;
    }
    std::string_view rest = skip_spaces(argument.substr(3));
    std::size_t consumed = 0;
    bool non_ascii = false;
    if (const auto e = parse_path(rest, false, forward_path, consumed, non_ascii);
        e != parse_error::none) {
        return e;
    }
    rest.remove_prefix(consumed);
    if (!rest.empty() && rest.front() != ' ') {
        return parse_error::bad_path;
    }
    if (!next_word(rest).empty()) {
        return parse_error::unknown_parameter; // no RCPT extension (DSN…) is offered
    }
    return non_ascii && !smtputf8 ? parse_error::non_ascii : parse_error::none;
}

parse_error parse_bdat(std::string_view argument, bdat_args& out) {
    out = bdat_args{};
    std::string_view rest = argument;
    if (!parse_number(next_word(rest), out.size)) {
        return parse_error::syntax;
    }
    const std::string_view last = next_word(rest);
    if (!last.empty()) {
        if (!iequals_ascii(last, "LAST")) {
            return parse_error::syntax;
        }
        out.last = true;
    }
    return next_word(rest).empty() ? parse_error::none : parse_error::syntax;
}

} // namespace cairn::smtp
