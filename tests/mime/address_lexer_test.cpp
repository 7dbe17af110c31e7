// address_lexer.hpp is private to libmime, hence the path into its sources.
#include "../../libmime/src/address_lexer.hpp"
#include "support/text_row.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cairn::mime::rfc5322 {
namespace {

// Canonical text form of the tokens: kind letter (A atom, Q quoted, C comment,
// L literal, S special), '!' when a quote or comment is unclosed, the text in
// braces, and a leading space when white space preceded the token.
std::string render(std::string_view input) {
    static constexpr char letters[] = {'A', 'Q', 'C', 'L', 'S'};
    std::string out;
    for (const token& t : lex(input)) {
        if (t.space_before) {
            out.push_back(' ');
        }
        out.push_back(letters[static_cast<int>(t.k)]);
        if (!t.closed) {
            out.push_back('!');
        }
        out.push_back('{');
        out += t.text;
        out.push_back('}');
    }
    return out;
}

using row = test::text_row;

class lex_table : public ::testing::TestWithParam<row> {};

TEST_P(lex_table, tokens_as_expected) {
    EXPECT_EQ(render(GetParam().input), GetParam().expected);
}

constexpr row lex_rows[] = {
    {"Jane Doe <jane@example.com>", "A{Jane} A{Doe} S{<}A{jane}S{@}A{example}S{.}A{com}S{>}"},
    // RFC 5322 §3.2.4 quoted-pair, §3.2.2 nested comment, §3.4.1 domain literal
    {R"("a\"b" (c (d) e) [1.2.3.4])", R"(Q{a\"b} C{c (d) e} L{[1.2.3.4]})"},
    // RFC 5322 §3.2.2: folding is white space
    {"a\r\n b\r\n\tc", "A{a} A{b} A{c}"},
    // RFC 2047 words are one atom even with specials inside (real mailers)
    {"=?utf-8?Q?Doe,_Jane?= <j@x>", "A{=?utf-8?Q?Doe,_Jane?=} S{<}A{j}S{@}A{x}S{>}"},
    {"=?abc d?=", "A{=?abc} A{d?=}"},                  // not an encoded word
    {"a=?x?q?y?=b", "A{a=?x?q?y?=b}"},                 // glued to text
    {"a)b\\c]d", "A{a)b\\c]d}"},                       // stray closers stay text
    {"用户@例子", "A{用户}S{@}A{例子}"},               // RFC 6532 UTF-8
    {"\"Jane <j@x>", "Q!{Jane }S{<}A{j}S{@}A{x}S{>}"}, // unclosed: ends at '<'
    {"(Jane <j@x>", "C!{Jane }S{<}A{j}S{@}A{x}S{>}"},
    {"(abc", "C!{abc}"}, // no '<': runs to the end
    {"\"a <b> \"c", "Q{a <b> }A{c}"},
    {"\"a <b> \"c \"d", "Q{a <b> }A{c} Q!{d}"}, // repaired once only
    {"\"x <y> (z", "Q!{x }S{<}A{y}S{>} C!{z}"},
    {"[1.2", "L{[1.2}"}, // unclosed literal
    {"", ""},
    {" \t\r\n", ""},
};
INSTANTIATE_TEST_SUITE_P(examples, lex_table, ::testing::ValuesIn(lex_rows));

struct spec_row {
    std::string_view input;
    std::string_view expected; ///< addr-spec text, then '|' and how many tokens it took
};

std::ostream& operator<<(std::ostream& out, const spec_row& r) {
    return out << '"' << r.input << '"';
}

class addr_spec_table : public ::testing::TestWithParam<spec_row> {};

TEST_P(addr_spec_table, reads_as_expected) {
    const token_list tokens(GetParam().input);
    const addr_spec spec = tokens.read_addr_spec(0, tokens.size());
    std::string got = spec.text;
    got += '|';
    got += std::to_string(spec.end);
    EXPECT_EQ(got, GetParam().expected);
}

constexpr spec_row addr_spec_rows[] = {
    {"jane@example.com", "jane@example.com|5"},
    // RFC 5322 A.6.1 / §4.4 obs-domain with white space
    {"jdoe@test  . example", "jdoe@test.example|5"},
    // RFC 5322 A.5: comments inside the addr-spec
    {"pete(his account)@silly.test(his host)", "pete@silly.test|6"},
    // RFC 5322 §3.4.1: quotes kept only where needed
    {"\"john smith\"@example.com", "\"john smith\"@example.com|5"},
    {"\"jane\"@example.com", "jane@example.com|5"},
    {"\"a\\\\b\"@x", "\"a\\\\b\"@x|3"},
    {"\"a\\b\"@x", "ab@x|3"}, // needless quoted-pair dropped
    {"\"\"@x", "\"\"@x|3"},
    {"john.\"q\".public@x", "john.q.public@x|7"}, // §4.4 obs-local-part
    {"jane@[192.0.2.1]", "jane@[192.0.2.1]|3"},
    {"[192.0.2.1]", "|0"},                           // no literal as local part
    {"jane@example.com Jane", "jane@example.com|5"}, // stops at a second word
    {"jane@example.com (c)", "jane@example.com|5"},  // trailing comment not taken
    {"a@b@c", "a@b|3"},
    {"postmaster", "postmaster|1"},
};
INSTANTIATE_TEST_SUITE_P(examples, addr_spec_table, ::testing::ValuesIn(addr_spec_rows));

TEST(append_unescaped, resolves_pairs_and_drops_folding) {
    std::string out;
    append_unescaped(out, "a\\\"b\r\n c\\");
    EXPECT_EQ(out, "a\"b c"); // a lone trailing backslash is dropped
}

} // namespace
} // namespace cairn::mime::rfc5322
