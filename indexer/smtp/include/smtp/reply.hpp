#pragma once
// SMTP replies: formatting what the server says, and checking/reading replies
// back (for tests, the fuzzer and, later, the loopback client in server tests).
//
// Wire form (RFC 5321 §4.2): a three-digit code, then either "-" (more lines
// follow) or " " (last line), then text, each line ending in CRLF:
//
//     250-mail.example
//     250-PIPELINING
//     250 SIZE 52428800
//
// Every reply except the greeting (220), the EHLO/HELO/LHLO answers and the
// 354 go-ahead starts its text with an RFC 3463 enhanced status code
// ("250 2.1.0 Ok"), which ENHANCEDSTATUSCODES (RFC 2034 §3) promises.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::smtp {

/// Longest reply line the server produces, CRLF included (RFC 5321 §4.5.3.1.5).
inline constexpr std::size_t max_reply_line = 512;

/// Appends one reply to `out`. `status` is the enhanced status code ("2.0.0")
/// or empty for replies that carry none. Each element of `lines` becomes one
/// line ("250-" for all but the last, "250 " for the last); an empty span gives
/// a single line with the code and status only. Control characters in `status`
/// or `lines` (CR, LF, NUL…) are replaced by spaces and over-long lines are cut,
/// so text from the application can never inject a reply line.
/// Precondition: 200 <= code <= 599 (asserted).
void append_reply(std::string& out, int code, std::string_view status,
                  std::span<const std::string_view> lines);

/// One-line convenience form of append_reply.
void append_reply(std::string& out, int code, std::string_view status, std::string_view text);

/// The enhanced status code cairn uses when a caller gives only a basic code:
/// "2.0.0", "4.0.0" or "5.0.0" by class (RFC 3463 §3.1: X.0.0 = "other or
/// undefined status"), and empty outside 2xx/4xx/5xx.
[[nodiscard]] std::string_view default_status(int code);

/// True when `out` is a sequence of complete, well-formed replies: every line
/// ends in CRLF, is at most max_reply_line octets, starts with a code in
/// 200..599 followed by "-", " " or the line end, has no other CR/LF/NUL, the
/// lines of a multi-line reply share one code, and the last line of the text
/// is a final ("NNN " or "NNN") line. An empty string is well formed.
[[nodiscard]] bool well_formed_replies(std::string_view out);

/// The code of each complete reply in `out`, in order (a multi-line reply
/// counts once). Lines that are not replies are skipped; a trailing partial
/// reply is ignored. Meant for tests and clients; it does not validate.
[[nodiscard]] std::vector<int> reply_codes(std::string_view out);

} // namespace cairn::smtp
