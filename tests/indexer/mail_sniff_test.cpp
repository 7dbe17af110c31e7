// looks_like_mail: what the start of a file must look like to be read as mail.

#include <indexer/sources.hpp>

#include <gtest/gtest.h>

#include <string>

namespace cairn::test {
namespace {

struct sniff_row {
    const char* name;
    std::string head;
    bool mail;
};

const sniff_row sniff_rows[] = {
    {"header_first", "From: a@example.org\r\nSubject: x\r\n\r\nbody", true},
    {"return_path_first", "Return-Path: <>\nReceived: by x\n", true},
    {"x_header_first", "X-Mozilla-Status: 0001\nFrom: a@b\n", true},
    {"empty_value", "Subject:\n", true},
    // RFC 5322 §4.5.3 obs-optional: whitespace before the colon.
    {"obsolete_space_before_colon", "Subject : old gateway\n", true},
    {"tab_before_colon", "Subject\t: old gateway\n", true},
    {"mbox_postmark", "From a@example.org Mon Jan  1 00:00:00 2024\nSubject: x\n", true},
    {"mbox_postmark_only", "From - \n", true},
    {"utf8_bom_then_header", "\xEF\xBB\xBFSubject: x\n", true},
    {"utf8_bom_then_postmark",
     "\xEF\xBB\xBF"
     "From -\nFrom: a@b\n",
     true},
    {"header_without_line_end", "Subject: x", true},
    {"empty", "", false},
    {"only_a_bom", "\xEF\xBB\xBF", false},
    {"pdf", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", false},
    {"png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), false},
    {"plain_text_note", "Shopping list\nmilk\neggs\n", false},
    {"sentence_with_colon", "Note to self: call Bob\n", false},
    {"leading_blank_line", "\nSubject: x\n", false},
    {"leading_space", " Subject: x\n", false},
    {"colon_first", ": value\n", false},
    {"from_without_space", "From:a@b\n", true}, // a header field named From
    {"from_word_only", "From\n", false},
    {"nul_after_header", std::string("Subject: x\n\0", 12), false},
    {"nul_beyond_4_kib", "Subject: x\n" + std::string(5000, 'a') + std::string(1, '\0'), true},
    {"eight_bit_name", "Sub\xC3\xA9ject: x\n", false},
};

class looks_like_mail_test : public ::testing::TestWithParam<sniff_row> {};

TEST_P(looks_like_mail_test, verdict) {
    EXPECT_EQ(index::looks_like_mail(GetParam().head), GetParam().mail);
}

std::string row_name(const ::testing::TestParamInfo<sniff_row>& row) {
    return row.param.name;
}

INSTANTIATE_TEST_SUITE_P(rows, looks_like_mail_test, ::testing::ValuesIn(sniff_rows), row_name);

} // namespace
} // namespace cairn::test
