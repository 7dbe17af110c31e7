#include "support/test_data.hpp"

#include <mime/encoded_word.hpp>

#include <gtest/gtest.h>

#include <string>

namespace cairn::mime {
namespace {

struct header_case {
    std::string_view raw;
    std::string_view expected;
    std::string_view fallback = {};
};

class decode_header_text_test : public testing::TestWithParam<header_case> {};

TEST_P(decode_header_text_test, decodes) {
    EXPECT_EQ(decode_header_text(GetParam().raw, GetParam().fallback), GetParam().expected);
}

TEST_P(decode_header_text_test, appends_to_existing_buffer) {
    std::string out = "kept|";
    decode_header_text(GetParam().raw, out, GetParam().fallback);
    EXPECT_EQ(out, "kept|" + std::string(GetParam().expected));
}

// RFC 2047 §8, every example.
INSTANTIATE_TEST_SUITE_P(
    rfc2047_section8, decode_header_text_test,
    testing::Values(header_case{"=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>",
                                "Keith Moore <moore@cs.utk.edu>"},
                    header_case{"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>",
                                "Keld Jørn Simonsen <keld@dkuug.dk>"},
                    header_case{"=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>",
                                "André Pirard <PIRARD@vm1.ulg.ac.be>"},
                    header_case{"=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
                                "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
                                "If you can read this you understand the example."},
                    header_case{"=?ISO-8859-1?Q?Olle_J=E4rnefors?= <ojarnef@admin.kth.se>",
                                "Olle Järnefors <ojarnef@admin.kth.se>"},
                    header_case{
                        "Nathaniel Borenstein <nsb@thumper.bellcore.com>\r\n    "
                        "(=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)",
                        "Nathaniel Borenstein <nsb@thumper.bellcore.com>    (םולש ןב ילטפנ)"},
                    header_case{"(=?ISO-8859-1?Q?a?=)", "(a)"},
                    header_case{"(=?ISO-8859-1?Q?a?= b)", "(a b)"},
                    header_case{"(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"},
                    header_case{"(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"},
                    header_case{"(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"},
                    header_case{"(=?ISO-8859-1?Q?a_b?=)", "(a b)"},
                    header_case{"(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"},
                    header_case{"(=?ISO-8859-1?Q?a?=  b)", "(a  b)"}));

INSTANTIATE_TEST_SUITE_P(
    real_mail, decode_header_text_test,
    testing::Values(
        // A character split across two words of one charset: bytes joined first.
        header_case{"=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=", "café"},
        header_case{"=?UTF-8?B?4oI=?=\r\n =?utf-8?b?rA==?=", "€"},
        header_case{"=?shift_jis?B?k/qW?= =?SHIFT_JIS?B?ew==?=", "日本"},
        header_case{"=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語"},
        header_case{"=?GB2312?B?u+HS6c2o1qqjus/CzufI/bXj?=", "会议通知：下午三点"},
        header_case{"=?koi8-r?B?8NLJ18XULCDNydI=?=", "Привет, мир"},
        // windows-1252 for latin1 (WHATWG): 0x80 is the euro sign.
        header_case{"=?iso-8859-1?q?5_=80_=93quoted=94?=", "5 € “quoted”"},
        header_case{"=?utf-8?q?hello_world?=", "hello world"}, // lower-case q
        header_case{"=?utf-8?B?w6k?=", "é"},                   // missing padding
        header_case{"=?UTF-8?B?SGVsbG8?= there", "Hello there"},
        header_case{"=?utf-8?b?YQ==YQ==?=", "aa"},                   // two quanta in one word
        header_case{"=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore"}, // RFC 2231 §5
        header_case{"=?x-unknown?Q?caf=C3=A9?=", "café"},            // unknown charset, UTF-8 bytes
        header_case{"=?x-unknown?Q?caf=E9?=", "café"},               // unknown charset, sniffed
        header_case{"\"=?utf-8?q?Andr=C3=A9?=\" <a@example.com>", "\"André\" <a@example.com>"},
        header_case{"=?utf-8?q?Andr=C3=A9_Pirard?=", "André Pirard"},
        // Glued to text or to each other (Thunderbird and GMime decode these).
        header_case{"foo=?utf-8?q?bar?=baz", "foobarbaz"},
        header_case{"=?utf-8?q?a?==?utf-8?q?b?=", "ab"},
        header_case{"Re:=?utf-8?q?=C3=A9t=C3=A9?=", "Re:été"},
        // Mixed charsets side by side, whitespace between words dropped.
        header_case{"=?iso-8859-1?q?caf=E9?= =?utf-8?q?_=E2=82=AC?=", "café €"},
        header_case{"=?utf-8?q?hello world?=", "hello world"}, // unencoded space
        header_case{"=?utf-8?q?a=FFb?=", "a\uFFFD"
                                         "b"}, // invalid UTF-8 → U+FFFD
        header_case{"=?utf-8?q?=_?=", "="},    // '=' without hex kept
        // Malformed words stay literal.
        header_case{"=?utf-8?q?no end", "=?utf-8?q?no end"},
        header_case{"=?utf-8?x?abc?=", "=?utf-8?x?abc?="}, header_case{"=??q?abc?=", "=??q?abc?="},
        header_case{"=?utf-8?q?bad =?utf-8?q?good?=", "=?utf-8?q?bad good"},
        header_case{"price =? 5 ?= ok", "price =? 5 ?= ok"},
        // Raw 8-bit text: UTF-8 when valid (RFC 6532), else fallback, else sniffed.
        header_case{"Caf\xC3\xA9 =?utf-8?q?=E2=82=AC?=", "Café €"},
        header_case{"Caf\xE9 cr\xE8me", "Café crème", "iso-8859-1"},
        header_case{"\xF0\xD2\xC9\xD7\xC5\xD4", "Привет", "koi8-r"}, header_case{"Caf\xE9", "Café"},
        // Unfolding (RFC 5322 §2.2.3) and trimming.
        header_case{"Hello\r\n World", "Hello World"},
        header_case{"Hello\n\tWorld", "Hello\tWorld"}, header_case{"  padded  \r\n", "padded"},
        header_case{"=?utf-8?q?_spaced_?=", "spaced"}, header_case{"", ""},
        header_case{"plain ascii subject", "plain ascii subject"}));

struct unfold_case {
    std::string_view raw;
    std::string_view expected;
};

class unfold_test : public testing::TestWithParam<unfold_case> {};

TEST_P(unfold_test, removes_folding_only) {
    EXPECT_EQ(unfold(GetParam().raw), GetParam().expected);
}

// RFC 5322 §2.2.3: CRLF followed by WSP is removed, the WSP kept.
INSTANTIATE_TEST_SUITE_P(rfc5322, unfold_test,
                         testing::Values(unfold_case{"a\r\n b", "a b"},
                                         unfold_case{"a\r\n\tb", "a\tb"},
                                         unfold_case{"a\n b", "a b"}, // bare LF (Unix mailboxes)
                                         unfold_case{"a\r\nb", "a\r\nb"},     // not folding
                                         unfold_case{"a\r\n", "a\r\n"},       // end of field
                                         unfold_case{"a\r\n \r\n b", "a  b"}, // two folds
                                         unfold_case{"", ""}));

// --- linear time: thousands of words, malformed or not ------------------------------

TEST(decode_header_text, mimekit_stack_overflow_header) {
    const auto corpora = test::shared_corpora_dir();
    if (corpora.empty()) {
        GTEST_SKIP() << "shared corpora absent";
    }
    const std::string message =
        test::read_file(corpora / "conformance/mimekit/messages/stack-overflow.txt");
    const auto to = message.find("\nTo:") + 4;
    const auto end = message.find("\nSubject:");
    const std::string_view value = std::string_view(message).substr(to, end - to);
    const std::string decoded = decode_header_text(value);
    std::size_t words = 0;
    for (auto at = value.find("=?utf-8?Q?"); at != std::string_view::npos;
         at = value.find("=?utf-8?Q?", at + 1)) {
        ++words;
    }
    std::size_t pieces = 0;
    for (auto at = decoded.find("date>2017-08-20T10:08:28.617</pr"); at != std::string::npos;
         at = decoded.find("date>2017-08-20T10:08:28.617</pr", at + 1)) {
        ++pieces;
    }
    EXPECT_GT(words, 2000U);
    EXPECT_EQ(pieces, words);
    EXPECT_TRUE(decoded.starts_with("\"test\" <test@test.com>,"));
}

std::string repeat(std::string_view piece, std::size_t times) {
    std::string text;
    text.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) {
        text += piece;
    }
    return text;
}

constexpr std::size_t many = 200'000; // quadratic work here would take minutes

TEST(decode_header_text, many_glued_words) {
    EXPECT_EQ(decode_header_text(repeat("=?utf-8?q?a?=", many)), std::string(many, 'a'));
}

TEST(decode_header_text, many_folded_words_of_split_characters) {
    EXPECT_EQ(decode_header_text(repeat("=?utf-8?q?=C3?=\r\n =?utf-8?q?=A9?= ", many)),
              repeat("é", many));
}

TEST(decode_header_text, many_unclosed_words) {
    const std::string raw = repeat("=?utf-8?q?x ", many);
    EXPECT_EQ(decode_header_text(raw), raw.substr(0, raw.size() - 1));
}

TEST(decode_header_text, many_openers_then_one_close) {
    const std::string raw = repeat("=?a?q?", many) + "?=";
    EXPECT_EQ(decode_header_text(raw), repeat("=?a?q?", many - 1));
}

TEST(decode_header_text, many_bare_openers) {
    const std::string raw = repeat("=?", many);
    EXPECT_EQ(decode_header_text(raw), raw);
}

} // namespace
} // namespace cairn::mime
