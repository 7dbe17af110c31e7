// Index compaction: the compacted copy answers every query as before, keeps
// document ids (= catalog ids), and an interrupted swap is finished or undone
// on the next writable open, whichever step the crash hit.
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

#include <indexer/archive.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cairn::index;
using cairn::test::scratch_dir;

std::vector<message_key> ids_of(archive& a, const char* query) {
    search_options options;
    options.limit = 1000;
    options.sort = sort_order::oldest_first;
    return a.text().search(query, options).ids;
}

class compaction : public ::testing::Test {
protected:
    void SetUp() override {
        auto a = archive::init(dir_.path());
        a.index({cairn::test::source_dir() / "samples"});
        for (const char* q : queries_) {
            before_.push_back(ids_of(a, q));
        }
        ASSERT_FALSE(before_.front().empty());
    }

    void expect_same_answers(archive& a) {
        for (std::size_t i = 0; i < std::size(queries_); ++i) {
            EXPECT_EQ(ids_of(a, queries_[i]), before_[i]) << queries_[i];
        }
        EXPECT_TRUE(a.check().problems.empty());
    }

    fs::path index() const { return dir_.path() / "index"; }

    fs::path sibling(const char* suffix) const { return fs::path(index().string() + suffix); }

    scratch_dir dir_;
    static constexpr const char* queries_[] = {"from:example.org", "date:2024", "mimetype:image",
                                               "\"mbox import\"", "has:attachment"};
    std::vector<std::vector<message_key>> before_;
};

TEST_F(compaction, keeps_every_answer_and_document_id) {
    auto a = archive::open(dir_.path(), true);
    a.compact_index();
    EXPECT_FALSE(fs::exists(sibling(".new")));
    EXPECT_FALSE(fs::exists(sibling(".old")));
    expect_same_answers(a);
    // Still writable after the swap: a later run indexes into the new copy.
    const auto added = a.add("Message-ID: <late@x>\r\nSubject: zebracorn\r\n\r\nlate\r\n", {});
    EXPECT_EQ(ids_of(a, "zebracorn"), std::vector<message_key>{added});
}

TEST_F(compaction, a_partial_copy_is_dropped_on_open) {
    fs::create_directories(sibling(".new"));
    std::ofstream(sibling(".new") / "position.glass") << "half written";
    auto a = archive::open(dir_.path(), true);
    EXPECT_FALSE(fs::exists(sibling(".new")));
    expect_same_answers(a);
}

TEST_F(compaction, a_crash_between_the_renames_is_finished_on_open) {
    {
        auto a = archive::open(dir_.path(), true);
        a.compact_index();
    }
    fs::rename(index(), sibling(".new")); // the live index moved away, the copy not yet in
    auto a = archive::open(dir_.path(), true);
    EXPECT_TRUE(fs::exists(index()));
    EXPECT_FALSE(fs::exists(sibling(".new")));
    expect_same_answers(a);
}

TEST_F(compaction, a_leftover_old_index_is_removed_on_open) {
    fs::copy(index(), sibling(".old"));
    auto a = archive::open(dir_.path(), true);
    EXPECT_FALSE(fs::exists(sibling(".old")));
    expect_same_answers(a);
}

} // namespace
