// What libmime makes of broken mail that is common in real archives: each case
// is one that a first comparison with Python's email package found cairn weak
// on (docs/conformance.md, section A), read as an archive reader needs it.
#include "support/test_data.hpp"

#include <mime/address.hpp>
#include <mime/body.hpp>
#include <mime/encoded_word.hpp>
#include <mime/mime.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {
namespace {

std::string subject_of(const message& msg) {
    const auto value = msg.header(msg.root(), "subject");
    return value ? decode_header_text(*value) : std::string("(none)");
}

bool has_defect(const message& msg, defect kind) {
    const auto all = msg.all_defects();
    return std::any_of(all.begin(), all.end(), [&](const auto& d) { return d.at.kind == kind; });
}

std::string malformed(const char* name) {
    return test::read_file(test::source_dir() / "tests/data/eml/malformed" / name);
}

TEST(repair, a_byte_order_mark_before_the_header_block_is_skipped) {
    const std::string raw = "\xef\xbb\xbf"
                            "From: a@example.com\r\nSubject: hi\r\n\r\nbody\r\n";
    const message msg = parse(std::string_view(raw));
    EXPECT_EQ(subject_of(msg), "hi");
    EXPECT_EQ(header_mailboxes(msg, msg.root(), "from").size(), 1U);
    EXPECT_EQ(body_text(msg), "body\n");
}

TEST(repair, cr_only_line_ends_are_line_ends) {
    const std::string raw = malformed("cr-only.eml");
    const message msg = parse(std::string_view(raw));
    EXPECT_EQ(subject_of(msg), "CR-only line ends (old Mac)");
    const auto to = header_mailboxes(msg, msg.root(), "to");
    ASSERT_EQ(to.size(), 1U);
    EXPECT_EQ(to.front().address, "b@example.org");
    EXPECT_TRUE(msg.header(msg.root(), "date").has_value());
    EXPECT_EQ(body_text(msg), "line one\nline two\n");
}

TEST(repair, a_type_without_subtype_is_text_plain_and_keeps_its_parameters) {
    const std::string raw = "Subject: x\r\nContent-Type: application-x-gzip; name=\"a.gz\"\r\n"
                            "\r\nxx\r\n";
    const message msg = parse(std::string_view(raw));
    const part& leaf = msg.root();
    EXPECT_TRUE(leaf.type.is("text", "plain"));
    EXPECT_EQ(part_filename(msg, leaf), "a.gz");
    const std::string text = "Subject: y\r\nContent-Type: text; charset=iso-8859-1\r\n\r\n\xe9\r\n";
    const message latin1 = parse(std::string_view(text));
    EXPECT_EQ(part_charset(latin1, latin1.root()), "iso-8859-1");
    EXPECT_EQ(body_text(latin1), "\u00e9\n");
}

TEST(repair, a_bounce_sender_with_the_null_address_keeps_its_name) {
    const auto from = parse_address_list("MAILER DAEMON <>");
    ASSERT_EQ(from.size(), 1U);
    EXPECT_EQ(from.front().name, "MAILER DAEMON");
    EXPECT_EQ(from.front().address, "");
}

TEST(repair, a_lone_cr_inside_a_body_line_does_not_glue_words) {
    const std::string raw = "Subject: x\r\n\r\nhere:\rbetween\r\n";
    EXPECT_EQ(body_text(parse(std::string_view(raw))), "here:\nbetween\n");
}

TEST(repair, a_header_line_without_a_colon_between_fields_is_skipped) {
    const std::string raw = malformed("header-without-colon.eml");
    const message msg = parse(std::string_view(raw));
    EXPECT_TRUE(has_defect(msg, defect::header_without_colon));
    EXPECT_EQ(header_message_ids(msg, msg.root(), "message-id"),
              std::vector<std::string>{"no-colon-4@example.com"});
    EXPECT_TRUE(msg.header(msg.root(), "date").has_value());
    EXPECT_EQ(part_charset(msg, msg.root()), "us-ascii");
    EXPECT_EQ(body_text(msg).find("X-Filter-Note"), std::string::npos);
}

} // namespace
} // namespace cairn::mime
