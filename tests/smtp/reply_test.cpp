// Reply formatting (RFC 5321 §4.2, RFC 2034 §3) and the reply checker the
// fuzzer and the session tests rely on.

#include "support/text_row.hpp"

#include <smtp/reply.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace cairn;

TEST(append_reply, single_line_with_status) {
    std::string out;
    smtp::append_reply(out, 250, "2.1.0", "Ok");
    EXPECT_EQ(out, "250 2.1.0 Ok\r\n");
}

TEST(append_reply, multi_line_uses_hyphen_until_the_last) {
    std::string out;
    const std::string_view lines[] = {"mx.example", "PIPELINING", "SIZE 10"};
    smtp::append_reply(out, 250, {}, lines);
    EXPECT_EQ(out, "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
}

TEST(append_reply, control_characters_cannot_inject_lines) {
    std::string out;
    smtp::append_reply(out, 451, "4.3.0", std::string_view("disk\r\n250 2.0.0 fake\0ok", 23));
    EXPECT_EQ(out, "451 4.3.0 disk  250 2.0.0 fake ok\r\n");
    EXPECT_TRUE(smtp::well_formed_replies(out));
}

TEST(append_reply, long_text_is_cut_to_the_line_limit) {
    std::string out;
    smtp::append_reply(out, 550, "5.1.1", std::string(2000, 'x'));
    EXPECT_EQ(out.size(), smtp::max_reply_line);
    EXPECT_TRUE(smtp::well_formed_replies(out));
}

TEST(append_reply, bare_code) {
    std::string out;
    smtp::append_reply(out, 250, {}, std::span<const std::string_view>{});
    EXPECT_EQ(out, "250\r\n");
    EXPECT_TRUE(smtp::well_formed_replies(out));
}

TEST(default_status, by_class) {
    EXPECT_EQ(smtp::default_status(250), "2.0.0");
    EXPECT_EQ(smtp::default_status(452), "4.0.0");
    EXPECT_EQ(smtp::default_status(554), "5.0.0");
    EXPECT_EQ(smtp::default_status(354), "");
}

// Output → whether well_formed_replies accepts it.
const cairn::test::text_row checker_rows[] = {
    {"", "yes"},
    {"250 ok\r\n", "yes"},
    {"250\r\n", "yes"},
    {"250-a\r\n250 b\r\n", "yes"},
    {"250-a\r\n251 b\r\n", "no"}, // codes differ inside one reply
    {"250-a\r\n", "no"},          // unfinished multi-line reply
    {"250 ok", "no"},             // no CRLF
    {"250 ok\n", "no"},           // bare LF
    {"250 o\rk\r\n", "no"},       // bare CR inside
    {"150 ok\r\n", "no"},         // not an SMTP code
    {"25 ok\r\n", "no"},
    {"250xok\r\n", "no"},
    {"354 go ahead\r\n", "yes"},
};

class reply_checker : public testing::TestWithParam<cairn::test::text_row> {};

TEST_P(reply_checker, verdict) {
    EXPECT_EQ(smtp::well_formed_replies(GetParam().input) ? "yes" : "no", GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(table, reply_checker, testing::ValuesIn(checker_rows));

TEST(reply_codes, one_per_reply) {
    EXPECT_EQ(smtp::reply_codes("220 hi\r\n250-a\r\n250 b\r\n354 go\r\n452 4.5.3 x\r\n250 par"),
              (std::vector<int>{220, 250, 354, 452}));
}

} // namespace
