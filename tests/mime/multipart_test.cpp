// Part structure: RFC 2046 §5.1 multipart rules and the broken forms real mail has.
#include "support/test_data.hpp"
#include "support/tree_form.hpp"

#include <mime/message.hpp>

#include <gtest/gtest.h>

namespace {

using cairn::test::tree_form;

struct structure_case {
    const char* name;
    const char* input; // LF line ends; each case also runs with CRLF
    const char* expected_lf;
};

std::ostream& operator<<(std::ostream& os, const structure_case& c) {
    return os << c.name;
}

const structure_case structure_cases[] = {
    {"single_part", "Subject: hi\n\nHello\n", "text/plain \"Hello\\n\"\n"},
    {"no_body", "Subject: hi\n", "text/plain \"\"\n"},
    {"empty_input", "", "text/plain \"\"\n"},
    // RFC 2046 §5.1.1: the line break before a delimiter belongs to the delimiter.
    {"simple_multipart",
     "Content-Type: multipart/mixed; boundary=b\n\npreamble\n--b\n\none\n--b\nContent-Type: "
     "text/html\n\n<p>two</p>\n--b--\nepilogue\n",
     "multipart/mixed\n  text/plain \"one\"\n  text/html \"<p>two</p>\"\n"},
    // Transport padding after the boundary is allowed (RFC 2046 §5.1.1).
    {"transport_padding", "Content-Type: multipart/mixed; boundary=b\n\n--b  \t\n\none\n--b-- \n",
     "multipart/mixed\n  text/plain \"one\"\n"},
    // A boundary that is a prefix of another is not confused with it.
    {"boundary_prefix",
     "Content-Type: multipart/mixed; boundary=abc\n\n--abc\n\n--abcdef\nx\n--abc--\n",
     "multipart/mixed\n  text/plain \"--abcdef\\nx\"\n"},
    {"missing_close", "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n",
     "multipart/mixed !close_boundary_not_found\n  text/plain \"one\"\n  text/plain \"two\\n\"\n"},
    {"no_start_boundary", "Content-Type: multipart/mixed; boundary=b\n\nno delimiters here\n",
     "multipart/mixed \"no delimiters here\\n\" !start_boundary_not_found\n"},
    {"no_boundary_parameter", "Content-Type: multipart/mixed\n\n--b\n\none\n--b--\n",
     "multipart/mixed \"--b\\n\\none\\n--b--\\n\" !no_boundary_in_multipart\n"},
    {"empty_multipart", "Content-Type: multipart/mixed; boundary=b\n\n--b--\n",
     "multipart/mixed\n"},
    {"nested",
     "Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: "
     "multipart/alternative; boundary=inner\n\n--inner\n\nplain\n--inner\nContent-Type: "
     "text/html\n\nhtml\n--inner--\n--outer\nContent-Type: application/pdf\n\nPDF\n--outer--\n",
     "multipart/mixed\n  multipart/alternative\n    text/plain \"plain\"\n    text/html "
     "\"html\"\n  application/pdf \"PDF\"\n"},
    // An inner multipart that never closes is ended by the outer delimiter.
    {"inner_closed_by_outer",
     "Content-Type: multipart/mixed; boundary=outer\n\n--outer\nContent-Type: "
     "multipart/alternative; boundary=inner\n\n--inner\n\nplain\n--outer\n\nnext\n--outer--\n",
     "multipart/mixed\n  multipart/alternative !close_boundary_not_found\n    text/plain "
     "\"plain\"\n  text/plain \"next\"\n"},
    // Same boundary inside and outside (Python msg_15/msg_39): innermost wins.
    {"same_boundary_nested",
     "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; "
     "boundary=b\n\n--b\n\ninner\n--b--\n--b--\n",
     "multipart/mixed\n  multipart/mixed\n    text/plain \"inner\"\n"},
    {"part_without_blank_line",
     "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n--b--\n",
     "multipart/mixed\n  text/plain \"\"\n"},
    {"message_rfc822",
     "Content-Type: message/rfc822\n\nSubject: inner\nContent-Type: text/html\n\n<b>x</b>\n",
     "message/rfc822\n  text/html \"<b>x</b>\\n\"\n"},
    {"rfc822_in_multipart",
     "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nbody\n--b\nContent-Type: "
     "message/rfc822\n\nSubject: fwd\n\nforwarded\n--b--\n",
     "multipart/mixed\n  text/plain \"body\"\n  message/rfc822\n    text/plain \"forwarded\"\n"},
    // RFC 2046 §5.1.5: parts of a digest default to message/rfc822.
    {"digest_default",
     "Content-Type: multipart/digest; boundary=b\n\n--b\n\nSubject: "
     "one\n\nfirst\n--b\nContent-Type: "
     "text/plain\n\nnot a message\n--b--\n",
     "multipart/digest\n  message/rfc822\n    text/plain \"first\"\n  text/plain \"not a "
     "message\"\n"},
    {"rfc822_base64_is_opaque",
     "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\nU3ViamVjdDogeAoKeQo=\n",
     "message/rfc822 \"U3ViamVjdDogeAoKeQo=\\n\" !message_rfc822_encoded\n"},
    {"invalid_content_type", "Content-Type: text\n\nx\n", "text/plain \"x\\n\"\n"},
    {"missing_separator", "Subject: a\nthis is body\n",
     "text/plain \"this is body\\n\" !missing_header_body_separator\n"},
    {"continuation_first", " folded\nSubject: a\n\nb\n",
     "text/plain \"b\\n\" !first_header_line_is_continuation\n"},
    {"mbox_from_line", "From someone Mon Jan 1 00:00:00 2024\nSubject: a\n\nb\n",
     "text/plain \"b\\n\"\n"},
    {"boundary_in_quotes_with_space",
     "Content-Type: multipart/mixed;\n boundary=\"a b\"\n\n--a b\n\nx\n--a b--\n",
     "multipart/mixed\n  text/plain \"x\"\n"},
    {"close_without_newline_at_eof", "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--",
     "multipart/mixed\n  text/plain \"x\"\n"},
    {"boundary_like_line_in_leaf", "Content-Type: text/plain\n\n--b\n--b--\n",
     "text/plain \"--b\\n--b--\\n\"\n"},
};

std::string crlf_expected(std::string_view expected_lf) {
    // Leaf bodies in the expectation spell line ends as "\n"; with CRLF input they are "\r\n".
    std::string out;
    for (std::size_t i = 0; i < expected_lf.size(); ++i) {
        if (expected_lf.compare(i, 2, "\\n") == 0) {
            out += "\\r\\n";
            ++i;
        } else {
            out += expected_lf[i];
        }
    }
    return out;
}

class structure : public testing::TestWithParam<structure_case> {};

TEST_P(structure, lf) {
    const std::string input = GetParam().input;
    EXPECT_EQ(tree_form(cairn::mime::parse(std::string_view(input))), GetParam().expected_lf);
}

TEST_P(structure, crlf) {
    const std::string input = cairn::test::to_crlf(GetParam().input);
    EXPECT_EQ(tree_form(cairn::mime::parse(std::string_view(input))),
              crlf_expected(GetParam().expected_lf));
}

INSTANTIATE_TEST_SUITE_P(multipart, structure, testing::ValuesIn(structure_cases),
                         [](const auto& test) { return std::string(test.param.name); });

TEST(multipart, body_ranges_exclude_the_delimiter_line_break) {
    const std::string_view raw =
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b--\r\n";
    const auto msg = cairn::mime::parse(raw);
    ASSERT_EQ(msg.parts().size(), 2u);
    EXPECT_EQ(msg.body(msg.at(1)), "one");
    EXPECT_EQ(msg.at(1).parent, 0u);
    EXPECT_EQ(msg.at(0).first_child, 1u);
}

TEST(multipart, headers_are_views_into_the_input) {
    const std::string_view raw = "Subject: Hello\r\n world\r\nTo: a@b\r\n\r\nbody";
    const auto msg = cairn::mime::parse(raw);
    const auto subject = msg.header(msg.root(), "SUBJECT");
    ASSERT_TRUE(subject.has_value());
    EXPECT_EQ(*subject, " Hello\r\n world");
    EXPECT_GE(subject->data(), raw.data());
    EXPECT_LT(subject->data(), raw.data() + raw.size());
    EXPECT_EQ(msg.headers(msg.root(), "to").size(), 1u);
}

} // namespace
