// DATA and BDAT content readers: end of data, dot-unstuffing, bare LF/CR
// policies, flags, the size cap — each row also fed split at every byte
// position and one byte at a time, which must change nothing.

#include <smtp/data_reader.hpp>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using namespace cairn;
using smtp::bare_lf_policy;

struct row {
    std::string_view name;
    bare_lf_policy policy;
    std::string input;          ///< content after the 354, terminator and what follows
    std::string expected;       ///< stored content
    std::string flags;          ///< "lf cr nul long" subset, in that order
    std::string_view rest = {}; ///< the tail of `input` left unconsumed (after the terminator)
    bool done = true;           ///< the terminator was found
};

std::ostream& operator<<(std::ostream& out, const row& r) {
    return out << r.name;
}

struct outcome {
    std::string content;
    std::string flags;
    std::size_t used = 0;
    bool done = false;
};

std::string flag_text(const smtp::data_flags& f) {
    std::string out;
    out += f.bare_lf ? "lf " : "";
    out += f.bare_cr ? "cr " : "";
    out += f.nul ? "nul " : "";
    out += f.line_too_long ? "long " : "";
    if (!out.empty()) {
        out.pop_back();
    }
    return out;
}

// Feeds `input` in pieces cut at `cuts` (ascending offsets) the way a session
// does: each piece is offered until the reader stops taking it.
outcome read(const row& r, std::size_t first_cut, std::size_t piece) {
    smtp::data_reader reader(1 << 20, r.policy);
    outcome o;
    std::size_t pos = 0;
    while (pos < r.input.size() && !reader.done()) {
        const std::size_t len = pos == 0 ? first_cut : piece;
        const std::string_view chunk = std::string_view(r.input).substr(pos, len == 0 ? 1 : len);
        const std::size_t used = reader.feed(chunk);
        pos += used;
        if (used < chunk.size()) {
            break;
        }
    }
    o.used = pos;
    o.done = reader.done();
    o.content = reader.content().data();
    o.flags = flag_text(reader.flags());
    return o;
}

const std::string long_line(999, 'x'); // 999 + CRLF = 1001 octets: over the limit

const row rows[] = {
    {"empty_message", bare_lf_policy::keep_with_defect, ".\r\n", "", ""},
    {"simple", bare_lf_policy::keep_with_defect, "a\r\nb\r\n.\r\nQUIT\r\n", "a\r\nb\r\n", "",
     "QUIT\r\n"},
    // RFC 5321 §4.5.2: a leading dot is removed from every line that has one.
    {"dot_unstuffing", bare_lf_policy::keep_with_defect, "..a\r\n...\r\n.b\r\n.\r\n",
     ".a\r\n..\r\nb\r\n", ""},
    {"dot_mid_line_kept", bare_lf_policy::keep_with_defect, "a.\r\nb..c\r\n.\r\n", "a.\r\nb..c\r\n",
     ""},
    {"no_terminator_yet", bare_lf_policy::keep_with_defect, "a\r\n.", "a\r\n", "", "", false},
    // Smuggling separators are content; the leading dot before a bare line
    // end is kept so the attempt stays visible.
    {"lf_dot_lf", bare_lf_policy::keep_with_defect, "a\n.\nb\r\n.\r\n", "a\n.\nb\r\n", "lf"},
    {"lf_dot_crlf", bare_lf_policy::keep_with_defect, "a\n.\r\nb\r\n.\r\n", "a\n.\r\nb\r\n", "lf"},
    {"crlf_dot_lf", bare_lf_policy::keep_with_defect, "a\r\n.\nb\r\n.\r\n", "a\r\n.\nb\r\n", "lf"},
    {"cr_dot_cr", bare_lf_policy::keep_with_defect, "a\r.\rb\r\n.\r\n", "a\r.\rb\r\n", "cr"},
    {"crlf_dot_cr_x", bare_lf_policy::keep_with_defect, "a\r\n.\rb\r\n.\r\n", "a\r\n.\rb\r\n",
     "cr"},
    {"normalise_bare_lf", bare_lf_policy::normalise, "a\nb\r\n.\r\n", "a\r\nb\r\n", "lf"},
    {"normalise_bare_cr", bare_lf_policy::normalise, "a\rb\r\n.\r\n", "a\r\nb\r\n", "cr"},
    // A normalised LF does not make the next "." special: no unstuffing, no end.
    {"normalise_lf_dot_lf", bare_lf_policy::normalise, "a\n.\n..\r\n.\r\n", "a\r\n.\r\n..\r\n",
     "lf"},
    {"reject_still_reads_to_end", bare_lf_policy::reject, "a\nb\r\n.\r\n", "a\nb\r\n", "lf"},
    {"nul_kept", bare_lf_policy::keep_with_defect, std::string("a\0b\r\n.\r\n", 8),
     std::string("a\0b\r\n", 5), "nul"},
    {"line_998_ok", bare_lf_policy::keep_with_defect, std::string(998, 'x') + "\r\n.\r\n",
     std::string(998, 'x') + "\r\n", ""},
    {"line_999_too_long", bare_lf_policy::keep_with_defect, long_line + "\r\n.\r\n",
     long_line + "\r\n", "long"},
    // The stuffed dot counts toward the line as transmitted.
    // Lines longer than the 16 octets the scan looks at in one step, with the
    // octets it must stop at in every position of a step.
    {"long_lines_with_bare_breaks", bare_lf_policy::keep_with_defect,
     std::string(17, 'a') + "\n" + std::string(31, 'b') + "\r" + std::string(15, 'c') + "\r\n" +
         std::string(40, 'd') + "\r\n.\r\n",
     std::string(17, 'a') + "\n" + std::string(31, 'b') + "\r" + std::string(15, 'c') + "\r\n" +
         std::string(40, 'd') + "\r\n",
     "lf cr"},
    {"nul_among_long_lines", bare_lf_policy::keep_with_defect,
     std::string(20, 'a') + std::string(1, '\0') + std::string(16, 'b') + std::string(2, '\0') +
         "x\r\n" + std::string(33, 'c') + "\r\n.\r\n",
     std::string(20, 'a') + std::string(1, '\0') + std::string(16, 'b') + std::string(2, '\0') +
         "x\r\n" + std::string(33, 'c') + "\r\n",
     "nul"},
    {"stuffed_line_too_long", bare_lf_policy::keep_with_defect,
     "." + std::string(998, '.') + "\r\n.\r\n", std::string(998, '.') + "\r\n", "long"},
};

class data_reader_rows : public testing::TestWithParam<row> {};

TEST_P(data_reader_rows, whole_input) {
    const row& r = GetParam();
    const outcome o = read(r, r.input.size(), r.input.size());
    EXPECT_EQ(o.content, r.expected);
    EXPECT_EQ(o.flags, r.flags);
    EXPECT_EQ(o.used, r.input.size() - r.rest.size());
    EXPECT_EQ(o.done, r.done);
}

TEST_P(data_reader_rows, split_anywhere_changes_nothing) {
    const row& r = GetParam();
    const outcome whole = read(r, r.input.size(), r.input.size());
    for (std::size_t cut = 1; cut < r.input.size(); ++cut) {
        const outcome two = read(r, cut, r.input.size());
        ASSERT_EQ(two.content, whole.content) << "split at " << cut;
        ASSERT_EQ(two.flags, whole.flags) << "split at " << cut;
        ASSERT_EQ(two.used, whole.used) << "split at " << cut;
    }
    const outcome bytes = read(r, 1, 1);
    EXPECT_EQ(bytes.content, whole.content);
    EXPECT_EQ(bytes.used, whole.used);
}

INSTANTIATE_TEST_SUITE_P(table, data_reader_rows, testing::ValuesIn(rows),
                         [](const auto& row_info) { return std::string(row_info.param.name); });

TEST(data_reader, over_size_counts_and_drops) {
    smtp::data_reader reader(10, bare_lf_policy::keep_with_defect);
    const std::string input = std::string(30, 'x') + "\r\n.\r\nNOOP\r\n";
    EXPECT_EQ(reader.feed(input), 35U);
    EXPECT_TRUE(reader.done());
    EXPECT_TRUE(reader.content().over_size());
    EXPECT_EQ(reader.content().size(), 32U);
    EXPECT_TRUE(reader.content().data().empty());
}

TEST(data_reader, reset_reads_the_next_message) {
    smtp::data_reader reader(100, bare_lf_policy::keep_with_defect);
    EXPECT_EQ(reader.feed("a\nb\r\n.\r\n"), 8U);
    EXPECT_EQ(reader.feed("more"), 0U); // done: nothing more is taken
    reader.reset();
    EXPECT_FALSE(reader.done());
    EXPECT_EQ(reader.feed("c\r\n.\r\n"), 6U);
    EXPECT_EQ(reader.take_data(), "c\r\n");
    EXPECT_FALSE(reader.flags().bare_lf);
}

TEST(bdat_reader, chunks_are_exact_and_flags_span_chunks) {
    smtp::bdat_reader reader(100);
    reader.begin_chunk(3, false);
    EXPECT_EQ(reader.feed("a\r"), 2U);
    EXPECT_FALSE(reader.chunk_done());
    EXPECT_EQ(reader.feed("\nBDAT"), 1U); // only the announced octets
    EXPECT_TRUE(reader.chunk_done());
    reader.begin_chunk(4, false);
    EXPECT_EQ(reader.feed(".\r\n\n"), 4U);
    EXPECT_EQ(reader.content().data(), "a\r\n.\r\n\n"); // no unstuffing, no end marker
    EXPECT_TRUE(reader.flags().bare_lf);
    EXPECT_FALSE(reader.flags().bare_cr); // the CR at the chunk edge was a CRLF
}

TEST(bdat_reader, discarded_chunk_is_not_stored) {
    smtp::bdat_reader reader(100);
    reader.begin_chunk(4, true);
    EXPECT_EQ(reader.feed("QUIT\r\n"), 4U);
    EXPECT_TRUE(reader.chunk_done());
    EXPECT_EQ(reader.content().size(), 0U);
}

} // namespace
