// Scripted dialogues against smtp::session, no sockets (STYLE.md §5 "SMTP").
//
// Each row is {name, config, script, expected}. The script is the client's
// chunks, fed in order; two pseudo-chunks steer the application side:
//   "!v 250,452"  deliver these verdicts for the waiting message;
//   "!tls"        the TLS handshake finished (tls_started()).
// When a message completes and the next step is not "!v", the driver accepts
// it with 250. The expected log lists the reply codes in order, "M" where a
// message was handed to the application, and "closed" if the session ended.
// Every output is also checked with well_formed_replies().

#include "session_testing.hpp"

#include <smtp/reply.hpp>
#include <smtp/session.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace cairn;
using smtp::test::dialogue;
using smtp::test::run;

const std::string ehlo = "EHLO client.example\r\n";
const std::string helo = "HELO client.example\r\n";
const std::string lhlo = "LHLO client.example\r\n";
const std::string mail = "MAIL FROM:<sender@origin.example>\r\n";
const std::string rcpt = "RCPT TO:<archive@archive.example>\r\n";
const std::string data = "DATA\r\n";
const std::string body = "Subject: hi\r\n\r\nbody\r\n.\r\n";
const std::string quit = "QUIT\r\n";

smtp::session_config with(void (*edit)(smtp::session_config&)) {
    smtp::session_config c;
    c.hostname = "mx.archive.example";
    if (edit != nullptr) {
        edit(c);
    }
    return c;
}

const smtp::session_config plain = with(nullptr);
const smtp::session_config lmtp = with([](auto& c) { c.mode = smtp::protocol::lmtp; });
const smtp::session_config tls = with([](auto& c) { c.tls_available = true; });
const smtp::session_config small = with([](auto& c) { c.max_message_size = 100; });
const smtp::session_config domains = with([](auto& c) {
    c.accept_domains = {"archive.example"};
    c.accept_recipients = {"keep@other.example"};
});
const smtp::session_config strict_lf =
    with([](auto& c) { c.bare_lf = smtp::bare_lf_policy::reject; });
const smtp::session_config few_errors = with([](auto& c) { c.max_errors = 3; });
const smtp::session_config few_commands = with([](auto& c) { c.max_commands = 3; });

std::string recipients(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += "RCPT TO:<r" + std::to_string(i) + "@archive.example>\r\n";
    }
    return out;
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

// SMTP smuggling (CVE-2023-51764 class): each of these separators hides a
// second "message" inside the first for a receiver that ends DATA on it.
// Only CRLF.CRLF ends DATA, so each dialogue yields exactly one message.
void add_smuggling_rows(std::vector<dialogue>& rows) {
    static constexpr std::pair<std::string_view, std::string_view> separators[] = {
        {"smuggle_lf_dot_lf", "\n.\n"},     {"smuggle_lf_dot_crlf", "\n.\r\n"},
        {"smuggle_crlf_dot_lf", "\r\n.\n"}, {"smuggle_cr_dot_cr", "\r.\r"},
        {"smuggle_cr_dot_crlf", "\r.\r\n"},
    };
    for (const auto& [name, separator] : separators) {
        const std::string content = "a" + std::string(separator) +
                                    "MAIL FROM:<evil@x.example>\r\n" + rcpt + data + "b\r\n.\r\n";
        rows.push_back(
            {name, plain, {ehlo, mail, rcpt, data, content}, "220 250 250 250 354 M 250"});
    }
}

std::vector<dialogue> dialogues() {
    const std::string codes_250x100 = repeat("250 ", 100);
    std::vector<dialogue> rows{
        // --- the ordinary paths (RFC 5321 §3.3, Appendix D.1)
        {"ehlo_transaction",
         plain,
         {ehlo, mail, rcpt, data, body, quit},
         "220 250 250 250 354 M 250 221 closed"},
        {"helo_transaction",
         plain,
         {helo, mail, rcpt, data, body, quit},
         "220 250 250 250 354 M 250 221 closed"},
        {"null_sender",
         plain,
         {ehlo, "MAIL FROM:<>\r\n", rcpt, data, body},
         "220 250 250 250 354 M 250"},
        {"two_messages_one_session",
         plain,
         {ehlo, mail, rcpt, data, body, mail, rcpt, data, body},
         "220 250 250 250 354 M 250 250 250 354 M 250"},
        {"dot_alone_is_empty_message",
         plain,
         {ehlo, mail, rcpt, data, ".\r\n"},
         "220 250 250 250 354 M 250"},
        // --- PIPELINING (RFC 2920 §3.1): a batch gets its replies in order
        {"pipelined_batch",
         plain,
         {ehlo, mail + rcpt + rcpt + data, body, quit},
         "220 250 250 250 250 354 M 250 221 closed"},
        {"pipelined_after_data_waits_for_verdict",
         plain,
         {ehlo + mail + rcpt + data, body + "NOOP\r\n", "!v 451"},
         "220 250 250 250 354 M 451 250"},
        {"improper_pipelining_without_ehlo",
         plain,
         {helo, mail, rcpt, data + "Subject: x\r\n"},
         "220 250 250 250 554 closed"},
        {"content_with_data_after_ehlo_is_allowed",
         plain,
         {ehlo, mail, rcpt, data + body},
         "220 250 250 250 354 M 250"},
        // --- sequencing (RFC 5321 §4.1.4) → 503
        {"mail_before_helo", plain, {mail}, "220 503"},
        {"rcpt_before_mail", plain, {ehlo, rcpt}, "220 250 503"},
        {"data_before_mail", plain, {ehlo, data}, "220 250 503"},
        {"data_before_rcpt", plain, {ehlo, mail, data}, "220 250 250 503"},
        {"nested_mail", plain, {ehlo, mail, mail}, "220 250 250 503"},
        {"rset_mid_transaction",
         plain,
         {ehlo, mail, rcpt, "RSET\r\n", rcpt, mail, rcpt, data, body},
         "220 250 250 250 250 503 250 250 354 M 250"},
        {"second_ehlo_resets_transaction", plain, {ehlo, mail, ehlo, rcpt}, "220 250 250 250 503"},
        // --- syntax → 501 / 555 / 553
        {"mail_without_colon", plain, {ehlo, "MAIL FROM <a@b.example>\r\n"}, "220 250 501"},
        {"mail_path_without_brackets", plain, {ehlo, "MAIL FROM:a@b.example\r\n"}, "220 250 501"},
        {"rcpt_empty_domain", plain, {ehlo, mail, "RCPT TO:<a@>\r\n"}, "220 250 250 501"},
        {"rcpt_null_path", plain, {ehlo, mail, "RCPT TO:<>\r\n"}, "220 250 250 501"},
        {"unknown_mail_parameter",
         plain,
         {ehlo, "MAIL FROM:<a@b.example> AUTH=<>\r\n"},
         "220 250 555"},
        {"parameters_need_ehlo",
         plain,
         {helo, "MAIL FROM:<a@b.example> SIZE=10\r\n"},
         "220 250 555"},
        {"esmtp_parameters",
         plain,
         {ehlo, "mail from:<a@b.example> SIZE=10 BODY=8BITMIME SMTPUTF8\r\n", rcpt, data, body},
         "220 250 250 250 354 M 250"},
        {"bad_body_value",
         plain,
         {ehlo, "MAIL FROM:<a@b.example> BODY=BINARYMIME\r\n"},
         "220 250 501"},
        {"utf8_needs_smtputf8",
         plain,
         {ehlo, "MAIL FROM:<j\xc3\xb6rg@b.example>\r\n",
          "MAIL FROM:<j\xc3\xb6rg@b.example> SMTPUTF8\r\n",
          "RCPT TO:<\xc3\xa5@archive.example>\r\n"},
         "220 250 553 250 250"},
        {"utf8_rcpt_without_smtputf8",
         plain,
         {ehlo, mail, "RCPT TO:<\xc3\xa5@archive.example>\r\n"},
         "220 250 250 553"},
        {"source_route_and_quoted_local",
         plain,
         {ehlo, mail, "RCPT TO:<@a.example,@b.example:x@archive.example>\r\n",
          "RCPT TO:<\"john doe\"@archive.example>\r\n", "RCPT TO:<postmaster>\r\n"},
         "220 250 250 250 250 250"},
        {"helo_without_domain", plain, {"EHLO\r\n"}, "220 501"},
        {"data_with_argument", plain, {ehlo, mail, rcpt, "DATA now\r\n"}, "220 250 250 250 501"},
        // --- other commands
        {"noop_vrfy_help",
         plain,
         {"NOOP\r\n", "VRFY someone\r\n", "VRFY\r\n", "HELP\r\n"},
         "220 250 252 501 214"},
        {"unknown_command", plain, {"FOO bar\r\n", "\r\n"}, "220 500 500"},
        {"quit_stops_reading", plain, {"QUIT\r\nNOOP\r\n"}, "220 221 closed"},
        {"bare_lf_command_accepted", plain, {"NOOP\n"}, "220 250"},
        // --- limits
        {"size_declared_too_big",
         small,
         {ehlo, "MAIL FROM:<a@b.example> SIZE=101\r\n", "MAIL FROM:<a@b.example> SIZE=100\r\n"},
         "220 250 552 250"},
        {"size_actual_too_big",
         small,
         {ehlo, mail, rcpt, data, std::string(200, 'x') + "\r\n.\r\n", "NOOP\r\n"},
         "220 250 250 250 354 552 250"},
        {"recipient_101_refused",
         plain,
         {ehlo, mail, recipients(101), data, body},
         "220 250 250 " + codes_250x100 + "452 354 M 250"},
        {"recipient_not_accepted",
         domains,
         {ehlo, mail, "RCPT TO:<a@elsewhere.example>\r\n", "RCPT TO:<a@ARCHIVE.example>\r\n",
          "RCPT TO:<Keep@other.example>\r\n", "RCPT TO:<x@other.example>\r\n"},
         "220 250 250 550 250 250 550"},
        {"command_line_too_long",
         plain,
         {"NOOP " + std::string(600, 'x') + "\r\n", "NOOP\r\n"},
         "220 500 250"},
        {"command_line_at_limit", plain, {"NOOP " + std::string(505, 'x') + "\r\n"}, "220 250"},
        {"command_line_one_over", plain, {"NOOP " + std::string(506, 'x') + "\r\n"}, "220 500"},
        {"text_line_too_long",
         plain,
         {ehlo, mail, rcpt, data, std::string(999, 'x') + "\r\n.\r\n", "NOOP\r\n"},
         "220 250 250 250 354 500 250"},
        {"text_line_at_limit",
         plain,
         {ehlo, mail, rcpt, data, std::string(998, 'x') + "\r\n.\r\n"},
         "220 250 250 250 354 M 250"},
        {"nul_byte_kept",
         plain,
         {ehlo, mail, rcpt, data, std::string("a\0b\r\n.\r\n", 8)},
         "220 250 250 250 354 M 250"},
        {"too_many_errors",
         few_errors,
         {"FOO\r\nBAR\r\nBAZ\r\nNOOP\r\n"},
         "220 500 500 500 421 closed"},
        {"too_many_commands",
         few_commands,
         {"NOOP\r\nNOOP\r\nNOOP\r\nNOOP\r\n"},
         "220 250 250 250 421 closed"},
        {"bare_lf_rejected_by_policy",
         strict_lf,
         {ehlo, mail, rcpt, data, "a\nb\r\n.\r\n", "NOOP\n"},
         "220 250 250 250 354 550 500"},
        // --- CHUNKING (RFC 3030)
        {"bdat_last", plain, {ehlo, mail, rcpt, "BDAT 5 LAST\r\nhello"}, "220 250 250 250 M 250"},
        {"bdat_chunks_split",
         plain,
         {ehlo, mail, rcpt, "BDAT 3\r\na", "bcBDAT 2 LA", "ST\r\nd", "e"},
         "220 250 250 250 250 M 250"},
        {"bdat_zero_last",
         plain,
         {ehlo, mail, rcpt, "BDAT 3\r\nabcBDAT 0 LAST\r\n"},
         "220 250 250 250 250 M 250"},
        {"bdat_before_mail_discards_chunk",
         plain,
         {ehlo, "BDAT 6\r\nQUIT\r\n", "NOOP\r\n"},
         "220 250 503 250"},
        {"data_after_bdat",
         plain,
         {ehlo, mail, rcpt, "BDAT 2\r\nab", data, "BDAT 0 LAST\r\n"},
         "220 250 250 250 250 503 M 250"},
        {"bdat_after_data",
         plain,
         {ehlo, mail, rcpt, data, body, "BDAT 4 LAST\r\nQUIT", "NOOP\r\n"},
         "220 250 250 250 354 M 250 503 250"},
        {"bdat_bad_size", plain, {ehlo, "BDAT many\r\n"}, "220 250 501"},
        {"bdat_too_big",
         small,
         {ehlo, mail, rcpt, "BDAT 150 LAST\r\n" + std::string(150, 'x'), "NOOP\r\n"},
         "220 250 250 250 552 250"},
        // --- STARTTLS (RFC 3207)
        {"starttls_discards_pipelined_plaintext",
         tls,
         {ehlo, "STARTTLS\r\nMAIL FROM:<evil@x.example>\r\n", "RCPT TO:<x@y.example>\r\n", "!tls",
          mail, ehlo, mail},
         "220 250 220 503 250 250"},
        {"starttls_not_available", plain, {ehlo, "STARTTLS\r\n"}, "220 250 454"},
        {"starttls_only_once",
         tls,
         {ehlo, "STARTTLS\r\n", "!tls", ehlo, "STARTTLS\r\n"},
         "220 250 220 250 454"},
        {"starttls_with_argument", tls, {ehlo, "STARTTLS now\r\n"}, "220 250 501"},
        // --- LMTP (RFC 2033)
        {"lmtp_reply_per_recipient",
         lmtp,
         {lhlo, mail, recipients(3), data, body, "!v 250,452,550"},
         "220 250 250 250 250 250 354 M 250 452 550"},
        {"lmtp_one_verdict_for_all",
         lmtp,
         {lhlo, mail, recipients(2), data, body, "!v 451"},
         "220 250 250 250 250 354 M 451 451"},
        {"lmtp_requires_lhlo", lmtp, {ehlo, helo, mail, lhlo, mail}, "220 500 500 503 250 250"},
        {"lhlo_in_smtp_is_unknown", plain, {lhlo}, "220 500"},
        {"lmtp_content_refusal_per_recipient",
         with([](auto& c) {
             c.mode = smtp::protocol::lmtp;
             c.max_message_size = 10;
         }),
         {lhlo, mail, recipients(2), data, std::string(20, 'x') + "\r\n.\r\n"},
         "220 250 250 250 250 354 552 552"},
        {"lmtp_bdat_reply_per_recipient",
         lmtp,
         {lhlo, mail, recipients(2), "BDAT 2 LAST\r\nok"},
         "220 250 250 250 250 M 250 250"},
    };
    add_smuggling_rows(rows);
    return rows;
}

class session_dialogue : public testing::TestWithParam<dialogue> {};

TEST_P(session_dialogue, replies) {
    const dialogue& d = GetParam();
    EXPECT_EQ(run(d).log, d.expected);
}

INSTANTIATE_TEST_SUITE_P(table, session_dialogue, testing::ValuesIn(dialogues()),
                         [](const auto& row) { return std::string(row.param.name); });

} // namespace
