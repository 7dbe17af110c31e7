#pragma once
// The SMTP/LMTP protocol core: one `session` per connection, with no sockets.
// Bytes from the client go in through feed(); replies come out of
// take_output(); a complete message comes out of take_message() and waits for
// the application's verdict (deliver_result) before DATA is answered. The
// Boost.Asio shell (connection.cpp, later) only moves bytes and verdicts.
//
// Typical shell loop (one connection):
//
//     smtp::session s(config);
//     s.greeting();                                  // "220 host ESMTP cairn"
//     write(s.take_output());
//     std::string in;                                // bytes not yet consumed
//     while (!s.closed()) {
//         in += read_some();
//         in.erase(0, s.feed(in));                   // may stop early, see feed()
//         write(s.take_output());
//         if (auto m = s.take_message()) {           // DATA / BDAT LAST is complete
//             auto v = archive(m->env, m->data);     // store, fsync, catalog commit
//             s.deliver_result(v);                   // now the 250 (or 451…) is queued
//             in.erase(0, s.feed(in));               // commands pipelined after the data
//             write(s.take_output());
//         }
//         if (s.wants_starttls()) { in.clear(); handshake(); s.tls_started(); }
//     }
//
// What the session enforces (each answered with the RFC's code and an RFC 3463
// enhanced status code; "counts as an error" means it moves toward max_errors):
//
// | situation                                       | reply                    |
// |-------------------------------------------------|--------------------------|
// | unknown verb, empty line                        | 500 5.5.1 (error)        |
// | command line over max_command_line (§4.5.3.1.4) | 500 5.5.2 (error)        |
// | MAIL before HELO/EHLO/LHLO, nested MAIL, RCPT   | 503 5.5.1 (error)        |
// |   before MAIL, DATA/BDAT before an accepted RCPT|                          |
// |   DATA after BDAT or BDAT after DATA (RFC 3030) |                          |
// | bad syntax, bad path, bad parameter value       | 501 5.5.4 / 5.1.7 / 5.1.3 (error) |
// | parameter not implemented (§4.1.1.11)           | 555 5.5.4 (error)        |
// | UTF-8 in a path without SMTPUTF8 (RFC 6531)     | 553 5.6.7 (error)        |
// | SIZE= over max_message_size (RFC 1870)          | 552 5.3.4                |
// | content over max_message_size                   | read to the end, 552 5.3.4 |
// | recipient not in the accept lists               | 550 5.1.1                |
// | recipient past max_recipients (§4.5.3.1.8)      | 452 4.5.3                |
// | text line over 1000 octets (§4.5.3.1.6)         | 500 5.5.2 after the data, not delivered |
// | bare LF/CR in DATA with bare_lf_policy::reject  | 550 5.6.0 after the data, not delivered |
// | DATA with more input already sent, no PIPELINING| 554 5.5.0 and close      |
// | STARTTLS not offered / already in TLS           | 454 4.7.0                |
// | STARTTLS before EHLO or inside a transaction    | 503 5.5.1 (error)        |
// | BDAT refused (no MAIL/RCPT): chunk still read   | 503 5.5.1 after the chunk (error) |
// | HELO/EHLO in LMTP mode, LHLO in SMTP mode       | 500 5.5.1 (error)        |
// | max_errors reached, max_commands passed         | 421 4.7.0 and close      |
//
// Policies (documented choices):
// * Bare LF / bare CR in DATA never end DATA and never enable dot-unstuffing
//   (SMTP smuggling, CVE-2023-51764 class). By default they are stored
//   verbatim and flagged (DESIGN.md: byte-exact archive, defects reported);
//   `bare_lf_policy::normalise` stores CRLF instead; `reject` refuses the
//   message with 550 5.6.0 after reading it. A command line ending in a bare
//   LF is accepted, except under `reject` (500 5.5.2).
// * Over-long text lines: the data is read to its end, then refused with
//   500 5.5.2 "Line too long" (the reply RFC 5321 §4.5.3.1.10 gives as its
//   example) — not silently accepted. `reject_long_lines = false` delivers the
//   message with flags.line_too_long set. BDAT content is not line-checked
//   for refusal (RFC 3030 chunks are binary-safe); only the flag is set.
// * Improper pipelining (Postfix's smtpd_forbid_unauth_pipelining): when DATA
//   would be answered 354 but more input already arrived with the DATA line
//   and the client did not negotiate PIPELINING (it sent HELO, not EHLO/LHLO),
//   the client is sending content before the go-ahead: 554 5.5.0 and close.
//   Other pipelined commands are simply answered in order.
// * STARTTLS: after "220 2.0.0 Ready to start TLS" every byte fed before
//   tls_started() is discarded (CVE-2011-0411: no plaintext command may
//   survive the upgrade), and tls_started() forgets HELO/EHLO and the
//   transaction (RFC 3207 §4.2), so the client must greet again.
// * LMTP (RFC 2033): LHLO instead of HELO/EHLO; after the data, one reply per
//   accepted recipient, in RCPT order (§4.2); a content refusal (552, 500,
//   550 5.6.0) is repeated for each.
// * Error count: replies marked "(error)" above count; recipient refusals
//   (550/452), size refusals and verdicts do not, so a legitimate delivery
//   with many unknown recipients is not cut off.
//
// Thread-safety: none; one session belongs to one connection's strand.
// Memory: one command line (≤ max_command_line), the output not yet taken,
// and at most max_message_size octets of content.
// Never throws on client input; std::bad_alloc may escape.

#include <smtp/command.hpp>
#include <smtp/data_reader.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::smtp {

enum class protocol : std::uint8_t {
    smtp, ///< RFC 5321 with EHLO/HELO
    lmtp, ///< RFC 2033: LHLO, one reply per recipient after the data
};

/// Everything a session is told; copied into the session.
struct session_config {
    protocol mode = protocol::smtp;
    /// Our name in the greeting and the EHLO reply.
    std::string hostname = "localhost";
    /// SIZE announced in EHLO; larger SIZE= at MAIL gets 552, larger content
    /// is read and discarded, then 552 (RFC 1870).
    std::uint64_t max_message_size = 50ULL * 1024 * 1024;
    /// Recipients per transaction; values below 100 are raised to 100, the
    /// minimum RFC 5321 §4.5.3.1.8 requires a server to accept.
    std::size_t max_recipients = 100;
    /// Domains (without "@", matched without regard to ASCII case) whose every
    /// address is accepted.
    std::vector<std::string> accept_domains;
    /// Whole addresses ("archive@example.org", ASCII case-insensitive) accepted.
    /// When both lists are empty every recipient is accepted; otherwise a
    /// recipient matching neither gets 550 5.1.1.
    std::vector<std::string> accept_recipients;
    /// A certificate is configured: STARTTLS is offered until TLS is on.
    bool tls_available = false;
    bare_lf_policy bare_lf = bare_lf_policy::keep_with_defect;
    /// Refuse content with a text line over 1000 octets (500 5.5.2).
    bool reject_long_lines = true;
    /// Command line limit including CRLF (RFC 5321 §4.5.3.1.4); values below
    /// 512 are raised to 512, the minimum the RFC requires.
    std::size_t max_command_line = 512;
    /// Commands per session; the one past it gets 421 4.7.0 and the session closes.
    std::size_t max_commands = 10000;
    /// Protocol errors per session; the reply to the last one is followed by
    /// 421 4.7.0 and the session closes (Postfix's smtpd_hard_error_limit).
    /// At least 1.
    std::size_t max_errors = 20;
};

/// What the client told us about one message (RFC 5321 §2.3.1 envelope).
struct envelope {
    protocol mode = protocol::smtp;
    std::string helo;                 ///< argument of the last HELO/EHLO/LHLO
    std::string mail_from;            ///< reverse path without <>; empty for <>
    std::vector<std::string> rcpt_to; ///< accepted recipients, in order, route dropped
    std::uint64_t declared_size = 0;  ///< SIZE= (0: not given)
    body_type body = body_type::unspecified;
    bool smtputf8 = false;
    bool tls = false;     ///< the message came over TLS
    bool chunked = false; ///< sent with BDAT rather than DATA
};

/// A complete message: the envelope and its content — for DATA dot-unstuffed
/// and without the final ".CRLF", otherwise exactly as received (bare LF/CR
/// per bare_lf_policy); for BDAT the chunks concatenated.
struct message_ready {
    envelope env;
    std::string data;
    data_flags flags; ///< has bare LF / bare CR / NUL / long line
};

/// The application's answer for one message (SMTP) or one recipient (LMTP).
/// 250 once the message is durable; 451 (local error), 452 (storage), 552,
/// 554… otherwise. An empty `status` becomes default_status(code); an empty
/// `text` a generic one. A code outside 200..599 is a misuse (asserted) and is
/// answered 451 4.3.0.
struct verdict {
    int code = 250;
    std::string status;
    std::string text;
};

class session {
public:
    explicit session(session_config config);

    /// Queues the 220 greeting ("220 <hostname> ESMTP cairn" or "… LMTP cairn").
    void greeting();

    /// Consumes client bytes, queueing replies. Returns how many octets of
    /// `bytes` were used; the caller keeps the rest and feeds it again later.
    /// Fewer than all are used only when
    /// * a message is complete (awaiting_verdict()): the rest are commands
    ///   pipelined after the data, to be fed after deliver_result();
    /// * the session closed (QUIT, 421, 554): the rest is never read.
    /// While wants_starttls(), everything is used and thrown away.
    std::size_t feed(std::string_view bytes);

    /// The replies queued so far, in order; the queue is emptied.
    [[nodiscard]] std::string take_output();

    /// True from the end of DATA / BDAT LAST until deliver_result().
    [[nodiscard]] bool awaiting_verdict() const { return phase_ == phase::verdict; }

    /// True while DATA or BDAT content is being read (the shell's timeout is
    /// then the data-block one, RFC 5321 §4.5.3.2.5).
    [[nodiscard]] bool reading_content() const {
        return phase_ == phase::data || phase_ == phase::bdat;
    }

    /// A MAIL command was accepted and the transaction is not over.
    [[nodiscard]] bool in_transaction() const { return in_mail_ || phase_ == phase::verdict; }

    /// The completed message, once (moved out); nullopt if none is waiting or
    /// it was already taken. The session stays awaiting_verdict() after this.
    [[nodiscard]] std::optional<message_ready> take_message();

    /// Answers the waiting message. SMTP: `verdicts` holds one verdict. LMTP:
    /// one per accepted recipient, in RCPT order (RFC 2033 §4.2), or one for
    /// all. Any other count, or no message waiting, is a misuse (asserted;
    /// missing LMTP verdicts are answered 451 4.3.0). Then the transaction is
    /// reset and the session reads commands again.
    void deliver_result(std::span<const verdict> verdicts);

    void deliver_result(const verdict& v) { deliver_result(std::span<const verdict>(&v, 1)); }

    /// True after "220 Ready to start TLS" until tls_started(): the shell must
    /// run the handshake now and drop any bytes it holds.
    [[nodiscard]] bool wants_starttls() const { return phase_ == phase::starttls; }

    /// The handshake succeeded: back to the post-greeting state, in TLS.
    void tls_started();

    [[nodiscard]] bool tls() const { return tls_; }

    /// QUIT was answered or the session gave up (421, 554): stop reading,
    /// write the remaining output and close the connection.
    [[nodiscard]] bool closed() const { return phase_ == phase::closed; }

    /// Octets thrown away between STARTTLS and tls_started() (for the log).
    [[nodiscard]] std::uint64_t discarded_before_tls() const { return discarded_; }

private:
    enum class phase : std::uint8_t { command, data, bdat, verdict, starttls, closed };

    std::size_t read_command_line(std::string_view in);
    void dispatch(std::string_view line, bool more_input);
    void finish_data();
    void finish_bdat_chunk();
    void complete_message(std::string data, const data_flags& flags);
    void reject_content(int code, std::string_view status, std::string_view text);
    void reset_transaction();
    void reply(int code, std::string_view status, std::string_view text);
    void error(int code, std::string_view status, std::string_view text);
    void close_with(std::string_view text);

    // session_commands.cpp: one handler per verb.
    void on_hello(verb v, std::string_view argument);
    void on_mail(std::string_view argument);
    void on_rcpt(std::string_view argument);
    void on_data(std::string_view argument, bool more_input);
    void on_bdat(std::string_view argument);
    void on_starttls(std::string_view argument);
    void on_simple(verb v, std::string_view argument);
    [[nodiscard]] bool accepts(std::string_view recipient) const;

    session_config config_;
    phase phase_ = phase::command;
    std::string out_;
    std::string line_; // command line being read, without CRLF
    bool line_overflow_ = false;
    std::size_t commands_ = 0;
    std::size_t errors_ = 0;
    std::uint64_t discarded_ = 0;
    bool tls_ = false;

    // Greeting state (HELO/EHLO/LHLO), reset by STARTTLS.
    std::string helo_;
    bool esmtp_ = false; // EHLO/LHLO: extensions, PIPELINING included, are negotiated

    // Transaction state, reset by RSET, HELO/EHLO, the end of a message.
    bool in_mail_ = false;
    envelope env_;
    bool used_bdat_ = false; // a BDAT chunk was accepted in this transaction

    // BDAT chunk being read: refused chunks are read and discarded, then answered.
    bool bdat_last_ = false;
    int bdat_error_code_ = 0;
    std::string_view bdat_error_status_;
    std::string_view bdat_error_text_;

    data_reader data_;
    bdat_reader bdat_;
    std::optional<message_ready> pending_;
};

} // namespace cairn::smtp
