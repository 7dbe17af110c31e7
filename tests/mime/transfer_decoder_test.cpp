#include "decoder_testing.hpp"

#include <mime/decoders.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

struct encoding_case {
    const char* name;
    std::string_view value;
    transfer_encoding expected;
};

void PrintTo(const encoding_case& row, std::ostream* os) {
    *os << row.name;
}

class encoding_names : public testing::TestWithParam<encoding_case> {};

TEST_P(encoding_names, parsed) {
    EXPECT_EQ(parse_transfer_encoding(GetParam().value), GetParam().expected);
}

using enum transfer_encoding;

const encoding_case encoding_rows[] = {
    // RFC 2045 §6.1 mechanisms (values are case-insensitive)
    {"base64", "base64", base64},
    {"base64_upper", "BASE64", base64},
    {"qp", "quoted-printable", quoted_printable},
    {"qp_mixed_case", "Quoted-Printable", quoted_printable},
    {"seven_bit", "7bit", identity},
    {"eight_bit", "8bit", identity},
    {"binary", "binary", identity},
    // Whitespace, folding and comments around the token (RFC 2045 §6.1, RFC 5322 §3.2.2)
    {"blanks", "  base64 \r\n", base64},
    {"folded", "\r\n base64", base64},
    {"comment_after", "base64 (sent by Foo Mailer)", base64},
    {"comment_before", "(nested (comment \\) here)) quoted-printable", quoted_printable},
    // Real-world variants
    {"quoted", "\"base64\"", base64},
    {"parameter_junk", "base64; charset=utf-8", base64},
    {"x_uuencode", "x-uuencode", uuencode},
    {"uuencode", "UUENCODE", uuencode},
    {"x_uue", "x-uue", uuencode},
    {"uue", "uue", uuencode},
    // RFC 2045 §6.4: unknown encodings are treated as opaque data
    {"unknown", "x-gzip64", identity},
    {"near_miss", "base-64", identity},
    {"prefix_only", "base6", identity},
    {"empty", "", identity},
    {"only_comment", "(base64)", identity},
};

INSTANTIATE_TEST_SUITE_P(rows, encoding_names, testing::ValuesIn(encoding_rows), test::row_name);

struct dispatch_case {
    const char* name;
    transfer_encoding kind;
    std::string_view input;
    std::string_view bytes;
    const char* defects;
};

void PrintTo(const dispatch_case& row, std::ostream* os) {
    *os << row.name;
}

class dispatch : public testing::TestWithParam<dispatch_case> {};

TEST_P(dispatch, decodes_with_chosen_decoder) {
    const auto& row = GetParam();
    const auto make = [&row] { return transfer_decoder(row.kind); };
    const auto result = test::decode_whole(make, row.input);
    EXPECT_EQ(result.bytes, row.bytes);
    EXPECT_EQ(result.defects, row.defects);
    test::expect_split_invariant(make, row.input);
}

const dispatch_case dispatch_rows[] = {
    {"identity", identity, "=41 Zm9v\r\n", "=41 Zm9v\r\n", ""},
    {"base64", base64, "Zm9v\r\nYmFy\r\n", "foobar", ""},
    {"base64_defect", base64, "Zm9vY", "foo", "invalid_base64_length"},
    {"qp", quoted_printable, "caf=C3=A9 =\r\nok", "caf\xc3\xa9 ok", ""},
    {"qp_defect", quoted_printable, "=ZZ", "=ZZ", "invalid_quoted_printable"},
    {"uuencode", uuencode, "begin 644 cat.txt\r\n#0V%T\r\n`\r\nend\r\n", "Cat", ""},
    {"uuencode_defect", uuencode, "#0V%T\n", "", "invalid_uuencode"},
};

INSTANTIATE_TEST_SUITE_P(rows, dispatch, testing::ValuesIn(dispatch_rows), test::row_name);

} // namespace
} // namespace cairn::mime
