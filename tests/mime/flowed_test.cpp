#include <mime/flowed.hpp>

#include <gtest/gtest.h>
#include <support/test_data.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace {

using cairn::mime::unwrap_flowed;

struct flowed_case {
    const char* name;
    std::string_view input; // LF line ends; every row also runs with CRLF
    bool delsp;
    std::string_view expected;
};

std::ostream& operator<<(std::ostream& os, const flowed_case& c) {
    return os << c.name;
}

const flowed_case flowed_cases[] = {
    // RFC 3676's example text (three paragraphs, soft breaks as "SP CRLF").
    {"rfc_example_paragraphs",
     "`Take some more tea,' the March Hare said to Alice, very \n"
     "earnestly.\n"
     "\n"
     "`I've had nothing yet,' Alice replied in an offended tone, `so \n"
     "I can't take more.'\n"
     "\n"
     "`You mean you can't take LESS,' said the Hatter: `it's very \n"
     "easy to take MORE than nothing.'\n",
     false,
     "`Take some more tea,' the March Hare said to Alice, very earnestly.\n"
     "\n"
     "`I've had nothing yet,' Alice replied in an offended tone, `so I can't take more.'\n"
     "\n"
     "`You mean you can't take LESS,' said the Hatter: `it's very easy to take MORE than "
     "nothing.'\n"},
    // The same example, quoted at three depths (§4.5).
    {"rfc_example_quoted",
     ">>>`Take some more tea,' the March Hare said to Alice, very \n"
     ">>>earnestly.\n"
     ">>\n"
     ">>`I've had nothing yet,' Alice replied in an offended tone, `so \n"
     ">>I can't take more.'\n"
     ">\n"
     ">`You mean you can't take LESS,' said the Hatter: `it's very \n"
     ">easy to take MORE than nothing.'\n",
     false,
     ">>> `Take some more tea,' the March Hare said to Alice, very earnestly.\n"
     ">>\n"
     ">> `I've had nothing yet,' Alice replied in an offended tone, `so I can't take more.'\n"
     ">\n"
     "> `You mean you can't take LESS,' said the Hatter: `it's very easy to take MORE than "
     "nothing.'\n"},
    // §4.1: a line not ending in SP is fixed.
    {"fixed_lines_stay", "one\ntwo\n", false, "one\ntwo\n"},
    {"no_final_line_end", "a \nb", false, "a b"},
    {"empty_input", "", false, ""},
    {"only_line_end", "\n", false, "\n"},
    {"empty_lines_kept", "a\n\n\nb\n", false, "a\n\n\nb\n"},
    // §4.2: a paragraph is flowed lines plus one fixed line; an empty fixed
    // line ends it (and its soft-break space is dropped, see flowed.cpp).
    {"flowed_then_empty_line", "a \n\nb\n", false, "a\nb\n"},
    {"three_line_paragraph", "The quick \nbrown fox \njumps.\nNext\n", false,
     "The quick brown fox jumps.\nNext\n"},
    // §4.5: DelSp=yes removes the soft-break space (text without spaces,
    // e.g. Japanese split mid-word).
    {"delsp_yes_joins_tight", "日本語の \nテキスト\n", true, "日本語のテキスト\n"},
    {"delsp_yes_keeps_other_spaces", "word  \nnext\n", true, "word next\n"},
    {"delsp_no_keeps_space", "日本語の \nテキスト\n", false, "日本語の テキスト\n"},
    // §4.4: one leading space is stuffing and is removed, after quote markers too.
    {"space_stuffed_from", " From here \n on\n", false, "From here on\n"},
    {"space_stuffed_quoted", "> >not a quote\n", false, "> >not a quote\n"},
    {"two_spaces_keep_one", "  indented\n", false, " indented\n"},
    {"stuffed_quote_marker_line", " >literal\n", false, ">literal\n"},
    // §4.5: quote depth is the count of leading '>'; "> > x" is depth 1.
    {"quoted_flowed_paragraph", "> a \n> b \n> c\n", false, "> a b c\n"},
    {"quoted_without_space", ">a \n>b\n", false, "> a b\n"},
    {"deeper_quote", ">> x \n>>y\nreply\n", false, ">> x y\nreply\n"},
    // §4.5: a flowed line followed by a different depth is treated as fixed.
    {"improperly_flowed_depth_change", "> a \n>> b\nc \n> d\n", false, "> a\n>> b\nc\n> d\n"},
    {"depth_to_zero", "> quoted \nmine\n", false, "> quoted\nmine\n"},
    {"empty_quoted_lines", ">\n>>\n> \n", false, ">\n>>\n>\n"},
    // §4.3: the signature separator is never flowed, and never joined onto.
    {"signature_separator", "Bye \n-- \nJohn \nDoe\n", false, "Bye\n-- \nJohn Doe\n"},
    {"quoted_signature", "> text \n> -- \n> sig\n", false, "> text\n> -- \n> sig\n"},
    {"dash_dash_without_space", "a \n--\n", false, "a --\n"},
    // A trailing flowed line at the end of the text ends its paragraph.
    {"trailing_flowed_line", "a \nb \n", false, "a b\n"},
    {"trailing_flowed_no_eol", "end ", true, "end"},
    // Flowed-ness is judged after unstuffing: "> " is a quoted blank line, not a
    // soft break, so a blank line between quoted paragraphs survives.
    {"space_only_line", " \nx\n", false, "\nx\n"},
    {"quoted_blank_with_space", "> one\n> \n> two\n", false, "> one\n>\n> two\n"},
};

class flowed_table : public ::testing::TestWithParam<flowed_case> {};

TEST_P(flowed_table, unwraps_lf) {
    const flowed_case& c = GetParam();
    EXPECT_EQ(unwrap_flowed(c.input, c.delsp), c.expected);
}

TEST_P(flowed_table, unwraps_crlf_to_lf) {
    const flowed_case& c = GetParam();
    EXPECT_EQ(unwrap_flowed(cairn::test::to_crlf(c.input), c.delsp), c.expected);
}

INSTANTIATE_TEST_SUITE_P(flowed, flowed_table, ::testing::ValuesIn(flowed_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(flowed, long_paragraph_is_linear) {
    // 100,000 soft-broken lines form one paragraph: one output line.
    std::string input;
    std::string expected;
    for (int i = 0; i < 100000; ++i) {
        input.append("word \n");
        expected.append(i + 1 < 100000 ? "word " : "word\n");
    }
    EXPECT_EQ(unwrap_flowed(input, false), expected);
}

} // namespace
