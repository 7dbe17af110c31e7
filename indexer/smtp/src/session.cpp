// The session's input loop: command lines, DATA and BDAT content, verdicts,
// the STARTTLS switch. The command handlers are in session_commands.cpp.

#include <smtp/reply.hpp>
#include <smtp/session.hpp>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

namespace cairn::smtp {

namespace {

/// RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients.
constexpr std::size_t min_recipients = 100;

session_config normalised(session_config c) {
    c.max_recipients = std::max(c.max_recipients, min_recipients);
    c.max_command_line = std::max<std::size_t>(c.max_command_line, 512);
    c.max_errors = std::max<std::size_t>(c.max_errors, 1);
    return c;
}

} // namespace

session::session(session_config config)
    : config_(normalised(std::move(config)))
    , data_(config_.max_message_size, config_.bare_lf)
    , bdat_(config_.max_message_size) {
    env_.mode = config_.mode;
}

void session::greeting() {
    const std::string text =
        config_.hostname + (config_.mode == protocol::lmtp ? " LMTP cairn" : " ESMTP cairn");
    reply(220, {}, text);
}

std::string session::take_output() {
    return std::exchange(out_, {});
}

void session::reply(int code, std::string_view status, std::string_view text) {
    append_reply(out_, code, status, text);
}

void session::error(int code, std::string_view status, std::string_view text) {
    reply(code, status, text);
    if (++errors_ >= config_.max_errors) {
        close_with("Error: too many errors");
    }
}

void session::close_with(std::string_view text) {
    reply(421, "4.7.0", config_.hostname + " " + std::string(text) + ", closing connection");
    phase_ = phase::closed;
}

std::size_t session::feed(std::string_view bytes) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const std::string_view rest = bytes.substr(pos);
        switch (phase_) {
        case phase::closed:
        case phase::verdict:
            return pos;
        case phase::starttls:
            // CVE-2011-0411: whatever follows STARTTLS in plaintext was sent
            // before the handshake and must not be executed after it.
            discarded_ += rest.size();
            return bytes.size();
        case phase::command:
            pos += read_command_line(rest);
            break;
        case phase::data:
            pos += data_.feed(rest);
            if (data_.done()) {
                finish_data();
            }
            break;
        case phase::bdat:
            pos += bdat_.feed(rest);
            if (bdat_.chunk_done()) {
                finish_bdat_chunk();
            }
            break;
        }
    }
    return pos;
}

std::size_t session::read_command_line(std::string_view in) {
    const void* lf = std::memchr(in.data(), '\n', in.size());
    const std::size_t end =
        lf ? static_cast<std::size_t>(static_cast<const char*>(lf) - in.data()) : in.size();
    // Keep at most the limit (minus the LF) so a flood without LF stays bounded.
    const std::size_t room = config_.max_command_line - 1;
    if (!line_overflow_) {
        // line_.size() <= room here, so at least one more octet fits to detect overflow.
        line_.append(in.substr(0, std::min(end, room + 1 - line_.size())));
        line_overflow_ = line_.size() > room;
    }
    if (!lf) {
        return in.size();
    }
    const bool crlf = !line_.empty() && line_.back() == '\r';
    if (crlf) {
        line_.pop_back();
    }
    const std::string line = std::exchange(line_, {});
    const bool overflow = std::exchange(line_overflow_, false);
    const bool more_input = end + 1 < in.size();
    if (++commands_ > config_.max_commands) {
        close_with("Error: too many commands");
    } else if (overflow) {
        error(500, "5.5.2", "Error: line too long");
    } else if (!crlf && config_.bare_lf == bare_lf_policy::reject) {
        error(500, "5.5.2", "Error: bare <LF> received; lines end with <CR><LF>");
    } else {
        dispatch(line, more_input);
    }
    return end + 1;
}

void session::dispatch(std::string_view line, bool more_input) {
    const command_line cmd = split_command(line);
    switch (cmd.v) {
    case verb::helo:
    case verb::ehlo:
    case verb::lhlo:
        on_hello(cmd.v, cmd.argument);
        break;
    case verb::mail:
        on_mail(cmd.argument);
        break;
    case verb::rcpt:
        on_rcpt(cmd.argument);
        break;
    case verb::data:
        on_data(cmd.argument, more_input);
        break;
    case verb::bdat:
        on_bdat(cmd.argument);
        break;
    case verb::starttls:
        on_starttls(cmd.argument);
        break;
    case verb::unknown:
        error(500, "5.5.1", "Error: command not recognized");
        break;
    default:
        on_simple(cmd.v, cmd.argument);
        break;
    }
}

void session::reset_transaction() {
    in_mail_ = false;
    env_ = envelope{};
    env_.mode = config_.mode;
    env_.helo = helo_;
    env_.tls = tls_;
    used_bdat_ = false;
    data_.reset();
    bdat_.reset();
}

void session::reject_content(int code, std::string_view status, std::string_view text) {
    // LMTP answers the end of data once per accepted recipient (RFC 2033 §4.2).
    const std::size_t n = config_.mode == protocol::lmtp ? env_.rcpt_to.size() : 1;
    for (std::size_t i = 0; i < n; ++i) {
        reply(code, status, text);
    }
    reset_transaction();
    phase_ = phase::command;
}

void session::complete_message(std::string data, const data_flags& flags) {
    if (data_.content().over_size() || bdat_.content().over_size()) {
        reject_content(552, "5.3.4", "Error: message exceeds fixed maximum message size");
        return;
    }
    pending_ = message_ready{env_, std::move(data), flags};
    phase_ = phase::verdict;
}

void session::finish_data() {
    const data_flags flags = data_.flags();
    if (data_.content().over_size()) {
        complete_message({}, flags);
    } else if (flags.line_too_long && config_.reject_long_lines) {
        // RFC 5321 §4.5.3.1.10 gives "500 Line too long" as the reply.
        reject_content(500, "5.5.2", "Error: line too long (over 1000 octets, RFC 5321)");
    } else if ((flags.bare_lf || flags.bare_cr) && config_.bare_lf == bare_lf_policy::reject) {
        reject_content(550, "5.6.0", "Error: bare <LF> or <CR> received; lines end with <CR><LF>");
    } else {
        complete_message(data_.take_data(), flags);
    }
}

void session::finish_bdat_chunk() {
    phase_ = phase::command;
    if (bdat_error_code_ != 0) {
        const int code = std::exchange(bdat_error_code_, 0);
        error(code, bdat_error_status_, bdat_error_text_);
        return;
    }
    if (!bdat_last_) {
        reply(250, "2.0.0", "Ok: " + std::to_string(bdat_.content().size()) + " octets received");
        return;
    }
    env_.chunked = true;
    const data_flags flags = bdat_.flags();
    complete_message(bdat_.content().over_size() ? std::string{} : bdat_.take_data(), flags);
}

std::optional<message_ready> session::take_message() {
    return std::exchange(pending_, {});
}

void session::deliver_result(std::span<const verdict> verdicts) {
    assert(phase_ == phase::verdict && "deliver_result without a message: call it once per "
                                       "take_message(), after awaiting_verdict() is true");
    if (phase_ != phase::verdict) {
        return;
    }
    const std::size_t n = config_.mode == protocol::lmtp ? env_.rcpt_to.size() : 1;
    assert((verdicts.size() == 1 || verdicts.size() == n) &&
           "LMTP takes one verdict per accepted recipient (or one for all); SMTP takes one");
    for (std::size_t i = 0; i < n; ++i) {
        const verdict* v = verdicts.size() == 1  ? &verdicts[0]
                           : i < verdicts.size() ? &verdicts[i]
                                                 : nullptr;
        if (v == nullptr || v->code < 200 || v->code > 599) {
            reply(451, "4.3.0", "Error: local error in processing");
            continue;
        }
        // Views into *v, never into a temporary (a std::string/char* conditional
        // would build one and leave the view dangling).
        const std::string_view status =
            v->status.empty() ? default_status(v->code) : std::string_view(v->status);
        const std::string_view fallback =
            v->code / 100 == 2 ? "Ok: archived" : "Error: not archived";
        const std::string_view text = v->text.empty() ? fallback : std::string_view(v->text);
        reply(v->code, status, text);
    }
    pending_.reset();
    reset_transaction();
    phase_ = phase::command;
}

void session::tls_started() {
    assert(phase_ == phase::starttls && "tls_started() without a STARTTLS");
    tls_ = true;
    helo_.clear();
    esmtp_ = false;
    line_.clear();
    line_overflow_ = false;
    reset_transaction();
    phase_ = phase::command;
}

} // namespace cairn::smtp
