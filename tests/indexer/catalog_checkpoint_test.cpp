// catalog::checkpoint_in_background: the log is copied back by the catalog's
// own thread once it holds background_checkpoint_pages, and by no commit
// before that (SQLite's default would at 1000 pages, inside a commit).

#include "indexer/catalog_testing.hpp"

#include <indexer/catalog.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <thread>

namespace {

using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): catalog_testing.hpp

constexpr std::uint64_t wake_at = catalog::background_checkpoint_pages;

// Pages the log file has room for, from its size and the page size in its
// header (a 32-byte header, then a 24-byte header before each page).
std::uint64_t log_pages(const fs::path& db) {
    const fs::path log = db.string() + "-wal";
    std::ifstream in(log, std::ios::binary);
    unsigned char header[32] = {};
    if (!in.read(reinterpret_cast<char*>(header), sizeof header)) {
        return 0;
    }
    const std::uint64_t page_size = std::uint64_t{header[8]} << 24 |
                                    std::uint64_t{header[9]} << 16 |
                                    std::uint64_t{header[10]} << 8 | header[11];
    return (fs::file_size(log) - sizeof header) / (page_size + 24);
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

    // SQLite's own checkpoint, inside the commit that crosses 1000 pages, would
    // copy the log back and start it over, so it would never get this long.
    ASSERT_TRUE(commit_until(c, db, wake_at / 2, next)) << "the log was checkpointed early";
    EXPECT_EQ(fs::file_size(db), start_size) << "nothing was copied back yet";

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
