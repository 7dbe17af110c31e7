// catalog::checkpoint_in_background: the log is copied back by the catalog's
// own thread once it holds checkpointer::wake_at pages, and by no commit
// before that (SQLite's default would at 1000 pages, inside a commit).

#include "indexer/catalog_testing.hpp"

#include <indexer/catalog.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace {

using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): catalog_testing.hpp

constexpr std::uint64_t page_size = 4096;
constexpr std::uint64_t wal_header = 32;
constexpr std::uint64_t frame_header = 24;
constexpr std::uint64_t wake_at = 16000; // checkpointer::wake_at

std::uint64_t log_pages(const fs::path& db) {
    std::error_code ec;
    const auto size = fs::file_size(fs::path(db.string() + "-wal"), ec);
    return ec || size < wal_header ? 0 : (size - wal_header) / (page_size + frame_header);
}

// Commits one message at a time until the log file holds at least `pages`
// pages (before the first checkpoint: afterwards the log starts over in place,
// so a log that is checkpointed early never gets there: false).
bool commit_until(catalog& c, const fs::path& db, std::uint64_t pages, int& next) {
    for (const int last = next + 100'000; log_pages(db) < pages; ++next) {
        if (next == last) {
            return false;
        }
        const std::string seed = "m" + std::to_string(next);
        catalog::transaction tx(c);
        (void)c.insert(record(seed, seed + "@example.org"),
                       where(static_cast<std::uint64_t>(next)));
        tx.commit();
    }
    return true;
}

TEST(catalog_checkpoint, the_log_is_copied_back_by_the_background_thread_not_by_commits) {
    temp_dir dir;
    const fs::path db = dir.path() / "catalog.db";
    auto c = catalog::open(db);
    c.checkpoint_in_background();
    const auto start_size = fs::file_size(db);
    int next = 0;

    ASSERT_TRUE(commit_until(c, db, wake_at / 2, next))
        << "the log was copied back before wake_at pages (SQLite's own checkpoint at 1000)";
    EXPECT_EQ(fs::file_size(db), start_size)
        << "no checkpoint before wake_at pages (SQLite's own would have run at 1000)";

    ASSERT_TRUE(commit_until(c, db, wake_at, next));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (fs::file_size(db) == start_size && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GT(fs::file_size(db), start_size) << "the thread copied the log into the database";

    // The writer goes on after it (the log starts over); every row is there.
    for (int i = 0; i < 50; ++i) {
        const std::string seed = "after" + std::to_string(i);
        (void)c.insert(record(seed, seed + "@example.org"),
                       where(static_cast<std::uint64_t>(next)));
        ++next;
    }
    EXPECT_EQ(c.max_id(), next);
}

} // namespace
