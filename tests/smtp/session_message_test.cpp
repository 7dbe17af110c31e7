// What the session hands the application and says exactly: capability lists,
// envelopes, message bytes (identical however the input is split), flags,
// enhanced status codes, verdict handling, the STARTTLS discard.

#include "session_testing.hpp"

#include <smtp/session.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace cairn;
using smtp::test::dialogue;
using smtp::test::run;

smtp::session_config config(smtp::protocol mode = smtp::protocol::smtp, bool tls = false) {
    smtp::session_config c;
    c.hostname = "mx.archive.example";
    c.mode = mode;
    c.tls_available = tls;
    c.max_message_size = 1000;
    return c;
}

TEST(session_text, greeting_and_ehlo_capabilities) {
    const auto t = run({"ehlo", config(), {"EHLO c.example\r\n", "HELO c.example\r\n"}, ""});
    EXPECT_EQ(t.output, "220 mx.archive.example ESMTP cairn\r\n"
                        "250-mx.archive.example\r\n"
                        "250-PIPELINING\r\n"
                        "250-SIZE 1000\r\n"
                        "250-8BITMIME\r\n"
                        "250-SMTPUTF8\r\n"
                        "250-ENHANCEDSTATUSCODES\r\n"
                        "250 CHUNKING\r\n"
                        "250 mx.archive.example\r\n"); // HELO: no extensions (RFC 5321 §4.1.1.1)
}

TEST(session_text, starttls_offered_until_tls_is_on) {
    const auto t = run({"tls",
                        config(smtp::protocol::smtp, true),
                        {"EHLO c\r\n", "STARTTLS\r\n", "!tls", "EHLO c\r\n"},
                        ""});
    const std::string before = "250-CHUNKING\r\n250 STARTTLS\r\n220 2.0.0 Ready to start TLS\r\n";
    EXPECT_NE(t.output.find(before), std::string::npos) << t.output;
    EXPECT_EQ(t.output.rfind("STARTTLS"), t.output.find("STARTTLS")) << "offered again in TLS";
    EXPECT_TRUE(t.output.ends_with("250 CHUNKING\r\n"));
}

TEST(session_text, lmtp_greeting_and_lhlo) {
    const auto t = run({"lmtp", config(smtp::protocol::lmtp), {"LHLO c\r\n"}, ""});
    EXPECT_TRUE(
        t.output.starts_with("220 mx.archive.example LMTP cairn\r\n250-mx.archive.example"));
}

// RFC 2034 §3: every reply but the greeting, EHLO and 354 carries "d.d.d".
TEST(session_text, enhanced_status_codes) {
    const auto t = run({"codes",
                        config(),
                        {"EHLO c\r\n", "MAIL FROM:<a@b.example>\r\n", "RCPT TO:<x@y.example>\r\n",
                         "DATA\r\n", "x\r\n.\r\n", "RCPT TO:<x@y.example>\r\n", "FOO\r\n",
                         "VRFY x\r\n", "HELP\r\n", "NOOP\r\n", "RSET\r\n", "QUIT\r\n"},
                        ""});
    std::size_t checked = 0;
    for (std::size_t pos = 0; pos < t.output.size();) {
        const std::size_t end = t.output.find("\r\n", pos);
        const std::string line = t.output.substr(pos, end - pos);
        pos = end + 2;
        if (line.starts_with("220 mx") || line.starts_with("250-") || line.starts_with("354") ||
            line == "250 CHUNKING") {
            continue;
        }
        ASSERT_GE(line.size(), 9U) << line;
        EXPECT_TRUE(line[4] == line[0] && line[5] == '.' && line[7] == '.') << line;
        ++checked;
    }
    EXPECT_EQ(checked, 10U); // MAIL RCPT end-of-data RCPT FOO VRFY HELP NOOP RSET QUIT
}

TEST(session_message, envelope) {
    const auto t = run(
        {"envelope",
         config(),
         {"EHLO client.example\r\n",
          "MAIL FROM:<s@origin.example> SIZE=20 BODY=8BITMIME SMTPUTF8\r\n",
          "RCPT TO:<@relay.example:a@archive.example>\r\n", "RCPT TO:<\"b c\"@archive.example>\r\n",
          "RCPT TO:<bad>\r\n", "DATA\r\n", "Subject: x\r\n\r\n..y\r\n.\r\n"},
         ""});
    ASSERT_EQ(t.messages.size(), 1U);
    const smtp::envelope& e = t.messages[0].env;
    EXPECT_EQ(e.helo, "client.example");
    EXPECT_EQ(e.mail_from, "s@origin.example");
    EXPECT_EQ(e.rcpt_to,
              (std::vector<std::string>{"a@archive.example", "\"b c\"@archive.example"}));
    EXPECT_EQ(e.declared_size, 20U);
    EXPECT_EQ(e.body, smtp::body_type::eight_bit_mime);
    EXPECT_TRUE(e.smtputf8);
    EXPECT_FALSE(e.tls);
    EXPECT_FALSE(e.chunked);
    EXPECT_EQ(t.messages[0].data, "Subject: x\r\n\r\n.y\r\n");
}

TEST(session_message, tls_and_chunked_in_envelope) {
    const auto t = run({"tls-bdat",
                        config(smtp::protocol::smtp, true),
                        {"EHLO c\r\n", "STARTTLS\r\n", "!tls", "EHLO c\r\n",
                         "MAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nBDAT 3 LAST\r\nabc"},
                        ""});
    ASSERT_EQ(t.messages.size(), 1U);
    EXPECT_TRUE(t.messages[0].env.tls);
    EXPECT_TRUE(t.messages[0].env.chunked);
    EXPECT_EQ(t.messages[0].env.mail_from, "");
    EXPECT_EQ(t.messages[0].data, "abc");
}

TEST(session_message, flags_reach_the_application) {
    const auto t = run({"flags",
                        config(),
                        {"EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nDATA\r\n",
                         std::string("a\nb\rc\0d\r\n.\r\n", 12)},
                        ""});
    ASSERT_EQ(t.messages.size(), 1U);
    const smtp::data_flags& f = t.messages[0].flags;
    EXPECT_TRUE(f.bare_lf && f.bare_cr && f.nul && !f.line_too_long);
    EXPECT_EQ(t.messages[0].data, std::string("a\nb\rc\0d\r\n", 9)); // kept byte-exact
}

// The bytes delivered must not depend on where TCP cut the stream (STYLE.md
// §5 streaming invariance): split the whole dialogue at every position.
TEST(session_message, identical_at_every_split) {
    const std::string head = "EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<x@y.example>\r\n";
    const std::string inputs[] = {
        head + "DATA\r\nA: b\r\n\r\n..one\r\n.\n\r.x\r\n.\r\nNOOP\r\n",
        head + "BDAT 5\r\n.\r\n\r\nBDAT 4 LAST\r\n.\r\nxNOOP\r\n",
    };
    for (const std::string& whole : inputs) {
        const auto reference = run({"whole", config(), {whole}, ""});
        ASSERT_EQ(reference.messages.size(), 1U);
        for (std::size_t cut = 1; cut < whole.size(); ++cut) {
            const auto t = run({"split", config(), {whole.substr(0, cut), whole.substr(cut)}, ""});
            ASSERT_EQ(t.log, reference.log) << "cut at " << cut;
            ASSERT_EQ(t.messages.size(), 1U) << "cut at " << cut;
            ASSERT_EQ(t.messages[0].data, reference.messages[0].data) << "cut at " << cut;
        }
        std::vector<std::string> bytes;
        for (const char c : whole) {
            bytes.emplace_back(1, c);
        }
        const auto t = run({"bytes", config(), bytes, ""});
        EXPECT_EQ(t.output, reference.output);
    }
}

TEST(session_api, feed_stops_at_the_end_of_data_until_the_verdict) {
    smtp::session s(config());
    const std::string after = "NOOP\r\n";
    const std::string in =
        "EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<a@b.example>\r\nDATA\r\nx\r\n.\r\n" + after;
    EXPECT_EQ(s.feed(in), in.size() - after.size());
    EXPECT_TRUE(s.awaiting_verdict());
    EXPECT_EQ(s.feed(after), 0U);
    ASSERT_TRUE(s.take_message().has_value());
    EXPECT_FALSE(s.take_message().has_value()); // handed out once
    (void)s.take_output();
    s.deliver_result(smtp::verdict{452, "4.3.1", "disk full\r\n250 fake"});
    EXPECT_EQ(s.take_output(), "452 4.3.1 disk full  250 fake\r\n");
    EXPECT_EQ(s.feed(after), after.size());
    EXPECT_EQ(s.take_output(), "250 2.0.0 Ok\r\n");
}

TEST(session_api, starttls_discards_everything_until_the_handshake) {
    smtp::session s(config(smtp::protocol::smtp, true));
    const std::string junk = "MAIL FROM:<evil@x.example>\r\n";
    EXPECT_EQ(s.feed("EHLO c\r\nSTARTTLS\r\n" + junk), 18 + junk.size());
    EXPECT_TRUE(s.wants_starttls());
    EXPECT_EQ(s.feed("RCPT TO:<x@y.example>\r\n"), 23U);
    EXPECT_EQ(s.discarded_before_tls(), junk.size() + 23);
    s.tls_started();
    EXPECT_TRUE(s.tls());
    EXPECT_FALSE(s.wants_starttls());
}

TEST(session_api, quit_leaves_the_rest_unread) {
    smtp::session s(config());
    EXPECT_EQ(s.feed("QUIT\r\nNOOP\r\n"), 6U);
    EXPECT_TRUE(s.closed());
    EXPECT_EQ(s.feed("NOOP\r\n"), 0U);
    EXPECT_EQ(s.take_output(), "221 2.0.0 Bye\r\n");
}

TEST(session_api, command_flood_without_line_end_stays_bounded) {
    smtp::session s(config());
    const std::string flood(1 << 20, 'A');
    EXPECT_EQ(s.feed(flood), flood.size());
    EXPECT_EQ(s.take_output(), "");
    EXPECT_EQ(s.feed("\r\n"), 2U);
    EXPECT_EQ(s.take_output(), "500 5.5.2 Error: line too long\r\n");
}

} // namespace
