#include "decoder_testing.hpp"
#include "support/base64_encode.hpp"

#include <mime/decoders.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {
namespace {

using test::base64_encode;
using test::decode_whole;

auto make_base64 = [] { return base64_decoder{}; };

class base64_table : public testing::TestWithParam<test::decoder_case> {};

TEST_P(base64_table, decodes_however_split) {
    test::expect_row(make_base64, GetParam());
}

using namespace std::string_view_literals;

const test::decoder_case base64_rows[] = {
    // RFC 4648 §10 test vectors
    {"rfc4648_empty", "", "", ""},
    {"rfc4648_f", "Zg==", "f", ""},
    {"rfc4648_fo", "Zm8=", "fo", ""},
    {"rfc4648_foo", "Zm9v", "foo", ""},
    {"rfc4648_foob", "Zm9vYg==", "foob", ""},
    {"rfc4648_fooba", "Zm9vYmE=", "fooba", ""},
    {"rfc4648_foobar", "Zm9vYmFy", "foobar", ""},
    // RFC 2045 §6.8: lines of at most 76 characters, line breaks are not data
    {"crlf_lines", "Zm9v\r\nYmFy\r\n", "foobar", ""},
    {"lf_lines", "Zm9v\nYmFy\n", "foobar", ""},
    {"quantum_across_lines", "Zm\r\n9vYm\r\nFy", "foobar", ""},
    {"blanks_inside", "Zm 9v\tYmFy", "foobar", ""},
    {"padding_across_lines", "Zg=\r\n=\r\n", "f", ""},
    {"extra_padding", "Zg===", "f", ""},
    {"nonzero_trailing_bits", "Zh==", "f", ""},
    {"all_byte_values", "AAECA/z9/v8=", "\x00\x01\x02\x03\xfc\xfd\xfe\xff"sv, ""},
    // Missing padding is repaired (email._encoded_words.decode_b adds it)
    {"missing_two_pads", "Zm9vYg", "foob", "invalid_base64_padding"},
    {"missing_one_pad", "Zm9vYmE\r\n", "fooba", "invalid_base64_padding"},
    {"cut_padding", "Zg=", "f", "invalid_base64_padding"},
    // A lone sextet holds no byte: dropped
    {"lone_sextet", "Zm9vY", "foo", "invalid_base64_length"},
    {"single_char", "Z", "", "invalid_base64_length"},
    // Junk is skipped (binascii.a2b_base64 non-strict)
    {"junk_line", "Zm9v\r\n----\r\nYmFy\r\n", "foobar", "invalid_base64_characters"},
    {"eight_bit_junk", "Zm9v\xc3\xa9YmFy", "foobar", "invalid_base64_characters"},
    // Decoding stops at the first complete padding; footers after it are ignored
    {"list_footer", "Zm9vYg==\r\n-- \r\nList footer: http://example.com/\r\n", "foob",
     "data_after_base64_padding"},
    {"second_part_after_padding", "Zm8=Zm9v", "fo", "data_after_base64_padding"},
    {"blanks_after_padding", "Zm8=\r\n\r\n  \r\n==\r\n", "fo", ""},
    // `=` that is not padding: a2b_base64 ignores it and goes on
    {"pad_then_data", "QQ=junk==", "A\x08\xee\x9e", "invalid_base64_padding"},
    {"pad_at_quantum_start", "QUJD=REVG", "ABCDEF", "invalid_base64_padding"},
    {"only_pads", "====", "", "invalid_base64_padding"},
};

INSTANTIATE_TEST_SUITE_P(rows, base64_table, testing::ValuesIn(base64_rows), test::row_name);

std::string sample_bytes(std::size_t size) {
    std::string bytes(size, '\0');
    std::uint32_t state = 12345;
    for (auto& byte : bytes) {
        state = state * 1103515245U + 12345U;
        byte = static_cast<char>(state >> 16);
    }
    return bytes;
}

TEST(base64_decoder, round_trips_long_clean_input) {
    // 10000 bytes cross the 4 KiB output buffer; both line lengths and line ends.
    const auto bytes = sample_bytes(10000);
    for (const std::size_t line_length : {76U, 64U, 73U}) {
        for (const std::string_view eol : {"\r\n", "\n"}) {
            const auto result = decode_whole(make_base64, base64_encode(bytes, line_length, eol));
            EXPECT_EQ(result.bytes, bytes) << line_length;
            EXPECT_EQ(result.defects, "");
        }
    }
}

TEST(base64_decoder, split_invariant_on_long_input) {
    // Odd line length: the fast path is entered and left at varying offsets; 301
    // bytes end in padding, so the footer is ignored.
    const auto text = base64_encode(sample_bytes(301), 73, "\r\n") + "--footer--\r\n";
    test::expect_split_invariant(make_base64, text);
    EXPECT_EQ(decode_whole(make_base64, text).bytes, sample_bytes(301));
}

/// Fed one byte at a time, the decoder never takes a fast path (blocks need 32
/// bytes, quanta 4): that is the reference the fast paths must match.
test::decoded decode_bytewise(std::string_view text) {
    return test::decode_bytewise(make_base64, text);
}

TEST(base64_decoder, wide_blocks_reject_every_byte_outside_the_alphabet) {
    // Every byte value at every position of a 32-byte block, inside a clean run
    // long enough for several blocks: a byte the block check let through would
    // be decoded as a sextet instead of being skipped.
    const std::string clean = base64_encode(sample_bytes(96), 1000, "");
    ASSERT_EQ(clean.size(), 128U);
    for (std::size_t at = 32; at < 64; ++at) {
        for (int value = 0; value < 256; ++value) {
            std::string text = clean;
            text[at] = static_cast<char>(value);
            ASSERT_EQ(decode_whole(make_base64, text), decode_bytewise(text))
                << "byte " << value << " at " << at;
        }
    }
}

TEST(base64_decoder, fast_paths_agree_with_the_bytewise_decoder) {
    // Random lines of random lengths and line ends, with junk, blanks and
    // stray `=` sprinkled in, whole and cut at random points.
    std::uint32_t state = 2024;
    const auto next = [&state](std::uint32_t bound) {
        state = state * 1103515245U + 12345U;
        return (state >> 8) % bound;
    };
    constexpr std::string_view eols[] = {"\r\n", "\n", "\r", ""};
    constexpr std::string_view noise[] = {" ", "\t", "*", "\xc3\xa9", "=", "-"};
    for (int round = 0; round < 300; ++round) {
        const std::string clean = base64_encode(sample_bytes(next(3000)), 4 * (1 + next(30)),
                                                eols[next(std::size(eols))]);
        std::string text;
        for (const char c : clean) {
            if (next(round % 3 == 0 ? 50 : 4000) == 0) {
                text += noise[next(std::size(noise))];
            }
            text += c;
        }
        const auto reference = decode_bytewise(text);
        ASSERT_EQ(decode_whole(make_base64, text), reference) << "round " << round;
        std::vector<std::size_t> cuts;
        for (std::size_t at = next(200); at < text.size(); at += 1 + next(700)) {
            cuts.push_back(at);
        }
        ASSERT_EQ(test::decode_in_pieces(make_base64, text, cuts), reference) << "round " << round;
    }
}

TEST(base64_decoder, ignores_steps_after_padding) {
    base64_decoder decoder;
    std::string out;
    string_sink sink{out};
    decoder.step("Zg==", sink);
    decoder.step("Zm9v", sink);
    decoder.finish(sink);
    EXPECT_EQ(out, "f");
    EXPECT_TRUE(decoder.defects().contains(defect::data_after_base64_padding));
}

} // namespace
} // namespace cairn::mime
