// split_mbox: where messages start and end, unquoting, Content-Length, and
// conformance with MimeKit's mbox offsets.

#include "support/test_data.hpp"

#include <indexer/sources.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <string>
#include <vector>

namespace cairn::test {
namespace {

struct split_message {
    std::string bytes;
    std::uint64_t offset = 0;
    bool is_view = false; ///< bytes pointed into the mbox (zero-copy)
};

std::vector<split_message> split(std::string_view mbox) {
    std::vector<split_message> out;
    index::split_mbox(mbox, [&](std::string_view message, std::uint64_t offset) {
        const bool inside = message.data() >= mbox.data() &&
                            message.data() + message.size() <= mbox.data() + mbox.size();
        out.push_back({std::string(message), offset, inside});
    });
    return out;
}

/// Canonical form: "@offset:bytes" per message, newlines shown as \n and \r.
std::string render(const std::vector<split_message>& messages) {
    std::string text;
    for (const auto& m : messages) {
        // Appended piece by piece: g++ 12 warns (-Wrestrict) on "@" + to_string(…).
        text += '@';
        text += std::to_string(m.offset);
        text += ':';
        for (const char c : m.bytes) {
            if (c == '\n') {
                text += "\\n";
            } else if (c == '\r') {
                text += "\\r";
            } else {
                text += c;
            }
        }
        text += "|";
    }
    return text;
}

struct mbox_row {
    const char* name;
    std::string_view mbox;
    const char* expected;
};

// Offsets count the postmark line: "From a Mon Jan 1 00:00:00 2024\n" is 31 bytes.
const mbox_row mbox_rows[] = {
    {"empty", "", ""},
    {"only_a_postmark", "From a Mon Jan 1 00:00:00 2024\n", ""},
    {"single_no_trailing_newline", "From a Mon Jan 1 00:00:00 2024\nSubject: x\n\nbody",
     "@31:Subject: x\\n\\nbody|"},
    {"two_with_blank_separator",
     "From a Mon Jan 1 00:00:00 2024\nSubject: 1\n\none\n\nFrom b Mon Jan 1 00:00:00 2024\n"
     "Subject: 2\n\ntwo\n",
     // The blank line before the postmark is the separator's (MimeKit's endOffset).
     "@31:Subject: 1\\n\\none\\n|@79:Subject: 2\\n\\ntwo\\n|"},
    {"postmark_without_blank_line_then_header",
     "From a\nSubject: 1\n\none\nFrom b\nSubject: 2\n\ntwo\n",
     // MimeKit's simple.mbox.txt writes no blank line; the header after it decides.
     "@7:Subject: 1\\n\\none|@30:Subject: 2\\n\\ntwo\\n|"},
    {"from_in_body_without_blank_line",
     "From a\nSubject: 1\n\nI liked\nFrom Russia with love\nvery much.\n",
     "@7:Subject: 1\\n\\nI liked\\nFrom Russia with love\\nvery much.\\n|"},
    {"from_in_body_after_blank_line_splits",
     // Without Content-Length a blank line before `From ` is a separator, as in
     // every mbox reader (MimeKit's unmunged.mbox.txt: four messages).
     "From a\nSubject: 1\n\nFavourite film:\n\nFrom Russia with love\n\nend\n",
     "@7:Subject: 1\\n\\nFavourite film:\\n|@58:\\nend\\n|"},
    {"mboxrd_unquoting_levels",
     "From a\nSubject: q\n\n>From one\n>>From two\n>>>From three\n> From not\nx>From not\n"
     ">From\n",
     "@7:Subject: q\\n\\nFrom one\\n>From two\\n>>From three\\n> From not\\nx>From not\\n"
     ">From\\n|"},
    {"content_length_consistent_keeps_unquoted_from",
     "From a\nSubject: 1\nContent-Length: 27\n\nhello\n\nFrom the office\nbye\n\nFrom b\n"
     "Subject: 2\n\ntwo\n",
     "@7:Subject: 1\\nContent-Length: 27\\n\\nhello\\n\\nFrom the office\\nbye\\n|"
     "@73:Subject: 2\\n\\ntwo\\n|"},
    {"content_length_consistent_without_trailing_newline_counted",
     "From a\nSubject: 1\nContent-Length: 5\n\nhello\nFrom b\nSubject: 2\n\ntwo\n",
     "@7:Subject: 1\\nContent-Length: 5\\n\\nhello|@50:Subject: 2\\n\\ntwo\\n|"},
    {"content_length_consistent_at_eof",
     "From a\nSubject: 1\ncontent-length:  18\n\nhi\n\nFrom the desk\n",
     "@7:Subject: 1\\ncontent-length:  18\\n\\nhi\\n\\nFrom the desk\\n|"},
    {"content_length_before_the_writers_last_blank_line",
     "From a\nContent-Length: 14\n\nhi\n\nFrom here\n\n",
     "@7:Content-Length: 14\\n\\nhi\\n\\nFrom here\\n|"},
    {"content_length_landing_inside_a_crlf_is_ignored",
     "From a\r\nContent-Length: 4\r\n\r\nx\r\n\r\nFrom b\r\nSubject: 2\r\n\r\n",
     "@8:Content-Length: 4\\r\\n\\r\\nx\\r\\n|@42:Subject: 2\\r\\n|"},
    {"content_length_too_short_is_ignored",
     "From a\nSubject: 1\nContent-Length: 3\n\nhello\n\nFrom b\nSubject: 2\n\ntwo\n",
     "@7:Subject: 1\\nContent-Length: 3\\n\\nhello\\n|@51:Subject: 2\\n\\ntwo\\n|"},
    {"content_length_past_eof_is_ignored",
     "From a\nSubject: 1\nContent-Length: 999\n\nhello\n\nFrom b\nSubject: 2\n\ntwo\n",
     "@7:Subject: 1\\nContent-Length: 999\\n\\nhello\\n|@53:Subject: 2\\n\\ntwo\\n|"},
    {"content_length_not_a_number_is_ignored",
     "From a\nSubject: 1\nContent-Length: 12abc\n\nhello\n\nFrom b\nSubject: 2\n\ntwo\n",
     "@7:Subject: 1\\nContent-Length: 12abc\\n\\nhello\\n|@55:Subject: 2\\n\\ntwo\\n|"},
    {"crlf", "From a\r\nSubject: 1\r\n\r\none\r\n\r\nFrom b\r\nSubject: 2\r\n\r\n>From two\r\n",
     "@8:Subject: 1\\r\\n\\r\\none\\r\\n|@37:Subject: 2\\r\\n\\r\\nFrom two\\r\\n|"},
    {"crlf_content_length",
     "From a\r\nContent-Length: 18\r\n\r\nx\r\n\r\nFrom inside\r\n\r\nFrom b\r\nSubject: 2\r\n\r\n",
     "@8:Content-Length: 18\\r\\n\\r\\nx\\r\\n\\r\\nFrom inside\\r\\n|@58:Subject: 2\\r\\n|"},
    {"trailing_interrupted_postmark", "From a\nSubject: 1\n\none\n\nFrom \n",
     "@7:Subject: 1\\n\\none\\n|"},
    // At the end of the file only one blank line is the writer's separator
    // (Python's mailbox drops it too): export then import round-trips.
    {"last_message_loses_one_trailing_blank_line", "From a\nSubject: 1\n\none\n\n\n",
     "@7:Subject: 1\\n\\none\\n\\n|"},
    {"last_line_break_without_blank_line_is_kept", "From a\nSubject: 1\n\none\n",
     "@7:Subject: 1\\n\\none\\n|"},
    {"text_before_the_first_postmark_is_kept", "stray text\n\nFrom a\nSubject: 1\n\none\n",
     "@0:stray text\\n|@19:Subject: 1\\n\\none\\n|"},
    {"utf8_bom_before_the_first_postmark",
     "\xEF\xBB\xBF"
     "From a\nSubject: 1\n\none\n",
     "@10:Subject: 1\\n\\none\\n|"},
    {"headers_only_then_postmark", "From a\nSubject: 1\nFrom b\nSubject: 2\n",
     "@7:Subject: 1|@25:Subject: 2\\n|"},
};

class mbox_split_test : public ::testing::TestWithParam<mbox_row> {};

TEST_P(mbox_split_test, splits_as_expected) {
    const auto& row = GetParam();
    EXPECT_EQ(render(split(row.mbox)), row.expected);
}

std::string row_name(const ::testing::TestParamInfo<mbox_row>& row) {
    return row.param.name;
}

INSTANTIATE_TEST_SUITE_P(rows, mbox_split_test, ::testing::ValuesIn(mbox_rows), row_name);

TEST(mbox_split, messages_without_quoting_are_views_into_the_mbox) {
    const auto messages = split("From a\nSubject: 1\n\none\n\nFrom b\nSubject: 2\n\n>From x\n");
    ASSERT_EQ(messages.size(), 2U);
    EXPECT_TRUE(messages[0].is_view);
    EXPECT_FALSE(messages[1].is_view); // unquoted into a buffer
}

TEST(mbox_split, offsets_point_at_the_first_header_byte) {
    const std::string mbox = "From a\nSubject: 1\n\none\n\nFrom b\nSubject: 2\n\ntwo\n";
    for (const auto& m : split(mbox)) {
        EXPECT_EQ(mbox.substr(m.offset, 8), "Subject:");
        EXPECT_EQ(mbox.substr(m.offset, m.bytes.size()), m.bytes);
    }
}

// MimeKit's TestUnmungedFromLines: four messages, split at "From Russia with love".
TEST(mbox_conformance, mimekit_unmunged_has_four_messages) {
    const auto corpora = shared_corpora_dir();
    if (corpora.empty()) {
        GTEST_SKIP() << "shared corpora not present";
    }
    const auto mbox = read_file(corpora / "conformance/mimekit/mbox/unmunged.mbox.txt");
    EXPECT_EQ(split(mbox).size(), 4U);
    EXPECT_EQ(split(to_crlf(mbox)).size(), 4U);
}

// simple.mbox.txt has postmarks with no blank line before them.
TEST(mbox_conformance, mimekit_simple_postmarks_without_blank_lines) {
    const auto corpora = shared_corpora_dir();
    if (corpora.empty()) {
        GTEST_SKIP() << "shared corpora not present";
    }
    const auto mbox = read_file(corpora / "conformance/mimekit/mbox/simple.mbox.txt");
    const auto messages = split(mbox);
    ASSERT_EQ(messages.size(), 3U); // grep -c '^From - ' simple.mbox.txt
    for (const auto& m : messages) {
        EXPECT_EQ(m.bytes.substr(0, 6), "From: ");
    }
}

struct offsets_case {
    const char* mbox;
    const char* offsets;
    bool crlf;
};

class mimekit_offsets_test : public ::testing::TestWithParam<offsets_case> {};

/// How many `>From `, `>>From ` … lines `text` has (each loses one byte when unquoted).
std::size_t quoted_from_lines(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t arrows = text.find_first_not_of('>', pos);
        if (arrows != pos && arrows != std::string_view::npos &&
            text.substr(arrows, 5) == "From ") {
            ++count;
        }
        const std::size_t eol = text.find('\n', pos);
        pos = eol == std::string_view::npos ? text.size() : eol + 1;
    }
    return count;
}

// Every message must start at MimeKit's beginOffset and end at its endOffset.
// MimeKit keeps mboxrd quoting (content-length.mbox.txt has two `>From - …`
// lines), cairn removes one `>`: such a message is shorter by one byte a line
// and is a copy rather than a view.
TEST_P(mimekit_offsets_test, matches_begin_and_end_offsets) {
    const auto corpora = shared_corpora_dir();
    if (corpora.empty()) {
        GTEST_SKIP() << "shared corpora not present";
    }
    const auto dir = corpora / "conformance/mimekit/mbox";
    std::string mbox = read_file(dir / GetParam().mbox);
    if (GetParam().crlf) {
        mbox = to_crlf(mbox);
    }
    const auto expected = nlohmann::json::parse(read_file(dir / GetParam().offsets));
    const auto messages = split(mbox);
    ASSERT_EQ(messages.size(), expected.size());
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto begin = expected[i]["beginOffset"].get<std::uint64_t>();
        const auto end = expected[i]["endOffset"].get<std::uint64_t>();
        EXPECT_EQ(messages[i].offset, begin) << "message " << i;
        const auto quoted = quoted_from_lines(std::string_view(mbox).substr(begin, end - begin));
        EXPECT_EQ(messages[i].offset + messages[i].bytes.size() + quoted, end) << "message " << i;
        EXPECT_EQ(messages[i].is_view, quoted == 0) << "message " << i;
    }
}

const offsets_case offsets_cases[] = {
    {"content-length.mbox.txt", "content-length.unix-offsets.json", false},
    {"content-length.mbox.txt", "content-length.dos-offsets.json", true},
    {"issue1189.mbox.txt", "issue1189.unix-offsets.json", false},
    {"issue1189.mbox.txt", "issue1189.dos-offsets.json", true},
};

std::string offsets_name(const ::testing::TestParamInfo<offsets_case>& row) {
    std::string name = row.param.offsets;
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            c = '_';
        }
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(mimekit, mimekit_offsets_test, ::testing::ValuesIn(offsets_cases),
                         offsets_name);

} // namespace
} // namespace cairn::test
