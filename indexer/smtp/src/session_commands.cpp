// One handler per command verb (RFC 5321 §4.1.1, RFC 2033, RFC 3030, RFC 3207).
// Sequencing follows RFC 5321 §4.1.4: HELO/EHLO first, then MAIL, RCPT…, DATA.

#include <smtp/reply.hpp>
#include <smtp/session.hpp>

#include <array>

namespace cairn::smtp {

namespace {

struct error_reply {
    int code;
    std::string_view status;
    std::string_view text;
};

// The reply for a refused MAIL/RCPT argument; `sender` picks X.1.7 (bad
// sender address) or X.1.3 (bad destination address), RFC 3463 §3.2.
error_reply reply_for(parse_error e, bool sender, std::string_view usage) {
    switch (e) {
    case parse_error::bad_path:
        return {501, sender ? "5.1.7" : "5.1.3", "Error: bad address syntax"};
    case parse_error::path_too_long:
        return {501, "5.5.4", "Error: path too long"};
    case parse_error::non_ascii:
        // RFC 6531 §3.5 / RFC 6533: X.6.7 non-ASCII address not permitted.
        return {553, "5.6.7", "Error: non-ASCII address requires SMTPUTF8"};
    case parse_error::bad_parameter:
        return {501, "5.5.4", "Error: bad parameter value"};
    case parse_error::unknown_parameter:
        return {555, "5.5.4", "Error: parameter not recognized or not implemented"};
    case parse_error::syntax:
    case parse_error::none:
        break;
    }
    return {501, "5.5.4", usage};
}

} // namespace

void session::on_hello(verb v, std::string_view argument) {
    const bool lmtp = config_.mode == protocol::lmtp;
    if (lmtp != (v == verb::lhlo)) {
        // RFC 2033 §4.1: an LMTP server must not accept HELO or EHLO.
        error(500, "5.5.1",
              lmtp ? "Error: this is LMTP, use LHLO" : "Error: command not recognized");
        return;
    }
    if (argument.empty()) {
        error(501, "5.5.4", "Syntax: EHLO hostname");
        return;
    }
    helo_.assign(argument);
    esmtp_ = v != verb::helo;
    reset_transaction(); // RFC 5321 §4.1.4: EHLO/HELO also clears any transaction
    if (!esmtp_) {
        reply(250, {}, config_.hostname);
        return;
    }
    const std::string size = "SIZE " + std::to_string(config_.max_message_size);
    std::array<std::string_view, 8> lines{config_.hostname, "PIPELINING", size,
                                          "8BITMIME",       "SMTPUTF8",   "ENHANCEDSTATUSCODES",
                                          "CHUNKING",       "STARTTLS"};
    const bool offer_tls = config_.tls_available && !tls_;
    append_reply(out_, 250, {}, std::span(lines.data(), offer_tls ? 8 : 7));
}

void session::on_mail(std::string_view argument) {
    if (helo_.empty()) {
        error(503, "5.5.1",
              config_.mode == protocol::lmtp ? "Error: send LHLO first"
                                             : "Error: send HELO/EHLO first");
        return;
    }
    if (in_mail_) {
        error(503, "5.5.1", "Error: nested MAIL command");
        return;
    }
    mail_args mail;
    if (const auto e = parse_mail_from(argument, esmtp_, mail); e != parse_error::none) {
        const error_reply r = reply_for(e, true, "Syntax: MAIL FROM:<address>");
        error(r.code, r.status, r.text);
        return;
    }
    if (mail.size > config_.max_message_size) {
        reply(552, "5.3.4", "Error: message size exceeds fixed maximum message size");
        return;
    }
    in_mail_ = true;
    env_.mail_from = std::move(mail.reverse_path);
    env_.declared_size = mail.size;
    env_.body = mail.body;
    env_.smtputf8 = mail.smtputf8;
    reply(250, "2.1.0", "Ok");
}

bool session::accepts(std::string_view recipient) const {
    if (config_.accept_domains.empty() && config_.accept_recipients.empty()) {
        return true;
    }
    for (const std::string& r : config_.accept_recipients) {
        if (iequals_ascii(r, recipient)) {
            return true;
        }
    }
    // The domain follows the last "@": a quoted local part may contain one.
    const std::size_t at = recipient.rfind('@');
    if (at == std::string_view::npos) {
        return false;
    }
    const std::string_view domain = recipient.substr(at + 1);
    for (const std::string& d : config_.accept_domains) {
        if (iequals_ascii(d, domain)) {
            return true;
        }
    }
    return false;
}

void session::on_rcpt(std::string_view argument) {
    if (!in_mail_) {
        error(503, "5.5.1", "Error: need MAIL command");
        return;
    }
    std::string path;
    if (const auto e = parse_rcpt_to(argument, env_.smtputf8, path); e != parse_error::none) {
        const error_reply r = reply_for(e, false, "Syntax: RCPT TO:<address>");
        error(r.code, r.status, r.text);
        return;
    }
    if (env_.rcpt_to.size() >= config_.max_recipients) {
        reply(452, "4.5.3", "Error: too many recipients");
        return;
    }
    if (!accepts(path)) {
        reply(550, "5.1.1", "Error: recipient address rejected: not an archive address");
        return;
    }
    env_.rcpt_to.push_back(std::move(path));
    reply(250, "2.1.5", "Ok");
}

void session::on_data(std::string_view argument, bool more_input) {
    if (!argument.empty()) {
        error(501, "5.5.4", "Syntax: DATA");
    } else if (!in_mail_) {
        error(503, "5.5.1", "Error: need MAIL command");
    } else if (env_.rcpt_to.empty()) {
        error(503, "5.5.1", "Error: need RCPT command (no valid recipients)");
    } else if (used_bdat_) {
        error(503, "5.5.1", "Error: DATA cannot follow BDAT in one transaction (RFC 3030)");
    } else if (more_input && !esmtp_) {
        // Content sent before the 354 by a client that never negotiated
        // PIPELINING: Postfix's smtpd_forbid_unauth_pipelining answer.
        reply(554, "5.5.0", "Error: SMTP protocol synchronization");
        phase_ = phase::closed;
    } else {
        data_.reset();
        reply(354, {}, "End data with <CR><LF>.<CR><LF>");
        phase_ = phase::data;
    }
}

void session::on_bdat(std::string_view argument) {
    bdat_args args;
    if (parse_bdat(argument, args) != parse_error::none) {
        // Without a valid size the chunk cannot be skipped; what follows is
        // read as commands, which is all RFC 3030 leaves us.
        error(501, "5.5.4", "Syntax: BDAT size [LAST]");
        return;
    }
    bdat_error_code_ = 0;
    if (!in_mail_) {
        bdat_error_code_ = 503;
        bdat_error_text_ = "Error: need MAIL command";
    } else if (env_.rcpt_to.empty()) {
        bdat_error_code_ = 503;
        bdat_error_text_ = "Error: need RCPT command (no valid recipients)";
    }
    bdat_error_status_ = "5.5.1";
    const bool refused = bdat_error_code_ != 0;
    used_bdat_ = used_bdat_ || !refused;
    bdat_last_ = args.last;
    // A refused chunk is still read and dropped (RFC 3030 §2), so its octets
    // are never taken for commands.
    bdat_.begin_chunk(args.size, refused);
    phase_ = phase::bdat;
    if (bdat_.chunk_done()) {
        finish_bdat_chunk(); // BDAT 0 [LAST]: nothing to read
    }
}

void session::on_starttls(std::string_view argument) {
    if (!argument.empty()) {
        error(501, "5.5.4", "Syntax: STARTTLS"); // RFC 3207 §4: no parameters
    } else if (!config_.tls_available || tls_) {
        reply(454, "4.7.0", "TLS not available");
    } else if (helo_.empty()) {
        error(503, "5.5.1", "Error: send EHLO first");
    } else if (in_mail_) {
        error(503, "5.5.1", "Error: STARTTLS inside a mail transaction");
    } else {
        reply(220, "2.0.0", "Ready to start TLS");
        phase_ = phase::starttls;
    }
}

void session::on_simple(verb v, std::string_view argument) {
    switch (v) {
    case verb::rset:
        reset_transaction();
        reply(250, "2.0.0", "Ok");
        break;
    case verb::noop:
        reply(250, "2.0.0", "Ok");
        break;
    case verb::quit:
        reply(221, "2.0.0", "Bye");
        phase_ = phase::closed;
        break;
    case verb::vrfy:
        if (argument.empty()) {
            error(501, "5.5.4", "Syntax: VRFY address");
        } else {
            // RFC 5321 §3.5.3: 252 when the server will not verify but accepts mail.
            reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
        }
        break;
    case verb::help:
        reply(214, "2.0.0",
              "Commands: EHLO HELO LHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS");
        break;
    default:
        error(500, "5.5.1", "Error: command not recognized");
        break;
    }
}

} // namespace cairn::smtp
