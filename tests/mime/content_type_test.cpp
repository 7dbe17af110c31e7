#include "support/test_data.hpp"

#include <mime/content_type.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

/// Canonical text of parse_parameters(): `name=value` joined by " | ".
std::string describe(const std::vector<parameter>& parameters) {
    std::string out;
    for (const auto& p : parameters) {
        if (!out.empty()) {
            out += " | ";
        }
        out += p.name + "=" + p.value;
    }
    return out;
}

std::string describe(const std::optional<media_type>& type) {
    return type ? std::string(type->type) + "/" + std::string(type->subtype) : "nullopt";
}

struct text_case {
    const char* name;
    std::string_view input;
    std::string_view expected;
};

void PrintTo(const text_case& row, std::ostream* os) {
    *os << row.name;
}

const auto row_name = [](const auto& row_info) { return std::string(row_info.param.name); };

// --- parse_media_type ---

class media_types : public testing::TestWithParam<text_case> {};

TEST_P(media_types, parsed) {
    EXPECT_EQ(describe(parse_media_type(GetParam().input)), GetParam().expected);
}

const text_case media_type_rows[] = {
    // RFC 2045 §5.1
    {"simple", "text/plain; charset=us-ascii", "text/plain"},
    {"case_kept", "Text/HTML; CHARSET=UTF-8", "Text/HTML"},
    {"no_parameters", "image/jpeg", "image/jpeg"},
    {"vendor_subtype", "application/vnd.ms-excel", "application/vnd.ms-excel"},
    // Comments and white space around the tokens (RFC 2045 §5.1, RFC 5322 §3.2.2)
    {"blanks", "  text / plain  ;charset=x", "text/plain"},
    {"comments", "(a) text (b) / (c) plain (d)", "text/plain"},
    {"folded", "multipart/mixed;\r\n boundary=x", "multipart/mixed"},
    // A lost semicolon before the parameters still leaves the type usable
    {"missing_semicolon", "text/plain charset=utf-8", "text/plain"},
    // RFC 2045 §5.2: no valid type/subtype
    {"no_slash", "text", "nullopt"},
    {"no_type", "/plain", "nullopt"},
    {"no_subtype", "text/", "nullopt"},
    {"empty", "", "nullopt"},
    {"only_comment", "(text/plain)", "nullopt"},
    {"quoted", "\"text/plain\"", "nullopt"},
    {"junk_in_subtype", "text/pl@in", "nullopt"},
    {"two_slashes", "text/plain/foo", "nullopt"},
    {"eight_bit", "t\xc3\xa9xt/plain", "nullopt"},
};

INSTANTIATE_TEST_SUITE_P(rows, media_types, testing::ValuesIn(media_type_rows), row_name);

TEST(media_type, views_into_input_and_compares_any_case) {
    const std::string_view value = "Multipart/Alternative; boundary=x";
    const auto type = parse_media_type(value);
    ASSERT_TRUE(type.has_value());
    EXPECT_EQ(type->type.data(), value.data());
    EXPECT_TRUE(type->is("multipart"));
    EXPECT_TRUE(type->is("MULTIPART", "alternative"));
    EXPECT_FALSE(type->is("multipart", "mixed"));
    EXPECT_FALSE(type->is("multi"));
}

TEST(iequals, ascii_case_only) {
    EXPECT_TRUE(iequals("Content-Type", "content-TYPE"));
    EXPECT_TRUE(iequals("", ""));
    EXPECT_FALSE(iequals("text", "texts"));
    EXPECT_FALSE(iequals("a[", "A{")); // '[' and '{' are not a case pair
    EXPECT_FALSE(iequals("\xc3\xa9", "\xc3\x89"));
}

// --- parse_parameters ---

class parameters : public testing::TestWithParam<text_case> {};

TEST_P(parameters, parsed) {
    EXPECT_EQ(describe(parse_parameters(GetParam().input)), GetParam().expected);
}

const text_case parameter_rows[] = {
    // RFC 2045 §5.1: token and quoted-string values; names are case-insensitive
    {"token", "text/plain; charset=us-ascii", "charset=us-ascii"},
    {"quoted", "text/plain; charset=\"us-ascii\"", "charset=us-ascii"},
    {"name_lowercased", "text/plain; CharSet=UTF-8", "charset=UTF-8"},
    // RFC 2045 §5.1: "charset=us-ascii (Plain text)" is equivalent to the quoted form
    {"rfc2045_comment", "text/plain; charset=us-ascii (Plain text)", "charset=us-ascii"},
    // RFC 2046 §5.1.1 examples
    {"rfc2046_boundary", "multipart/mixed; boundary=gc0p4Jq0M2Yt08j34c0p",
     "boundary=gc0p4Jq0M2Yt08j34c0p"},
    {"rfc2046_quoted_boundary", "multipart/mixed; boundary=\"simple boundary\"",
     "boundary=simple boundary"},
    // ...and the one RFC 2046 says must be quoted (":"), as real mail sends it
    {"rfc2046_unquoted_colon", "multipart/mixed; boundary=gc0pJq0M:08jU534c0p",
     "boundary=gc0pJq0M:08jU534c0p"},
    {"several", "text/plain; charset=\"us-ascii\"; format=flowed; delsp=yes",
     "charset=us-ascii | format=flowed | delsp=yes"},
    {"folded", "text/plain;\r\n\tcharset=\"us-ascii\";\r\n format=flowed",
     "charset=us-ascii | format=flowed"},
    {"quoted_pairs", "attachment; filename=\"a\\\"b\\\\c.txt\"", "filename=a\"b\\c.txt"},
    {"quoted_semicolon", "attachment; filename=\"a;b.txt\"; size=3", "filename=a;b.txt | size=3"},
    {"disposition", "attachment; filename=report.pdf; size=1234",
     "filename=report.pdf | size=1234"},
    {"no_parameters", "text/plain", ""},
    {"empty", "", ""},
    {"no_type", "charset=utf-8", "charset=utf-8"},
    // RFC 2231 §3: continuations
    {"rfc2231_s3",
     "message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n"
     " URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"",
     "access-type=URL | url=ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar"},
    // RFC 2231 §4: charset and language
    {"rfc2231_s4",
     "application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A",
     "title=This is ***fun***"},
    // RFC 2231 §4.1, exactly as printed (the RFC omits the semicolons)
    {"rfc2231_s4_1",
     "application/x-stuff\r\n title*0*=us-ascii'en'This%20is%20even%20more%20\r\n"
     " title*1*=%2A%2A%2Afun%2A%2A%2A%20\r\n title*2=\"isn't it!\"",
     "title=This is even more ***fun*** isn't it!"},
    {"rfc2231_s4_1_semicolons",
     "application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n"
     " title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"",
     "title=This is even more ***fun*** isn't it!"},
    {"sections_out_of_order", "x/y; t*2=\"c\"; t*0=\"a\"; t*1=\"b\"", "t=abc"},
    {"sections_mixed", "x/y; x*0=\"a\"; x*1*=%41; x*2=\"c\"", "x=aAc"},
    {"section_duplicate", "x/y; t*0=\"a\"; t*1=\"b\"; t*1=\"z\"", "t=ab"},
    {"latin1", "attachment; filename*=iso-8859-1''caf%E9.txt", "filename=caf\xc3\xa9.txt"},
    {"quoted_extended", "multipart/signed; boundary*=\"us-ascii''EeQf\"", "boundary=EeQf"},
    {"no_charset_quotes", "attachment; filename*=caf%C3%A9.txt", "filename=caf\xc3\xa9.txt"},
    {"invalid_percent", "x/y; x*=utf-8''%zz%41%4", "x=%zzA%4"},
    {"unknown_charset", "x/y; x*=x-bogus''%C3%A9t%C3%A9", "x=\xc3\xa9t\xc3\xa9"},
    // The RFC 2231 form wins over the plain fallback, in either order
    {"extended_wins", "attachment; filename=\"fallback.txt\"; filename*=utf-8''r%C3%A9el.txt",
     "filename=r\xc3\xa9"
     "el.txt"},
    {"extended_wins_first", "attachment; filename*=utf-8''r%C3%A9el.txt; filename=\"x.txt\"",
     "filename=r\xc3\xa9"
     "el.txt"},
    {"sections_win", "attachment; filename=\"x\"; filename*0*=utf-8''a; filename*1*=b",
     "filename=ab"},
    // Thunderbird: UTF-8 continuations
    {"thunderbird",
     "attachment;\r\n filename*0*=utf-8''%E6%97%A5%E6%9C%AC%E8%AA%9E%E3%81%AE%E3%83%95;\r\n"
     " filename*1*=%E3%82%A1%E3%82%A4%E3%83%AB.txt",
     "filename=\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x95\xe3\x82\xa1\xe3\x82"
     "\xa4\xe3\x83\xab.txt"},
    // Outlook, Gmail: RFC 2047 words inside quoted (or unquoted) values
    {"outlook_encoded_word", "attachment; filename=\"=?UTF-8?B?UsOpc3Vtw6kucGRm?=\"",
     "filename=R\xc3\xa9sum\xc3\xa9.pdf"},
    {"encoded_word_unquoted",
     "application/pdf; name==?UTF-8?B?UsOpc3Vtw6kucGRm?=", "name=R\xc3\xa9sum\xc3\xa9.pdf"},
    {"encoded_word_split_over_sections",
     "application/pdf; name*0=\"=?UTF-8?B?UsOpc3\"; name*1=\"Vtw6kucGRm?=\"",
     "name=R\xc3\xa9sum\xc3\xa9.pdf"},
    {"eight_bit_utf8", "attachment; filename=\"caf\xc3\xa9.txt\"", "filename=caf\xc3\xa9.txt"},
    // Not UTF-8: converted from the sniffed charset (windows-1252 for short Latin text)
    {"eight_bit_latin1", "attachment; filename=\"r\xe9sum\xe9.doc\"",
     "filename=r\xc3\xa9sum\xc3\xa9.doc"},
    // Broken real mail
    {"unquoted_spaces", "attachment; filename=My File.pdf", "filename=My File.pdf"},
    {"unquoted_spaces_then_more", "attachment; filename=My File.pdf; size=3",
     "filename=My File.pdf | size=3"},
    {"missing_semicolon_unquoted", "application/pdf; name=a.pdf size=12", "name=a.pdf | size=12"},
    {"missing_semicolon_quoted", "application/pdf; name=\"a b\" size=12", "name=a b | size=12"},
    {"duplicate_first_wins", "text/plain; charset=utf-8; charset=iso-8859-1", "charset=utf-8"},
    {"blanks_around_equals", "text/plain; charset = \"utf-8\" ", "charset=utf-8"},
    {"unterminated_quote", "attachment; filename=\"a.txt; size=3", "filename=a.txt; size=3"},
    {"empty_value", "text/plain; charset=; format=flowed", "charset= | format=flowed"},
    // Python's email package keeps a bare name with an empty value, drops other junk
    {"junk_between", "text/plain; ; junk; =x; charset=utf-8", "junk= | charset=utf-8"},
    {"junk_words", "text/plain; junk words; a=b", "a=b"},
    {"bare_name_first", "text/plain; a; a=b", "a="},
    {"bare_name_at_end", "multipart/report; report-type=delivery-status;\n\tbo",
     "report-type=delivery-status | bo="},
    {"trailing_semicolon", "text/plain; charset=utf-8;", "charset=utf-8"},
};

INSTANTIATE_TEST_SUITE_P(rows, parameters, testing::ValuesIn(parameter_rows), row_name);

TEST(find_parameter, any_case) {
    const std::string_view value = "multipart/mixed; Boundary=\"abc\"; charset=x";
    EXPECT_EQ(find_parameter(value, "BOUNDARY"), "abc");
    EXPECT_EQ(find_parameter(value, "charset"), "x");
    EXPECT_EQ(find_parameter(value, "name"), std::nullopt);
    EXPECT_EQ(find_parameter("attachment; filename*0=\"a\"; filename*1=\"b\"", "filename"), "ab");
}

TEST(parse_parameters, thousands_of_parameters_are_linear_enough) {
    std::string value = "text/plain";
    for (int i = 0; i < 20000; ++i) {
        value += "; p" + std::to_string(i) + "=v";
    }
    const auto parsed = parse_parameters(value);
    ASSERT_EQ(parsed.size(), 20000U);
    EXPECT_EQ(parsed.back().name, "p19999");
}

// --- parse_disposition_type ---

class dispositions : public testing::TestWithParam<text_case> {};

TEST_P(dispositions, parsed) {
    EXPECT_EQ(parse_disposition_type(GetParam().input), GetParam().expected);
}

const text_case disposition_rows[] = {
    // RFC 2183 §2
    {"inline", "inline", "inline"},
    {"attachment", "attachment; filename=genome.jpeg", "attachment"},
    {"upper", "INLINE; filename=x", "inline"},
    {"blanks_comment", " (c) Attachment ;", "attachment"},
    // RFC 2183 §2.8: unknown types are treated as attachment
    {"unknown", "x-special; filename=x", "attachment"},
    {"empty", "", ""},
    {"only_semicolon", " ; filename=x", ""},
    {"only_parameters", "filename=\"a.txt\"", ""},
};

INSTANTIATE_TEST_SUITE_P(rows, dispositions, testing::ValuesIn(disposition_rows), row_name);

// --- Python email test messages (what Python's email package returns) ---

/// The unfolded value of the n-th (0-based) `name:` header line in `message`.
std::string header_value(std::string_view message, std::string_view name, int nth) {
    std::size_t at = 0;
    while (at < message.size()) {
        const auto line_end = std::min(message.find('\n', at), message.size());
        const auto line = message.substr(at, line_end - at);
        if (line.size() > name.size() && line[name.size()] == ':' &&
            iequals(line.substr(0, name.size()), name) && nth-- == 0) {
            std::string value(line.substr(name.size() + 1));
            for (at = line_end + 1;
                 at < message.size() && (message[at] == ' ' || message[at] == '\t');) {
                const auto next = std::min(message.find('\n', at), message.size());
                value += "\n" + std::string(message.substr(at, next - at));
                at = next + 1;
            }
            return value;
        }
        at = line_end + 1;
    }
    return {};
}

struct message_case {
    const char* name;
    const char* file;
    int nth; ///< which Content-Type header
    std::string_view type;
    std::string_view parameters;
};

void PrintTo(const message_case& row, std::ostream* os) {
    *os << row.name;
}

class python_messages : public testing::TestWithParam<message_case> {};

TEST_P(python_messages, content_type_as_python_reads_it) {
    const auto dir = test::shared_corpora_dir();
    if (dir.empty()) {
        GTEST_SKIP() << "shared corpora not present";
    }
    const auto& row = GetParam();
    const auto message = test::read_file(dir / "conformance/python-email" / row.file);
    const auto value = header_value(message, "Content-Type", row.nth);
    EXPECT_EQ(describe(parse_media_type(value)), row.type) << value;
    EXPECT_EQ(describe(parse_parameters(value)), row.parameters) << value;
}

const message_case message_rows[] = {
    // RFC 2231 values with a charset ICU calls US-ASCII, as Mutt wrote them
    {"msg_32", "msg_32.txt", 0, "text/plain", "charset=us-ascii"},
    {"msg_33_signed", "msg_33.txt", 0, "multipart/signed",
     "micalg=pgp-md5 | protocol=application/pgp-signature | boundary=EeQfGwPcQSOJBaQU"},
    {"msg_33_part", "msg_33.txt", 1, "text/plain", "charset=us-ascii"},
    // Blanks before `;` and continuation lines that start with `;`
    {"msg_22_outer", "msg_22.txt", 0, "multipart/mixed",
     "boundary=============_-1208892523==_============"},
    {"msg_22_text", "msg_22.txt", 1, "text/plain", "charset=us-ascii | format=flowed"},
    {"msg_22_image", "msg_22.txt", 2, "image/jpeg",
     "name=wibble.JPG | x-mac-type=4A504547 | x-mac-creator=474B4F4E"},
};

INSTANTIATE_TEST_SUITE_P(rows, python_messages, testing::ValuesIn(message_rows), row_name);

TEST(media_type, essence_is_lowercase_type_and_subtype) {
    EXPECT_EQ(parse_media_type("Text/HTML; charset=UTF-8")->essence(), "text/html");
    EXPECT_EQ(parse_media_type("application/VND.ms-Excel")->essence(), "application/vnd.ms-excel");
}

} // namespace
} // namespace cairn::mime
