// decode_text (libmime/src/body.cpp): a leaf's text as UTF-8 from its
// declared charset, or, when it declares none, from what its bytes are —
// streamed in two passes over the body, so memory does not grow with it.
#include "support/base64_encode.hpp"

#include <mime/body.hpp>
#include <mime/defect.hpp>
#include <mime/mime.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace cairn::mime {
namespace {

struct decoded_text {
    std::string text;
    defect_set defects;
};

/// The text of the first leaf of a message with these header lines and body.
decoded_text text_of(std::string_view headers, std::string_view body) {
    const std::string raw = "Subject: t\r\n" + std::string(headers) + "\r\n" + std::string(body);
    const message msg = parse(std::string_view(raw));
    for (const part& p : msg.parts()) {
        if (p.kind == part_kind::leaf) {
            decoded_text out;
            string_sink sink{out.text};
            out.defects = decode_text(msg, p, sink);
            return out;
        }
    }
    ADD_FAILURE() << "no leaf part";
    return {};
}

constexpr std::string_view base64_text = "Content-Transfer-Encoding: base64\r\n";

TEST(decode_text, converts_the_declared_charset) {
    const auto out = text_of("Content-Type: text/plain; charset=iso-8859-1\r\n", "caf\xe9\r\n");
    EXPECT_EQ(out.text, "caf\u00e9\r\n");
    EXPECT_FALSE(out.defects.contains(defect::undeclared_8bit_text));
}

TEST(decode_text, passes_undeclared_ascii_and_utf8_through) {
    EXPECT_EQ(text_of("", "plain words\r\n").text, "plain words\r\n");
    // UTF-8 in base64 longer than the decoder's 4 KiB output buffer, so
    // multibyte characters are cut between the writes the probe sees.
    std::string utf8;
    while (utf8.size() < 20000) {
        utf8 += "\u65e5\u672c\u8a9e \u00e9t\u00e9 \U0001F600 ";
    }
    const auto out = text_of(base64_text, test::base64_encode(utf8, 76, "\r\n"));
    EXPECT_EQ(out.text, utf8);
    EXPECT_FALSE(out.defects.contains(defect::undeclared_8bit_text));
}

TEST(decode_text, sniffs_undeclared_8bit_text_past_the_sample) {
    // The only 8-bit byte comes after the bytes the sniffers read: the body is
    // still known not to be UTF-8 and is read as windows-1252.
    const std::string ascii(sniff_sample_bytes + 5000, 'a');
    const auto out = text_of(base64_text, test::base64_encode(ascii + "caf\xe9", 76, "\r\n"));
    EXPECT_EQ(out.text, ascii + "caf\u00e9");
    EXPECT_TRUE(out.defects.contains(defect::undeclared_8bit_text));
}

TEST(decode_text, converts_undeclared_iso_2022_jp) {
    // 7-bit, so ASCII to a byte test, but the escape sequences name the charset.
    const auto out = text_of("", "\x1b$BF|K\\8l\x1b(B\r\n");
    EXPECT_EQ(out.text, "\u65e5\u672c\u8a9e\r\n");
    EXPECT_FALSE(out.defects.contains(defect::undeclared_8bit_text));
}

TEST(decode_text, follows_a_byte_order_mark_in_undeclared_text) {
    const std::string utf16le("\xff\xfeh\0i\0", 6);
    EXPECT_EQ(text_of(base64_text, test::base64_encode(utf16le, 76, "\r\n")).text, "hi");
}

TEST(decode_text, unwraps_undeclared_flowed_text) {
    const auto out =
        text_of("Content-Type: text/plain; format=flowed\r\n", "one line \r\nwrapped caf\xe9\r\n");
    EXPECT_EQ(out.text, "one line wrapped caf\u00e9\n");
    EXPECT_TRUE(out.defects.contains(defect::undeclared_8bit_text));
}

} // namespace
} // namespace cairn::mime
