// clang-format off
#include <mime/address.hpp> // first: proves the public header is self-contained
// clang-format on

#include "support/test_data.hpp"
#include "support/text_row.hpp"

#include <mime/message.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {
namespace {

// Canonical text form: one `name|address|group` line per mailbox.
std::string render(const std::vector<mailbox>& list) {
    std::string out;
    for (const auto& m : list) {
        out += m.name + "|" + m.address + "|" + m.group + "\n";
    }
    return out;
}

std::string render_ids(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        out += id + "\n";
    }
    return out;
}

using row = test::text_row;

class address_table : public ::testing::TestWithParam<row> {};

TEST_P(address_table, parses_as_expected) {
    EXPECT_EQ(render(parse_address_list(GetParam().input)), GetParam().expected);
}

constexpr row rfc_rows[] = {
    // RFC 5322 A.1.1
    {"John Doe <jdoe@machine.example>", "John Doe|jdoe@machine.example|\n"},
    {"Mary Smith <mary@example.net>", "Mary Smith|mary@example.net|\n"},
    // RFC 5322 A.1.2
    {"\"Joe Q. Public\" <john.q.public@example.com>", "Joe Q. Public|john.q.public@example.com|\n"},
    {"Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
     "Mary Smith|mary@x.test|\n|jdoe@example.org|\nWho?|one@y.test|\n"},
    {"<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
     "|boss@nil.test|\nGiant; \"Big\" Box|sysservices@example.net|\n"},
    // RFC 5322 A.1.3
    {"A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
     "Ed Jones|c@a.test|A Group\n|joe@where.test|A Group\nJohn|jdoe@one.test|A Group\n"},
    {"Undisclosed recipients:;", ""},
    // RFC 5322 A.5
    {"Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", "Pete|pete@silly.test|\n"},
    {"A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n"
     "         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)",
     "Chris Jones|c@public.example|A Group\n|joe@example.org|A Group\n"
     "John|jdoe@one.test|A Group\n"},
    {"(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;", ""},
    // RFC 5322 A.6.1
    {"Joe Q. Public <john.q.public@example.com>", "Joe Q. Public|john.q.public@example.com|\n"},
    {"Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example",
     "Mary Smith|mary@example.net|\n|jdoe@test.example|\n"},
    // RFC 5322 A.6.3
    {"John Doe <jdoe@machine(comment).  example>", "John Doe|jdoe@machine.example|\n"},
    {"Mary Smith\r\n  \r\n          <mary@example.net>", "Mary Smith|mary@example.net|\n"},
    // RFC 5322 §3.4.1: a quoted local part stays quoted where it must
    {"\"john smith\"@example.com", "|\"john smith\"@example.com|\n"},
    {"\"jane\"@example.com", "|jane@example.com|\n"},
    {"\"a\\\"b\"@example.com", "|\"a\\\"b\"@example.com|\n"},
    // RFC 5322 §3.4.1 domain literal
    {"jane@[192.168.0.1]", "|jane@[192.168.0.1]|\n"},
    // RFC 5322 §4.4 obs-route with several domains
    {"<@route1,@route2:user@host>", "|user@host|\n"},
    // RFC 5322 §4.4 obs-local-part with white space
    {"user . name @ example . com", "|user.name@example.com|\n"},
    // RFC 5322 §3.2.2: nested comments
    {"jane@example.com (a (b) c)", "a (b) c|jane@example.com|\n"},
    // RFC 6532 §3.2: UTF-8 addresses; IDN kept as written
    {"用户@例子.广告", "|用户@例子.广告|\n"},
    {"jane@xn--bcher-kva.example", "|jane@xn--bcher-kva.example|\n"},
};
INSTANTIATE_TEST_SUITE_P(rfc5322, address_table, ::testing::ValuesIn(rfc_rows));

constexpr row real_world_rows[] = {
    {"Jane Doe <jane@example.com>", "Jane Doe|jane@example.com|\n"},
    {"\"Doe, Jane\" <jane@example.com>", "Doe, Jane|jane@example.com|\n"},
    {"jane@example.com", "|jane@example.com|\n"},
    {"jane@example.com (Jane Doe)", "Jane Doe|jane@example.com|\n"},
    {"(Jane Doe) jane@example.com", "Jane Doe|jane@example.com|\n"},
    {"<jane@example.com> (Jane Doe)", "Jane Doe|jane@example.com|\n"},
    {"Team: a@x.org, \"B\" <b@y.org>;", "|a@x.org|Team\nB|b@y.org|Team\n"},
    {"Team: a@x.org; c@z.org", "|a@x.org|Team\n|c@z.org|\n"}, // group ends at ';'
    {"Team: a@x.org", "|a@x.org|Team\n"},                     // group never closed
    {"undisclosed-recipients:;", ""},
    {"undisclosed-recipients:; jane@example.com", "|jane@example.com|\n"},
    {"Jane <jane@example.com", "Jane|jane@example.com|\n"}, // missing '>'
    {"Jane <jane@example.com, Bob <bob@example.com>",
     "Jane|jane@example.com|\nBob|bob@example.com|\n"},
    {"Jane Doe jane@example.com", "Jane Doe|jane@example.com|\n"}, // missing brackets
    {"Doe, Jane <j@x>", "|Doe|\nJane|j@x|\n"},                     // comma separates
    {"John Q. Public <jqp@x>", "John Q. Public|jqp@x|\n"},
    {"Dr. jane@example.com", "Dr.|jane@example.com|\n"},
    {"a@x; b@y", "|a@x|\n|b@y|\n"}, // Outlook ';'
    {"a@x,,b@y", "|a@x|\n|b@y|\n"}, // empty elements
    {",, ,", ""},
    {"", ""},
    {"   \r\n   ", ""},
    {"jane@example.com>", "|jane@example.com|\n"}, // trailing junk
    {"<jane@example.com> junk", "|jane@example.com|\n"},
    {"jane@example.com junk words", "|jane@example.com|\n"},
    {"just some words", ""}, // no address: skipped
    {"(only a comment)", ""},
    {"postmaster", "|postmaster|\n"}, // bare local part
    {"Jane <postmaster>", "Jane|postmaster|\n"},
    {"<<jane@example.com>>", "|jane@example.com|\n"},
    {"\"A\" <a@x> \"B\" <b@y>", "A|a@x|\nB|b@y|\n"}, // missing comma
    {"a@x b@y", "|a@x|\n|b@y|\n"},
    {"a@x (A) b@y (B)", "A|a@x|\nB|b@y|\n"},
    {"jane@example.com <jane@example.com>", "jane@example.com|jane@example.com|\n"},
    {"MAILER DAEMON <>", "MAILER DAEMON||\n"},       // named null address (bounces)
    {"<>", ""},                                      // bare null address
    {"\"Jane   \t Doe \" <j@x>", "Jane Doe|j@x|\n"}, // whitespace collapsed
    {"Jane\r\n Doe\r\n\t<jane@example.com>", "Jane Doe|jane@example.com|\n"}, // folded
    {"\"Jane\r\n Doe\" <j@x>", "Jane Doe|j@x|\n"}, // folded inside quotes
    {"<mailto:jane@example.com>", "|jane@example.com|\n"},
    {"Jane \"The Boss\" Doe <j@x>", "Jane The Boss Doe|j@x|\n"},
    {"\"Jane Doe <j@x>", "Jane Doe|j@x|\n"},              // unclosed quote
    {"Jane (unclosed <j@x>", "Jane|j@x|\n"},              // unclosed comment
    {"\"Jane <j@x>, Bob <b@y>", "Jane|j@x|\nBob|b@y|\n"}, // closed at the next '<'
    {"\"Jane Doe", "|\"Jane Doe\"|\n"},                   // quote runs to the end
    {"Jane ) Doe <j@x>", "Jane ) Doe|j@x|\n"},            // stray ')' kept as text
    {"Joe <joe@x.org>, Team: a@x.org;, Ann <ann@y.org>",
     "Joe|joe@x.org|\n|a@x.org|Team\nAnn|ann@y.org|\n"},
    {"Jane <JANE@Example.COM>", "Jane|JANE@Example.COM|\n"}, // case kept
    {"用户 <用户@例子.广告>", "用户|用户@例子.广告|\n"},
};
INSTANTIATE_TEST_SUITE_P(real_world, address_table, ::testing::ValuesIn(real_world_rows));

// These rows depend on decode_header_text() (RFC 2047 / 8-bit) from encoded_word.cpp.
constexpr row encoded_rows[] = {
    // RFC 2047 §8 examples
    {"=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore|moore@cs.utk.edu|\n"},
    {"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
     "Keld Jørn Simonsen|keld@dkuug.dk|\n"},
    {"=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
     "André Pirard|PIRARD@vm1.ulg.ac.be|\n"},
    {"=?utf-8?B?SsO2cmcgTcO8bGxlcg==?= <j@x>", "Jörg Müller|j@x|\n"},
    {"\"=?utf-8?Q?J=C3=B6rg?=\" <j@x>", "Jörg|j@x|\n"},  // inside quotes
    {"=?utf-8?Q?Doe,_Jane?= <j@x>", "Doe, Jane|j@x|\n"}, // comma inside the word
    {"j@x (=?utf-8?Q?J=C3=B6rg?=)", "Jörg|j@x|\n"},      // in a comment
    {"Team =?utf-8?Q?=C3=A9?=: a@x;", "|a@x|Team é\n"},  // group name
    {"J\xC3\xB6rg <j@x>", "Jörg|j@x|\n"},                // raw UTF-8 (RFC 6532)
};
INSTANTIATE_TEST_SUITE_P(rfc2047, address_table, ::testing::ValuesIn(encoded_rows));

class message_id_table : public ::testing::TestWithParam<row> {};

TEST_P(message_id_table, parses_as_expected) {
    EXPECT_EQ(render_ids(parse_message_ids(GetParam().input)), GetParam().expected);
}

constexpr row message_id_rows[] = {
    // RFC 5322 A.1.1
    {"<1234@local.machine.example>", "1234@local.machine.example\n"},
    // RFC 5322 A.2 (References with two ids)
    {"<1234@local.machine.example> <3456@example.net>",
     "1234@local.machine.example\n3456@example.net\n"},
    // RFC 5322 A.6.3 (obs-id-left with CFWS)
    {"<1234   @   local(blah)  .machine .example>", "1234@local.machine.example\n"},
    {"<a@b> <c@d>", "a@b\nc@d\n"},
    {"<a@b>\r\n <c@d>\r\n\t<e@f>", "a@b\nc@d\ne@f\n"}, // folded
    {"(comment) <a@b> (other) <c@d>", "a@b\nc@d\n"},
    {"a@b", "a@b\n"}, // missing brackets
    {"a@b c@d", "a@b\nc@d\n"},
    {"<a@b> junk <c@d>", "a@b\nc@d\n"},
    {"<a@b> (Jane's message of Monday) \"quoted junk\" <c@d>", "a@b\nc@d\n"},
    {"<a@b>,<c@d>", "a@b\nc@d\n"},
    {"<\"quoted local\"@example.com>", "\"quoted local\"@example.com\n"},
    {"<a b c@example.com>", "abc@example.com\n"}, // spaces removed
    {"<a@b", "a@b\n"},                            // missing '>'
    {"<a@b <c@d>", "a@b\nc@d\n"},
    {"message from jane@example.com of Monday <a@b>", "a@b\n"}, // address in junk
    {"\"a@b\"@c", "\"a@b\"@c\n"},                               // bare, quoted
    {"<>", ""},
    {"", ""},
    {"   ", ""},
    {"no ids here", ""},
    {"<a@[127.0.0.1]>", "a@[127.0.0.1]\n"},
    {"<foo$bar.123@host-name.example>", "foo$bar.123@host-name.example\n"},
    {"<用户@例子.广告>", "用户@例子.广告\n"},
};
INSTANTIATE_TEST_SUITE_P(examples, message_id_table, ::testing::ValuesIn(message_id_rows));

TEST(parse_address_list, mimekit_stack_overflow_to_header) {
    const auto corpora = test::shared_corpora_dir();
    if (corpora.empty()) {
        GTEST_SKIP() << "shared corpora not present";
    }
    const std::string message =
        test::read_file(corpora / "conformance/mimekit/messages/stack-overflow.txt");
    // The To: field runs from "To:" to the first line that is not a continuation.
    const std::size_t start = message.find("\nTo:");
    ASSERT_NE(start, std::string::npos);
    std::size_t end = start + 4;
    while ((end = message.find('\n', end)) != std::string::npos && end + 1 < message.size() &&
           (message[end + 1] == ' ' || message[end + 1] == '\t')) {
        ++end;
    }
    const std::string_view value = std::string_view(message).substr(start + 4, end - start - 4);
    ASSERT_GT(value.size(), 100000u); // thousands of folded lines
    const auto begun = std::chrono::steady_clock::now();
    const auto list = parse_address_list(value);
    const auto took = std::chrono::steady_clock::now() - begun;
    // One real mailbox; the 2,700 encoded words after it hold no address.
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0], (mailbox{"test", "test@test.com", ""}));
    EXPECT_LT(took, std::chrono::seconds(1));
}

TEST(parse_address_list, many_entries_scale_linearly) {
    std::string value;
    for (int i = 0; i < 20000; ++i) {
        value +=
            "\"User " + std::to_string(i) + "\" <u" + std::to_string(i) + "@example.com>,\r\n ";
    }
    const auto list = parse_address_list(value);
    ASSERT_EQ(list.size(), 20000u);
    EXPECT_EQ(list[19999].address, "u19999@example.com");
    EXPECT_EQ(list[19999].name, "User 19999");
}

TEST(parse_address_list, hostile_input_terminates) {
    // Deep comments, unclosed brackets, lone specials: no crash, no hang.
    const std::string deep = std::string(50000, '(') + "a@b" + std::string(50000, ')');
    EXPECT_TRUE(parse_address_list(deep).empty());
    EXPECT_TRUE(parse_address_list(std::string(50000, '<')).empty());
    EXPECT_TRUE(parse_address_list(std::string(50000, '@')).empty());
    EXPECT_TRUE(parse_address_list(std::string(50000, ':')).empty());
    std::string encoded_starts;
    for (int i = 0; i < 20000; ++i) {
        encoded_starts += "=?a?";
    }
    EXPECT_EQ(parse_address_list(encoded_starts).size(), 1u); // one long bare word
}

TEST(parse_address_list, long_group_name_is_capped_at_a_character_boundary) {
    std::string value;
    for (int i = 0; i < 600; ++i) {
        value += "\xC3\xA9"; // é, two bytes: 1200 bytes in all
    }
    value += ": a@x, b@y;";
    const auto list = parse_address_list(value);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[1].group.size(), 998u);
    EXPECT_EQ(list[1].group.substr(0, 4), "\xC3\xA9\xC3\xA9");
    EXPECT_EQ(list[1].group.back(), '\xA9');
}

TEST(parse_message_ids, hostile_input_terminates) {
    std::string dots;
    for (int i = 0; i < 100000; ++i) {
        dots += "a.";
    }
    const auto begun = std::chrono::steady_clock::now();
    EXPECT_TRUE(parse_message_ids(dots).empty());
    EXPECT_TRUE(parse_message_ids(std::string(100000, '<')).empty());
    EXPECT_TRUE(parse_message_ids(std::string(100000, '(')).empty());
    EXPECT_LT(std::chrono::steady_clock::now() - begun, std::chrono::seconds(2));
}

TEST(parse_message_ids, long_references_header) {
    std::string value;
    for (int i = 0; i < 10000; ++i) {
        value += "<id" + std::to_string(i) + "@example.com>\r\n ";
    }
    const auto ids = parse_message_ids(value);
    ASSERT_EQ(ids.size(), 10000u);
    EXPECT_EQ(ids.front(), "id0@example.com");
    EXPECT_EQ(ids.back(), "id9999@example.com");
}

// Duplicate To/References fields (some mailers split long lists that way):
// every field counts, in order.
TEST(header_lists, gather_every_field_of_the_name) {
    const std::string raw = "To: a@x.org, B <b@x.org>\r\nCc: c@x.org\r\nTo: d@x.org\r\n"
                            "References: <r1@x>\r\nReferences: <r2@x> <r3@x>\r\n\r\nbody\r\n";
    const message msg = parse(std::string_view(raw));
    const auto to = header_mailboxes(msg, msg.root(), "to");
    ASSERT_EQ(to.size(), 3u);
    EXPECT_EQ(to[1].name, "B");
    EXPECT_EQ(to[2].address, "d@x.org");
    EXPECT_EQ(header_message_ids(msg, msg.root(), "references"),
              (std::vector<std::string>{"r1@x", "r2@x", "r3@x"}));
    EXPECT_TRUE(header_mailboxes(msg, msg.root(), "bcc").empty());
}

} // namespace
} // namespace cairn::mime
