#include "decoder_testing.hpp"

#include <mime/decoders.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {
namespace {

using test::decode_whole;
using namespace std::string_view_literals;

auto make_qp = [] { return quoted_printable_decoder{}; };

class qp_table : public testing::TestWithParam<test::decoder_case> {};

TEST_P(qp_table, decodes_however_split) {
    test::expect_row(make_qp, GetParam());
}

const std::string many_blanks_soft_break = "a=" + std::string(78, ' ') + "\r\nb";
const std::string too_many_blanks = "a=" + std::string(79, ' ') + "\r\nb";

const test::decoder_case qp_rows[] = {
    // RFC 2045 §6.7, rule 5 example (soft line breaks)
    {"rfc2045_soft_breaks",
     "Now's the time =\r\nfor all folk to come=\r\n to the aid of their country.",
     "Now's the time for all folk to come to the aid of their country.", ""},
    // RFC 2045 §6.7 rule 1: =XX, uppercase per the RFC, lowercase in real mail
    {"escaped_equals", "1 + 1 =3D 2", "1 + 1 = 2", ""},
    {"uppercase_hex", "caf=C3=A9", "caf\xc3\xa9", ""},
    {"lowercase_hex", "caf=c3=a9", "caf\xc3\xa9", ""},
    {"nul_byte", "a=00b", "a\0b"sv, ""},
    // Rules 2 and 4: literal text, line ends and trailing blanks kept as written
    {"plain_text", "Hello, world!", "Hello, world!", ""},
    {"line_ends_kept", "a\r\nb\nc\r\n", "a\r\nb\nc\r\n", ""},
    {"trailing_blanks_kept", "a  \r\nb\t\n", "a  \r\nb\t\n", ""},
    {"eight_bit_kept", "caf\xe9 ok", "caf\xe9 ok", ""},
    // Rule 5: soft line breaks, LF or CRLF, with blanks a transport added (rule 3)
    {"soft_break_lf", "abc=\ndef", "abcdef", ""},
    {"soft_break_blanks", "abc= \t\r\ndef", "abcdef", ""},
    {"soft_break_at_end_lf", "abc=\n", "abc", ""},
    {"soft_break_at_end_crlf", "abc=\r\n", "abc", ""},
    {"many_blanks_soft_break", many_blanks_soft_break, "ab", ""},
    // binascii.a2b_qp drops an `=` that ends the input
    {"trailing_equals", "abc=", "abc", ""},
    {"trailing_equals_blanks", "abc=  ", "abc", ""},
    {"trailing_equals_cr", "abc=\r", "abc", ""},
    // Broken escapes: the `=` is kept and what follows is decoded normally
    {"not_hex", "=ZZ", "=ZZ", "invalid_quoted_printable"},
    {"one_hex_digit", "=4G", "=4G", "invalid_quoted_printable"},
    {"double_equals", "==41", "=A", "invalid_quoted_printable"},
    {"unencoded_equals", "if a = b then", "if a = b then", "invalid_quoted_printable"},
    {"hex_digit_at_end", "abc=A", "abc=A", "invalid_quoted_printable"},
    {"lone_cr", "a=\rX", "a=\rX", "invalid_quoted_printable"},
    // More blanks than a 76-column line holds: not a soft break, kept as is
    {"too_many_blanks", too_many_blanks, too_many_blanks, "invalid_quoted_printable"},
};

INSTANTIATE_TEST_SUITE_P(rows, qp_table, testing::ValuesIn(qp_rows), test::row_name);

TEST(quoted_printable_decoder, long_input_crosses_output_buffer) {
    std::string input;
    std::string expected;
    for (int i = 0; i < 3000; ++i) {
        input += "caf=C3=A9 =\r\n";
        expected += "caf\xc3\xa9 ";
    }
    const auto result = decode_whole(make_qp, input);
    EXPECT_EQ(result.bytes, expected);
    EXPECT_EQ(result.defects, "");
}

TEST(quoted_printable_decoder, long_literal_run_is_kept) {
    const std::string run(5000, 'x');
    const auto result = decode_whole(make_qp, "=41" + run + "=42");
    EXPECT_EQ(result.bytes, "A" + run + "B");
}

TEST(quoted_printable_decoder, held_escape_resolved_over_several_chunks) {
    // `=`, blanks and CR arriving one chunk at a time, then the LF.
    quoted_printable_decoder decoder;
    std::string out;
    string_sink sink{out};
    for (const std::string_view piece : {"ab=", " ", "\t", "\r", "\ncd"}) {
        decoder.step(piece, sink);
    }
    decoder.finish(sink);
    EXPECT_EQ(out, "abcd");
    EXPECT_TRUE(decoder.defects().empty());
}

TEST(quoted_printable_decoder, fast_path_agrees_with_the_bytewise_decoder) {
    // Random text of plain bytes, `=XX` in both cases, soft breaks with and
    // without blanks, broken escapes and line ends, whole and cut at random
    // points, against the decoder fed one byte at a time.
    std::uint32_t state = 7;
    const auto next = [&state](std::uint32_t bound) {
        state = state * 1103515245U + 12345U;
        return (state >> 8) % bound;
    };
    constexpr std::string_view pieces[] = {
        "a",  "Z",    " ",    "=E9", "=c3", "=\r\n", "=\n",  "=  \r\n", "=",   "=G1",
        "=4", "==41", "\r\n", "\n",  "\r",  "=\t\n", "\xe9", "==",      "=20", "=3D"};
    for (int round = 0; round < 300; ++round) {
        std::string text;
        const auto length = next(400);
        for (std::uint32_t i = 0; i < length; ++i) {
            text += pieces[next(std::size(pieces))];
        }
        const auto reference = test::decode_bytewise(make_qp, text);
        ASSERT_EQ(decode_whole(make_qp, text), reference) << "round " << round;
        std::vector<std::size_t> cuts;
        for (std::size_t at = next(50); at < text.size(); at += 1 + next(100)) {
            cuts.push_back(at);
        }
        ASSERT_EQ(test::decode_in_pieces(make_qp, text, cuts), reference) << "round " << round;
    }
}

} // namespace
} // namespace cairn::mime
