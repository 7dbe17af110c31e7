#include <indexer/content_hash.hpp>

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace {

using cairn::index::content_hash;
using cairn::index::content_hasher;

struct digest_case {
    const char* name;
    std::string input;
    const char* hex;
};

// FIPS 180-2 appendix B examples (B.1 "abc", B.2 the 448-bit message, B.3 a
// million 'a'), plus the empty message and bytes mail really contains.
const digest_case digest_cases[] = {
    {"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"fips_b1_abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"fips_b2_two_blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"fips_b3_million_a", std::string(1000000, 'a'),
     "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
};

class digest_test : public testing::TestWithParam<digest_case> {};

TEST_P(digest_test, one_shot_matches_published_digest) {
    EXPECT_EQ(content_hash::of(GetParam().input).hex(), GetParam().hex);
}

TEST_P(digest_test, incremental_matches_at_every_split_point) {
    const std::string& input = GetParam().input;
    const auto expected = content_hash::of(input);
    // Every split for short inputs; a few spread ones for the million bytes.
    const std::size_t step = input.size() > 1000 ? input.size() / 7 : 1;
    content_hasher hasher; // reused: finish() must reset it
    for (std::size_t split = 0; split <= input.size(); split += step) {
        hasher.update(std::string_view(input).substr(0, split));
        hasher.update(std::string_view(input).substr(split));
        ASSERT_EQ(hasher.finish(), expected) << "split at " << split;
    }
}

INSTANTIATE_TEST_SUITE_P(sha256, digest_test, testing::ValuesIn(digest_cases),
                         [](const auto& row) { return std::string(row.param.name); });

struct hex_case {
    const char* name;
    std::string text;
    bool valid;
};

const hex_case hex_cases[] = {
    {"lowercase", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true},
    {"uppercase", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", true},
    {"empty", "", false},
    {"one_short", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", false},
    {"one_long", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015add", false},
    {"non_hex_g", "ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false},
    {"space_inside", "ba7816bf8f01cfea414140de5dae2223 00361a396177a9cb410ff61f20015ad", false},
    {"prefix_0x", "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015", false},
};

class from_hex_test : public testing::TestWithParam<hex_case> {};

TEST_P(from_hex_test, parses_exactly_64_hex_digits) {
    const auto parsed = content_hash::from_hex(GetParam().text);
    ASSERT_EQ(parsed.has_value(), GetParam().valid);
    if (parsed) {
        EXPECT_EQ(*parsed, content_hash::of("abc"));
    }
}

INSTANTIATE_TEST_SUITE_P(hex, from_hex_test, testing::ValuesIn(hex_cases),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(content_hash, hex_round_trips_and_is_lowercase) {
    static constexpr char raw[] = "Subject: x\r\n\r\n\x80\xff\0 body"; // 8-bit and a NUL
    const auto hash = content_hash::of(std::string_view(raw, sizeof raw - 1));
    const std::string text = hash.hex();
    EXPECT_EQ(text.size(), 64U);
    EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(content_hash::from_hex(text), hash);
}

TEST(content_hash, default_is_all_zero_and_distinct_from_real_hashes) {
    const content_hash unset;
    EXPECT_EQ(unset.hex(), std::string(64, '0'));
    EXPECT_NE(unset, content_hash::of(""));
}

TEST(content_hash, orders_by_bytes_and_works_in_hash_sets) {
    const auto a = content_hash::from_hex(std::string(63, '0') + "1").value();
    const auto b = content_hash::from_hex("1" + std::string(63, '0')).value();
    EXPECT_LT(a, b); // byte order, not numeric order of some prefix
    std::unordered_set<content_hash> seen{a, b, content_hash::of("abc")};
    EXPECT_EQ(seen.size(), 3U);
    EXPECT_TRUE(seen.contains(content_hash::of("abc")));
    EXPECT_FALSE(seen.contains(content_hash::of("abd")));
}

TEST(content_hasher, is_a_byte_sink_and_survives_a_move) {
    content_hasher first;
    first.write("ab");
    content_hasher second = std::move(first);
    second.write("c");
    EXPECT_EQ(second.finish(), content_hash::of("abc"));
}

} // namespace
