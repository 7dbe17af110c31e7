#include "decoder_testing.hpp"

#include <mime/decoders.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

using test::decode_whole;
using namespace std::string_view_literals;

auto make_uu = [] { return uuencode_decoder{}; };

class uu_table : public testing::TestWithParam<test::decoder_case> {};

TEST_P(uu_table, decodes_however_split) {
    test::expect_row(make_uu, GetParam());
}

// Encoded lines below come from Python's binascii.b2a_uu.
const test::decoder_case uu_rows[] = {
    // The classic example (backticks for zero, as GNU uuencode writes)
    {"backticks", "begin 644 wikipedia-url.txt\n::'1T<#HO+W=W=RYW:6MI<&5D:6$N;W)G#0H`\n`\nend\n",
     "http://www.wikipedia.org\r\n", ""},
    // Spaces for zero (the historical form) and CRLF line ends
    {"spaces_crlf",
     "begin 644 wikipedia-url.txt\r\n::'1T<#HO+W=W=RYW:6MI<&5D:6$N;W)G#0H \r\n \r\nend\r\n",
     "http://www.wikipedia.org\r\n", ""},
    {"full_line",
     "begin 600 "
     "bytes.bin\nM``$\"`P0%!@<(\"0H+#`T.#Q`1$A,4%187&!D:&QP='A\\@(2(C)\"4F)R@I*BLL\n`\nend\n",
     "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16"
     "\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !\"#$%&'()*+,"sv,
     ""},
    {"prose_around", "Here it is:\n\nbegin 644 cat.txt\n#0V%T\n`\nend\nBye!\n", "Cat", ""},
    {"blank_line_inside", "begin 644 cat.txt\n\n#0V%T\n\n`\nend\n", "Cat", ""},
    // Tolerated damage
    {"missing_end", "begin 644 cat.txt\n#0V%T\n", "Cat", ""},
    {"no_final_newline", "begin 644 cat.txt\n#0V%T", "Cat", ""},
    {"trailing_blanks", "begin 644 cat.txt  \r\n#0V%T  \t\r\n`\r\nend  \r\n", "Cat", ""},
    {"checksum_character", "begin 644 cat.txt\n#0V%TX\n`\nend\n", "Cat", ""},
    {"data_after_end", "begin 644 cat.txt\n#0V%T\nend\n#0V%T\n", "Cat", ""},
    // A transport ate the trailing space (a zero sextet): decode what is there
    {"stripped_trailing_space", "begin 644 hello.txt\n.2&5L;&\\L('=O<FQD(0H\nend\n",
     "Hello, world!\n", "invalid_uuencode"},
    {"truncated_line", "begin 644 bytes.bin\nM``$\"`P0%\nend\n", "\x00\x01\x02\x03\x04\x05"sv,
     "invalid_uuencode"},
    {"bad_character", "begin 644 cat.txt\n#0v%T\nend\n", "Aat", "invalid_uuencode"},
    // No usable `begin` line: nothing to decode
    {"no_begin", "#0V%T\n`\nend\n", "", "invalid_uuencode"},
    {"mode_not_octal", "begin 9x9 cat.txt\n#0V%T\nend\n", "", "invalid_uuencode"},
    {"empty", "", "", "invalid_uuencode"},
};

INSTANTIATE_TEST_SUITE_P(rows, uu_table, testing::ValuesIn(uu_rows), test::row_name);

TEST(uuencode_decoder, very_long_lines_are_bounded) {
    // A 100 KB line before `begin` is skipped without keeping it.
    const std::string input = std::string(100000, 'x') + "\nbegin 644 a\n#0V%T\nend\n";
    EXPECT_EQ(decode_whole(make_uu, input).bytes, "Cat");
}

// --- find_uuencode_blocks ---

std::string describe(std::string_view text) {
    std::string out;
    for (const auto& block : find_uuencode_blocks(text)) {
        out += std::string(block.mode) + " " + std::string(block.filename) + " [" +
               std::to_string(block.begin) + "," + std::to_string(block.end) + ") ";
    }
    return out;
}

struct block_case {
    const char* name;
    std::string_view text;
    const char* blocks; ///< describe() of the result
};

void PrintTo(const block_case& row, std::ostream* os) {
    *os << row.name;
}

class uu_blocks : public testing::TestWithParam<block_case> {};

TEST_P(uu_blocks, found) {
    EXPECT_EQ(describe(GetParam().text), GetParam().blocks);
}

const block_case block_rows[] = {
    {"one", "Hi,\nbegin 644 cat.txt\n#0V%T\n`\nend\nBye\n", "644 cat.txt [4,34) "},
    {"crlf", "Hi,\r\nbegin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\nBye\r\n", "644 cat.txt [5,39) "},
    {"two", "begin 644 a\n#0V%T\nend\ntext\nbegin 600 b c\n#0V%T\nend",
     "644 a [0,22) 600 b c [27,50) "},
    {"no_end", "text\nbegin 755 run.sh\n#0V%T\n", "755 run.sh [5,28) "},
    {"no_data_line", "begin 644 cat.txt\nend\n", "644 cat.txt [0,22) "},
    // Prose that happens to start with "begin": not a block
    {"prose", "begin 644 was the room number.\nWe went in.\n", ""},
    {"not_octal", "begin 12a file\n#0V%T\nend\n", ""},
    {"not_line_start", "Please begin 644 cat.txt\n#0V%T\nend\n", ""},
    {"empty", "", ""},
};

INSTANTIATE_TEST_SUITE_P(rows, uu_blocks, testing::ValuesIn(block_rows), test::row_name);

} // namespace
} // namespace cairn::mime
