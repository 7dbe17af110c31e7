#pragma once
// Helpers shared by the transfer decoder tests: feeding a decoder in chunks and
// checking that the split does not change what comes out (the streaming contract
// in decoders.hpp).

#include <mime/decoders.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace cairn::test {

/// What a decoder produced: bytes and a canonical list of its defects.
struct decoded {
    std::string bytes;
    std::string defects; ///< defect names separated by spaces, in enum order
    friend bool operator==(const decoded&, const decoded&) = default;
};

inline std::string defect_names(mime::defect_set defects) {
    std::string names;
    defects.for_each([&names](mime::defect kind) {
        if (!names.empty()) {
            names += ' ';
        }
        names += mime::to_string(kind);
    });
    return names;
}

/// Feeds `input` to a fresh decoder made by `make`, cut before each offset in `cuts`
/// (ascending), then finishes it.
template <class Make>
decoded decode_in_pieces(Make make, std::string_view input, const std::vector<std::size_t>& cuts) {
    auto decoder = make();
    std::string out;
    mime::string_sink sink{out};
    std::size_t from = 0;
    for (const std::size_t cut : cuts) {
        decoder.step(input.substr(from, cut - from), sink);
        from = cut;
    }
    decoder.step(input.substr(from), sink);
    decoder.finish(sink);
    return {out, defect_names(decoder.defects())};
}

template <class Make>
decoded decode_whole(Make make, std::string_view input) {
    return decode_in_pieces(make, input, {});
}

/// One byte at a time: a decoder's fast paths need several bytes at once, so
/// this is the byte-wise reference they must match.
template <class Make>
decoded decode_bytewise(Make make, std::string_view input) {
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < input.size(); ++i) {
        every_byte.push_back(i);
    }
    return decode_in_pieces(make, input, every_byte);
}

/// Whole, one byte at a time, and cut in two at every position: all the same.
template <class Make>
void expect_split_invariant(Make make, std::string_view input) {
    const decoded whole = decode_whole(make, input);
    EXPECT_EQ(decode_bytewise(make, input), whole) << "one byte at a time";
    for (std::size_t cut = 0; cut <= input.size(); ++cut) {
        ASSERT_EQ(decode_in_pieces(make, input, {cut}), whole) << "split at " << cut;
    }
}

/// One row of a decoder table: input, expected output and defect names.
struct decoder_case {
    const char* name;
    std::string_view input;
    std::string_view bytes;
    const char* defects; ///< as defect_names() writes them
};

inline void PrintTo(const decoder_case& row, std::ostream* os) {
    *os << row.name;
}

/// Names TEST_P instances after the `name` field of their row.
inline constexpr auto row_name = [](const auto& row_info) {
    return std::string(row_info.param.name);
};

/// A table row's whole contract: the expected bytes and defects, however split.
template <class Make>
void expect_row(Make make, const decoder_case& row) {
    const decoded result = decode_whole(make, row.input);
    EXPECT_EQ(result.bytes, row.bytes);
    EXPECT_EQ(result.defects, row.defects);
    expect_split_invariant(make, row.input);
}

inline void PrintTo(const decoded& value, std::ostream* os) {
    *os << "{bytes: \"" << testing::PrintToString(value.bytes) << "\", defects: \"" << value.defects
        << "\"}";
}

} // namespace cairn::test
