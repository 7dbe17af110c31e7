#pragma once
// Helpers shared by the deliver() suites: small numbered messages that each
// carry the word "word<N>" and a common marker word, and SMTP envelopes.

#include <indexer/archive.hpp>

#include <string>

namespace cairn::test {

/// Message <N>: Message-ID <m<N>@example.com>, body "word<N> <marker>";
/// `extra` is added to the header (e.g. an In-Reply-To field).
inline std::string numbered_mail(int n, const std::string& marker, const std::string& extra = {}) {
    const std::string num = std::to_string(n);
    return "From: sender" + num + "@example.com\r\nTo: archive@example.org\r\nSubject: mail " +
           num + "\r\nMessage-ID: <m" + num + "@example.com>\r\n" + extra + "\r\nbody word" + num +
           " " + marker + "\r\n";
}

inline index::envelope smtp_envelope(const std::string& queue_id,
                                     const std::string& from = "a@example.com") {
    index::envelope env;
    env.kind = index::source_kind::smtp;
    env.path = queue_id;
    env.client_address = "127.0.0.1";
    env.helo = "client.example";
    env.mail_from = from;
    env.rcpt_to = {"archive@example.org", "other@example.org"};
    env.tls = true;
    env.received_at = 1700000000;
    return env;
}

} // namespace cairn::test
