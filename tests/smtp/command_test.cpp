// Command grammar: verbs, <path> (RFC 5321 §4.1.2, RFC 6531), MAIL and RCPT
// parameters, BDAT arguments. Canonical form: "error" name, or the parsed
// fields in a short text.

#include "support/text_row.hpp"

#include <smtp/command.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace cairn;
using test::text_row;

std::string error_name(smtp::parse_error e) {
    switch (e) {
    case smtp::parse_error::none:
        return "none";
    case smtp::parse_error::syntax:
        return "syntax";
    case smtp::parse_error::bad_path:
        return "bad_path";
    case smtp::parse_error::path_too_long:
        return "path_too_long";
    case smtp::parse_error::non_ascii:
        return "non_ascii";
    case smtp::parse_error::bad_parameter:
        return "bad_parameter";
    case smtp::parse_error::unknown_parameter:
        return "unknown_parameter";
    }
    return "?";
}

// MAIL argument → "path|size|body|utf8" or the error name.
std::string mail_form(std::string_view argument) {
    smtp::mail_args m;
    const auto e = smtp::parse_mail_from(argument, true, m);
    if (e != smtp::parse_error::none) {
        return error_name(e);
    }
    const char* body = m.body == smtp::body_type::seven_bit        ? "7bit"
                       : m.body == smtp::body_type::eight_bit_mime ? "8bit"
                                                                   : "-";
    return m.reverse_path + "|" + std::to_string(m.size) + "|" + body + "|" +
           (m.smtputf8 ? "utf8" : "-");
}

const text_row mail_rows[] = {
    {"FROM:<a@b.example>", "a@b.example|0|-|-"},
    {"from:<a@b.example>", "a@b.example|0|-|-"},                  // §2.4: case-insensitive
    {"FROM: <a@b.example>", "a@b.example|0|-|-"},                 // tolerated space after the colon
    {"FROM:<>", "|0|-|-"},                                        // §4.1.1.2 null reverse-path
    {"FROM:<a@b.example> SIZE=1200", "a@b.example|1200|-|-"},     // RFC 1870
    {"FROM:<a@b.example> BODY=7BIT", "a@b.example|0|7bit|-"},     // RFC 6152
    {"FROM:<a@b.example> body=8bitmime", "a@b.example|0|8bit|-"}, // RFC 6152
    {"FROM:<j\xc3\xb6rg@b.example> SMTPUTF8", "j\xc3\xb6rg@b.example|0|-|utf8"}, // RFC 6531
    {"FROM:<j\xc3\xb6rg@b.example>", "non_ascii"},
    {"FROM:<j\xc3(rg@b.example> SMTPUTF8", "bad_path"},     // malformed UTF-8
    {"FROM:<\xed\xa0\x80@b.example> SMTPUTF8", "bad_path"}, // UTF-8 surrogate
    {"FROM:<a@b.example> SIZE=12x", "bad_parameter"},
    {"FROM:<a@b.example> SIZE=", "bad_parameter"},
    {"FROM:<a@b.example> SIZE=1 SIZE=2", "bad_parameter"},
    {"FROM:<a@b.example> SMTPUTF8=yes", "bad_parameter"},
    {"FROM:<a@b.example> BODY=BINARYMIME", "bad_parameter"},
    {"FROM:<a@b.example> RET=FULL", "unknown_parameter"}, // DSN not offered
    {"FROM:<a@b.example>junk", "bad_path"},
    {"FROM <a@b.example>", "syntax"},
    {"TO:<a@b.example>", "syntax"},
    {"FROM:a@b.example", "bad_path"},
    {"FROM:<a@b.example", "bad_path"},
    {"FROM:<@b.example>", "bad_path"},
    {"FROM:<a..b@c.example>", "bad_path"},
    {"FROM:<.a@c.example>", "bad_path"},
    {"FROM:<a@-b.example>", "bad_path"},
    {"FROM:<a@b-.example>", "bad_path"},
    {"FROM:<a@b..example>", "bad_path"},
    {"FROM:<\"john doe\"@b.example>", "\"john doe\"@b.example|0|-|-"}, // Quoted-string
    {"FROM:<\"a\\\"b\"@b.example>", "\"a\\\"b\"@b.example|0|-|-"},     // quoted-pairSMTP
    {"FROM:<\"unterminated@b.example>", "bad_path"},
    {"FROM:<a@[192.0.2.1]>", "a@[192.0.2.1]|0|-|-"},               // address-literal
    {"FROM:<a@[IPv6:2001:db8::1]>", "a@[IPv6:2001:db8::1]|0|-|-"}, // §4.1.3
    {"FROM:<a@[]>", "bad_path"},
    {"FROM:<@r1.example,@r2.example:a@b.example>", "a@b.example|0|-|-"}, // route dropped
    {"FROM:<@r1.example,a@b.example>", "bad_path"},
    {"FROM:<postmaster>", "postmaster|0|-|-"},
    {"FROM:<someone>", "bad_path"},
};

class mail_parse : public testing::TestWithParam<text_row> {};

TEST_P(mail_parse, canonical_form) {
    EXPECT_EQ(mail_form(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(table, mail_parse, testing::ValuesIn(mail_rows));

TEST(parse_mail_from, parameters_need_esmtp) {
    smtp::mail_args m;
    EXPECT_EQ(smtp::parse_mail_from("FROM:<a@b.example> SIZE=1", false, m),
              smtp::parse_error::unknown_parameter);
    EXPECT_EQ(smtp::parse_mail_from("FROM:<a@b.example>", false, m), smtp::parse_error::none);
}

TEST(parse_mail_from, path_length_limit) {
    // §4.5.3.1.3: 256 octets including the angle brackets.
    const std::string local(64, 'l');
    const std::string fits = local + "@" + std::string(254 - 65, 'd');
    const std::string over = fits + "d";
    smtp::mail_args m;
    EXPECT_EQ(smtp::parse_mail_from("FROM:<" + fits + ">", true, m), smtp::parse_error::none);
    EXPECT_EQ(smtp::parse_mail_from("FROM:<" + over + ">", true, m),
              smtp::parse_error::path_too_long);
}

TEST(parse_rcpt_to, paths_and_parameters) {
    std::string path;
    EXPECT_EQ(smtp::parse_rcpt_to("TO:<a@b.example>", false, path), smtp::parse_error::none);
    EXPECT_EQ(path, "a@b.example");
    EXPECT_EQ(smtp::parse_rcpt_to("To:<Postmaster>", false, path), smtp::parse_error::none);
    EXPECT_EQ(path, "Postmaster");
    EXPECT_EQ(smtp::parse_rcpt_to("TO:<@x.example:a@b.example>", false, path),
              smtp::parse_error::none);
    EXPECT_EQ(path, "a@b.example");
    EXPECT_EQ(smtp::parse_rcpt_to("TO:<>", false, path), smtp::parse_error::bad_path);
    EXPECT_EQ(smtp::parse_rcpt_to("TO:<a@b.example> NOTIFY=NEVER", false, path),
              smtp::parse_error::unknown_parameter);
    EXPECT_EQ(smtp::parse_rcpt_to("TO:<\xc3\xa5@b.example>", false, path),
              smtp::parse_error::non_ascii);
    EXPECT_EQ(smtp::parse_rcpt_to("TO:<\xc3\xa5@b\xc3\xa5.example>", true, path),
              smtp::parse_error::none);
    EXPECT_EQ(smtp::parse_rcpt_to("FROM:<a@b.example>", false, path), smtp::parse_error::syntax);
}

const text_row bdat_rows[] = {
    {"0", "0"},
    {"0 LAST", "0 last"},
    {"1024 last", "1024 last"},
    {"  7   LAST  ", "7 last"},
    {"9223372036854775807", "9223372036854775807"},
    {"92233720368547758070", "syntax"}, // over 19 digits
    {"", "syntax"},
    {"LAST", "syntax"},
    {"-1", "syntax"},
    {"10 FIRST", "syntax"},
    {"10 LAST more", "syntax"},
};

class bdat_parse : public testing::TestWithParam<text_row> {};

TEST_P(bdat_parse, canonical_form) {
    smtp::bdat_args b;
    const auto e = smtp::parse_bdat(GetParam().input, b);
    const std::string form = e != smtp::parse_error::none
                                 ? error_name(e)
                                 : std::to_string(b.size) + (b.last ? " last" : "");
    EXPECT_EQ(form, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(table, bdat_parse, testing::ValuesIn(bdat_rows));

TEST(split_command, verbs_and_arguments) {
    EXPECT_EQ(smtp::split_command("ehlo x.example").v, smtp::verb::ehlo);
    EXPECT_EQ(smtp::split_command("ehlo x.example").argument, "x.example");
    EXPECT_EQ(smtp::split_command("StartTLS").v, smtp::verb::starttls);
    EXPECT_EQ(smtp::split_command("MAIL   FROM:<>").argument, "FROM:<>");
    EXPECT_EQ(smtp::split_command("DATAX").v, smtp::verb::unknown);
    EXPECT_EQ(smtp::split_command("NOOP\rRSET").v,
              smtp::verb::unknown); // a bare CR is no separator
    EXPECT_EQ(smtp::split_command("").v, smtp::verb::unknown);
    EXPECT_TRUE(smtp::iequals_ascii("Archive.EXAMPLE", "archive.example"));
    EXPECT_FALSE(smtp::iequals_ascii("\xc3\x85", "\xc3\xa5")); // no Unicode folding
}

} // namespace
