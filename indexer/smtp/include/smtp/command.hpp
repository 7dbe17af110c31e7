#pragma once
// One SMTP/LMTP command line → verb, path and ESMTP parameters.
//
// These are the pure grammar pieces `session` is built on; they allocate only
// for the addresses they return and never throw. Every function takes the
// line *without* its CRLF.
//
//     auto cmd = smtp::split_command("MAIL FROM:<a@example.org> SIZE=1200");
//     smtp::mail_args mail;
//     if (cmd.v == smtp::verb::mail &&
//         smtp::parse_mail_from(cmd.argument, true, mail) == smtp::parse_error::none) {
//         // mail.reverse_path == "a@example.org", mail.size == 1200
//     }

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::smtp {

/// The commands the session knows (RFC 5321 §4.1.1, RFC 2033 LHLO, RFC 3030
/// BDAT, RFC 3207 STARTTLS). Anything else is `unknown`.
enum class verb : std::uint8_t {
    helo,
    ehlo,
    lhlo,
    mail,
    rcpt,
    data,
    bdat,
    rset,
    noop,
    quit,
    vrfy,
    help,
    starttls,
    unknown,
};

/// ASCII case-insensitive equality (verbs, parameter names, domains in the
/// accept lists); octets ≥ 0x80 must match exactly.
[[nodiscard]] bool iequals_ascii(std::string_view a, std::string_view b);

/// A command line split at its first space: the verb (matched without regard
/// to case, RFC 5321 §2.4) and the rest of the line. `argument` views the
/// input; leading spaces are removed, trailing spaces kept (a path may not end
/// in one, and parameters ignore them).
struct command_line {
    verb v = verb::unknown;
    std::string_view argument;
};

[[nodiscard]] command_line split_command(std::string_view line);

/// Why a MAIL, RCPT or BDAT argument was refused; each maps to one reply in
/// the session (see session.hpp).
enum class parse_error : std::uint8_t {
    none,              ///< parsed
    syntax,            ///< no "FROM:"/"TO:", or BDAT size missing/not a number → 501 5.5.4
    bad_path,          ///< the <path> does not follow RFC 5321 §4.1.2 → 501 5.1.3 / 5.1.7
    path_too_long,     ///< path over 256 octets (RFC 5321 §4.5.3.1.3) → 501 5.5.4
    non_ascii,         ///< UTF-8 in a path without SMTPUTF8 (RFC 6531 §3.5) → 553 5.6.7
    bad_parameter,     ///< known ESMTP parameter with a bad or repeated value → 501 5.5.4
    unknown_parameter, ///< parameter we do not implement (RFC 5321 §4.1.1.11) → 555 5.5.4
};

/// BODY= of MAIL FROM (RFC 6152). BINARYMIME is not offered.
enum class body_type : std::uint8_t { unspecified, seven_bit, eight_bit_mime };

/// The arguments of MAIL FROM:<reverse-path> [SIZE=n] [BODY=…] [SMTPUTF8].
struct mail_args {
    std::string reverse_path; ///< mailbox without <>; empty for the null path <>
    std::uint64_t size = 0;   ///< SIZE= (RFC 1870); 0 when not given
    body_type body = body_type::unspecified;
    bool smtputf8 = false; ///< SMTPUTF8 (RFC 6531 §3.4)
};

/// Parses the argument of MAIL ("FROM:<path> params"). `esmtp` is false when
/// the client greeted with HELO: then no parameter is allowed (unknown_parameter),
/// because no extension was negotiated (RFC 5321 §4.1.1.2).
/// Lenient where real clients are: "FROM:" matches any case and spaces
/// between the colon and the path are skipped.
[[nodiscard]] parse_error parse_mail_from(std::string_view argument, bool esmtp, mail_args& out);

/// Parses the argument of RCPT ("TO:<path>"). The source route of
/// <@a,@b:user@host> is dropped (RFC 5321 §4.1.1.3, Appendix C); the null path
/// is refused; <postmaster> without a domain is accepted (§4.1.1.3). UTF-8 in
/// the path needs `smtputf8` (given on the MAIL command). No RCPT parameter is
/// implemented (DSN is not offered), so any parameter is unknown_parameter.
[[nodiscard]] parse_error parse_rcpt_to(std::string_view argument, bool smtputf8,
                                        std::string& forward_path);

/// The arguments of BDAT chunk-size [LAST] (RFC 3030 §2).
struct bdat_args {
    std::uint64_t size = 0;
    bool last = false;
};

/// Parses "n" or "n LAST" (LAST in any case). A size over 2^63 is a syntax error.
[[nodiscard]] parse_error parse_bdat(std::string_view argument, bdat_args& out);

/// Parses one <path> at the start of `text` (RFC 5321 §4.1.2, with RFC 6531's
/// UTF-8 atext/qtext/U-labels). On success sets `mailbox` (local@domain as
/// sent, source route dropped; empty for "<>"), `consumed` (octets up to and
/// including ">"), `non_ascii` (any octet ≥ 0x80; the UTF-8 is checked to be
/// well formed) and returns none. `allow_null` permits "<>".
[[nodiscard]] parse_error parse_path(std::string_view text, bool allow_null, std::string& mailbox,
                                     std::size_t& consumed, bool& non_ascii);

} // namespace cairn::smtp
