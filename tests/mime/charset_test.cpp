#include "support/test_data.hpp"

#include <mime/charset.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace cairn::mime {
namespace {

// --- labels ------------------------------------------------------------------

struct label_case {
    std::string_view label;
    std::string_view canonical;
};

class canonical_charset_test : public testing::TestWithParam<label_case> {};

TEST_P(canonical_charset_test, resolves) {
    EXPECT_EQ(canonical_charset(GetParam().label), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    labels, canonical_charset_test,
    testing::Values(
        // WHATWG Encoding §4.2: us-ascii and ISO-8859-1 are decoded as windows-1252.
        label_case{"latin1", "windows-1252"}, label_case{"us-ascii", "windows-1252"},
        label_case{"ascii", "windows-1252"}, label_case{"ISO-8859-1", "windows-1252"},
        label_case{"iso_8859-1:1987", "windows-1252"}, label_case{"ANSI_X3.4-1968", "windows-1252"},
        label_case{"UTF8", "utf-8"}, label_case{"unicode-1-1-utf-8", "utf-8"},
        label_case{" \"utf-8\" ", "utf-8"}, label_case{"\t'Windows-1251'\r\n", "windows-1251"},
        label_case{"gb2312", "gbk"}, label_case{"chinese", "gbk"}, label_case{"x-gbk", "gbk"},
        label_case{"GB18030", "gb18030"}, label_case{"ks_c_5601-1987", "euc-kr"},
        label_case{"korean", "euc-kr"}, label_case{"iso-8859-9", "windows-1254"},
        label_case{"tis-620", "windows-874"}, label_case{"iso-8859-11", "windows-874"},
        label_case{"x-sjis", "shift_jis"}, label_case{"ms_kanji", "shift_jis"},
        label_case{"windows-31j", "shift_jis"}, label_case{"Shift_JIS", "shift_jis"},
        label_case{"big5-hkscs", "big5"}, label_case{"utf-16", "utf-16le"},
        label_case{"unicodefffe", "utf-16be"}, label_case{"x-mac-roman", "macintosh"},
        label_case{"koi8-u", "koi8-u"}, label_case{"csISO2022JP", "iso-2022-jp"},
        label_case{"iso-8859-8-i", "iso-8859-8-i"}, label_case{"iso-8859-16", "iso-8859-16"},
        // Mail deviations: decoded with ICU, not WHATWG's "replacement".
        label_case{"iso-2022-kr", "iso-2022-kr"}, label_case{"hz-gb-2312", "hz-gb-2312"},
        // Labels WHATWG lacks, found in mail.
        label_case{"cp932", "shift_jis"}, label_case{"euc-cn", "gbk"},
        label_case{"iso-2022-jp-2", "iso-2022-jp"},
        // ICU's alias table for the long tail.
        label_case{"cp850", "ibm850"}, label_case{"IBM437", "ibm437"}, label_case{"utf-7", "utf-7"},
        label_case{"8859_1", "windows-1252"},
        // Unknown: the caller falls back.
        label_case{"x-unknown", ""}, label_case{"unknown-8bit", ""}, label_case{"", ""},
        label_case{"  \"\" ", ""}, label_case{"utf-8;format=flowed", ""}));

// --- charset pairs: tests/data/charsets/NAME.<charset>.txt ↔ NAME.utf-8.txt ------------

struct pair_case {
    std::filesystem::path encoded;
    std::string label;
    std::filesystem::path expected;
};

std::vector<pair_case> charset_pairs() {
    std::vector<pair_case> pairs;
    for (const auto& path : test::files_under(test::source_dir() / "tests/data/charsets")) {
        const std::string file = path.filename().string(); // NAME.LABEL.txt
        const auto first_dot = file.find('.');
        const auto last_dot = file.rfind('.');
        const std::string label = file.substr(first_dot + 1, last_dot - first_dot - 1);
        if (label != "utf-8") {
            pairs.push_back(
                {path, label, path.parent_path() / (file.substr(0, first_dot) + ".utf-8.txt")});
        }
    }
    return pairs;
}

std::string decode_in_chunks(std::string_view bytes, std::string_view label, std::size_t chunk) {
    std::string text;
    string_sink sink{text};
    charset_decoder decoder(label);
    for (std::size_t i = 0; i < bytes.size(); i += chunk) {
        decoder.step(bytes.substr(i, chunk), sink);
    }
    decoder.finish(sink);
    EXPECT_TRUE(decoder.defects().empty()) << label;
    return text;
}

class charset_pair_test : public testing::TestWithParam<pair_case> {};

TEST_P(charset_pair_test, decodes_whole_and_in_pieces) {
    const std::string bytes = test::read_file(GetParam().encoded);
    const std::string expected = test::read_file(GetParam().expected);
    const std::string& label = GetParam().label;
    EXPECT_EQ(to_utf8(bytes, label), expected);
    EXPECT_EQ(decode_in_chunks(bytes, label, 1), expected);
    EXPECT_EQ(decode_in_chunks(bytes, label, 7), expected);
    for (std::size_t split = 1; split < bytes.size(); ++split) { // every split point
        std::string text;
        string_sink sink{text};
        charset_decoder decoder(label);
        decoder.step(std::string_view(bytes).substr(0, split), sink);
        decoder.step(std::string_view(bytes).substr(split), sink);
        decoder.finish(sink);
        ASSERT_EQ(text, expected) << "split at " << split;
    }
}

INSTANTIATE_TEST_SUITE_P(files, charset_pair_test, testing::ValuesIn(charset_pairs()),
                         [](const testing::TestParamInfo<pair_case>& row) {
                             std::string name = row.param.encoded.stem().string();
                             std::replace_if(
                                 name.begin(), name.end(),
                                 [](char c) {
                                     return std::isalnum(static_cast<unsigned char>(c)) == 0;
                                 },
                                 '_');
                             return name;
                         });

TEST(charset_pairs, suite_is_not_empty) {
    EXPECT_GE(charset_pairs().size(), 20U);
}

// --- broken input --------------------------------------------------------------------

struct broken_case {
    std::string_view label;
    std::string_view bytes;
    std::string_view expected;
    bool defect;
};

class broken_input_test : public testing::TestWithParam<broken_case> {};

TEST_P(broken_input_test, replaces_and_reports) {
    std::string text;
    string_sink sink{text};
    charset_decoder decoder(GetParam().label);
    decoder.step(GetParam().bytes, sink);
    decoder.finish(sink);
    EXPECT_EQ(text, GetParam().expected);
    EXPECT_EQ(decoder.defects().contains(defect::invalid_multibyte_sequence), GetParam().defect);
}

// U+FFFD per maximal ill-formed subpart (Unicode §3.9, Table 3-8), as WHATWG does.
INSTANTIATE_TEST_SUITE_P(
    replacement, broken_input_test,
    testing::Values(
        broken_case{"utf-8",
                    "a\x80"
                    "b",
                    "a\uFFFD"
                    "b",
                    true},
        broken_case{"utf-8", "caf\xC3", "caf\uFFFD", true},               // truncated at the end
        broken_case{"utf-8", "\xE2\x82x", "\uFFFDx", true},               // one U+FFFD for E2 82
        broken_case{"utf-8", "\xC0\xAF", "\uFFFD\uFFFD", true},           // overlong
        broken_case{"utf-8", "\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD", true}, // surrogate
        broken_case{"utf-8", "\xF4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD", true},
        broken_case{"utf-8", "\xEF\xBB\xBFok", "ok", false},             // BOM removed
        broken_case{"windows-1252", "\x81\x8D", "\u0081\u008D", false},  // WHATWG index
        broken_case{"windows-1253", "\xD2", "\uFFFD", true},             // unmapped
        broken_case{"windows-1252", "\xEF\xBB\xBF\xC3\xA9", "é", false}, // BOM wins
        broken_case{"iso-8859-1", std::string_view("\xFF\xFEh\0i\0", 6), "hi",
                    false},                                     // UTF-16LE BOM wins
        broken_case{"shift_jis", "\x82\nA", "\uFFFD\nA", true}, // lead + ASCII: ASCII kept
        broken_case{"euc-kr", "ok\xB0", "ok\uFFFD", true},      // truncated at finish
        broken_case{"utf-16le", std::string_view("h\0i", 3), "h\uFFFD", true}, // odd byte
        broken_case{"utf-16le",
                    std::string_view("\0\xD8"
                                     "a\0",
                                     4),
                    "\uFFFDa", true}, // lone surrogate
        broken_case{"x-user-defined", "a\x80\xFF", "a\uF780\uF7FF", false}));

TEST(charset_decoder, unknown_label_sniffs_first_chunk) {
    const std::string bytes =
        test::read_file(test::source_dir() / "tests/data/charsets/russian.koi8-r.txt");
    std::string text;
    string_sink sink{text};
    charset_decoder decoder("x-unknown");
    decoder.step(bytes, sink);
    decoder.finish(sink);
    EXPECT_EQ(decoder.charset(), "koi8-r");
    EXPECT_TRUE(decoder.defects().contains(defect::invalid_charset));
    EXPECT_EQ(text, test::read_file(test::source_dir() / "tests/data/charsets/russian.utf-8.txt"));
}

TEST(charset_decoder, missing_label_sniffs_without_defect) {
    charset_decoder decoder("");
    std::string text;
    string_sink sink{text};
    decoder.step("caf\xC3\xA9", sink);
    decoder.finish(sink);
    EXPECT_EQ(text, "café");
    EXPECT_EQ(decoder.charset(), "utf-8");
    EXPECT_TRUE(decoder.defects().empty());
}

TEST(charset_decoder, interleaved_decoders_of_one_charset_keep_their_state) {
    // Two live decoders for the same charset must not share an ICU converter.
    const std::string sjis = "\x93\xfa\x96\x7b"; // 日本
    std::string a;
    std::string b;
    string_sink sink_a{a};
    string_sink sink_b{b};
    charset_decoder first("shift_jis");
    charset_decoder second("shift_jis");
    first.step(sjis.substr(0, 1), sink_a);
    second.step(sjis.substr(0, 3), sink_b);
    first.step(sjis.substr(1), sink_a);
    second.step(sjis.substr(3), sink_b);
    first.finish(sink_a);
    second.finish(sink_b);
    EXPECT_EQ(a, "日本");
    EXPECT_EQ(b, "日本");
}

TEST(charset_decoder, converters_are_per_thread) {
    const std::string bytes =
        test::read_file(test::source_dir() / "tests/data/charsets/japanese-sjis.shift_jis.txt");
    const std::string expected =
        test::read_file(test::source_dir() / "tests/data/charsets/japanese-sjis.utf-8.txt");
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (auto& result : results) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                result = decode_in_chunks(bytes, "x-sjis", 5);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    for (const auto& result : results) {
        EXPECT_EQ(result, expected);
    }
}

TEST(charset_decoder, surrogate_pairs_across_icu_buffer_boundaries) {
    // UTF-16 goes through ICU in fixed-size buffers; put a pair at every
    // alignment around a few thousand units so one straddles a boundary.
    for (std::size_t lead = 2040; lead < 2056; ++lead) {
        std::string bytes;
        std::string expected;
        for (std::size_t i = 0; i < lead; ++i) {
            bytes += std::string_view("a\0", 2);
            expected += 'a';
        }
        for (int i = 0; i < 3; ++i) {
            bytes += std::string_view("\x3D\xD8\x00\xDE", 4); // U+1F600 in UTF-16LE
            expected += "\U0001F600";
        }
        std::string text;
        string_sink sink{text};
        charset_decoder decoder("utf-16le");
        decoder.step(bytes, sink);
        decoder.finish(sink);
        ASSERT_EQ(text, expected) << lead;
        EXPECT_TRUE(decoder.defects().empty());
    }
}

// --- UTF-8 / ASCII predicates ---------------------------------------------------------

struct utf8_case {
    std::string_view bytes;
    bool valid;
};

class is_valid_utf8_test : public testing::TestWithParam<utf8_case> {};

TEST_P(is_valid_utf8_test, classifies) {
    EXPECT_EQ(is_valid_utf8(GetParam().bytes), GetParam().valid);
}

INSTANTIATE_TEST_SUITE_P(
    table3_7, is_valid_utf8_test,
    testing::Values(utf8_case{"", true}, utf8_case{"plain ascii, longer than eight bytes", true},
                    utf8_case{"caf\xC3\xA9", true}, utf8_case{"\xE2\x82\xAC", true},
                    utf8_case{"\xF0\x9F\x98\x80", true},
                    utf8_case{"\xF4\x8F\xBF\xBF", true},         // U+10FFFF
                    utf8_case{"\xF4\x90\x80\x80", false},        // above U+10FFFF
                    utf8_case{"\xC0\x80", false},                // overlong NUL
                    utf8_case{"\xE0\x80\xAF", false},            // overlong
                    utf8_case{"\xED\xA0\x80", false},            // surrogate
                    utf8_case{"\xED\x9F\xBF", true},             // U+D7FF
                    utf8_case{"0123456789abcdef\xC3", false},    // truncated after an ASCII run
                    utf8_case{"0123456789abcdef\x80xyz", false}, // stray continuation
                    utf8_case{"\xFF", false}, utf8_case{"\xC3\xA9\xC3", false}));

TEST(is_ascii, detects_any_high_byte_at_any_position) {
    std::string text(37, 'a');
    EXPECT_TRUE(is_ascii(text));
    for (std::size_t i = 0; i < text.size(); ++i) {
        std::string copy = text;
        copy[i] = '\x80';
        EXPECT_FALSE(is_ascii(copy)) << i;
    }
}

// --- sniffing ---------------------------------------------------------------------------

struct sniff_case {
    std::string_view file; ///< in tests/data/charsets, decoded with the sniffed charset
    std::vector<std::string_view> accepted; ///< canonical names that decode it correctly
};

class sniff_charset_test : public testing::TestWithParam<sniff_case> {};

TEST_P(sniff_charset_test, guesses_realistic_text) {
    const auto dir = test::source_dir() / "tests/data/charsets";
    const std::string bytes = test::read_file(dir / GetParam().file);
    const std::string_view guess = sniff_charset(bytes);
    const auto& accepted = GetParam().accepted;
    EXPECT_NE(std::find(accepted.begin(), accepted.end(), guess), accepted.end()) << guess;
    const std::string name(GetParam().file.substr(0, GetParam().file.find('.')));
    EXPECT_EQ(bytes_to_utf8(bytes), test::read_file(dir / (name + ".utf-8.txt"))) << guess;
}

INSTANTIATE_TEST_SUITE_P(samples, sniff_charset_test,
                         testing::Values(sniff_case{"russian.koi8-r.txt", {"koi8-r"}},
                                         sniff_case{"russian.windows-1251.txt", {"windows-1251"}},
                                         sniff_case{"japanese-sjis.shift_jis.txt", {"shift_jis"}},
                                         sniff_case{"japanese.euc-jp.txt", {"euc-jp"}},
                                         sniff_case{"japanese.iso-2022-jp.txt", {"iso-2022-jp"}},
                                         sniff_case{"chinese.gb2312.txt", {"gb18030", "gbk"}},
                                         sniff_case{"french.windows-1252.txt", {"windows-1252"}},
                                         sniff_case{"korean.euc-kr.txt", {"euc-kr"}},
                                         sniff_case{"chinese-big5.big5.txt", {"big5"}},
                                         sniff_case{"french.utf-8.txt", {"utf-8"}}));

TEST(sniff_charset, ascii_is_utf8) {
    EXPECT_EQ(sniff_charset("just ascii"), "utf-8");
}

TEST(sniff_charset, short_latin1_word_falls_back_to_windows_1252) {
    EXPECT_EQ(bytes_to_utf8("Caf\xE9 cr\xE8me"), "Café crème");
}

TEST(bytes_to_utf8, valid_utf8_is_kept) {
    EXPECT_EQ(bytes_to_utf8("na\xC3\xAFve", "koi8-r"), "naïve");
}

TEST(bytes_to_utf8, fallback_is_used_for_8bit_bytes) {
    EXPECT_EQ(bytes_to_utf8("\xF7\xC5\xD4\xC5\xD2", "koi8-r"), "Ветер");
    EXPECT_EQ(bytes_to_utf8("\x93quoted\x94", "iso-8859-1"), "“quoted”");
}

TEST(bytes_to_utf8, utf8_fallback_that_is_wrong_sniffs) {
    EXPECT_EQ(bytes_to_utf8("Caf\xE9", "utf-8"), "Café");
}

} // namespace
} // namespace cairn::mime
