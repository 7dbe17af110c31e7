// The streaming contract: the scanner reports the same events whether a message
// is fed whole, a byte at a time, split at every position, or in random chunks.
// Runs over every message the project ships (tests/data, samples) and, when
// present, the shared conformance corpus.
#include "support/recording_handler.hpp"
#include "support/test_data.hpp"

#include <mime/scanner.hpp>

#include <gtest/gtest.h>

#include <random>

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> messages() {
    std::vector<fs::path> all;
    const auto add = [&](const fs::path& dir) {
        if (fs::is_directory(dir)) {
            for (auto& f : cairn::test::files_under(dir)) {
                all.push_back(f);
            }
        }
    };
    add(cairn::test::source_dir() / "tests" / "data" / "eml");
    add(cairn::test::source_dir() / "samples");
    if (const auto shared = cairn::test::shared_corpora_dir(); !shared.empty()) {
        add(shared / "conformance");
    }
    return all;
}

class streaming : public testing::TestWithParam<fs::path> {};

TEST_P(streaming, one_byte_at_a_time_matches_whole) {
    const std::string input = cairn::test::read_file(GetParam());
    const std::string whole = cairn::test::scan_whole(input);
    EXPECT_EQ(cairn::test::scan_in_chunks(input, [] { return std::size_t{1}; }), whole);
}

TEST_P(streaming, random_chunks_match_whole) {
    const std::string input = cairn::test::read_file(GetParam());
    const std::string whole = cairn::test::scan_whole(input);
    for (unsigned seed = 1; seed <= 8; ++seed) {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<std::size_t> size(1, 300);
        EXPECT_EQ(cairn::test::scan_in_chunks(input, [&] { return size(rng); }), whole)
            << "seed " << seed;
    }
}

TEST_P(streaming, every_split_point_matches_whole) {
    const std::string input = cairn::test::read_file(GetParam());
    if (input.size() > 4096) {
        GTEST_SKIP() << "every-split check runs on messages under 4 KiB";
    }
    const std::string whole = cairn::test::scan_whole(input);
    for (std::size_t split = 1; split < input.size(); ++split) {
        bool first = true;
        const auto sizes = [&] {
            const std::size_t n = first ? split : input.size();
            first = false;
            return n;
        };
        ASSERT_EQ(cairn::test::scan_in_chunks(input, sizes), whole) << "split at " << split;
    }
}

INSTANTIATE_TEST_SUITE_P(corpus, streaming, testing::ValuesIn(messages()), [](const auto& test) {
    std::string name =
        test.param.parent_path().filename().string() + "_" + test.param.filename().string();
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
            c = '_';
        }
    }
    return name + "_" + std::to_string(test.index);
});

// A large body must be passed through, not accumulated: with a boundary open,
// the scanner holds back at most one short line.
TEST(streaming, held_back_bytes_stay_bounded) {
    std::string input = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\n";
    for (int i = 0; i < 20000; ++i) {
        input += "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n";
    }
    input += std::string(100000, 'x'); // one very long line
    input += "\r\n--b--\r\n";
    cairn::test::recording_handler handler;
    cairn::mime::scanner scan(handler);
    std::string window;
    std::size_t max_window = 0;
    for (std::size_t offset = 0; offset < input.size(); offset += 4096) {
        window.append(input.substr(offset, 4096));
        window.erase(0, scan.feed(window, offset + 4096 >= input.size()));
        max_window = std::max(max_window, window.size());
    }
    EXPECT_TRUE(scan.done());
    EXPECT_LE(max_window, 4096u + cairn::mime::kmax_delimiter_line);
}

} // namespace
