// The catalog's VFS (src/catalog/wal_coalescing_vfs.hpp): a commit reaches the
// -wal file in one write, another connection sees every commit the moment it
// returns, and a failed write fails the commit. The writes are counted (and
// failed on demand) below SQLite's unix VFS, through its system call table.

#include "catalog/wal_coalescing_vfs.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <support/temp_dir.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <random>
#include <string>

namespace {

using cairn::index::catalog_detail::wal_coalescing_vfs;
using cairn::test::scratch_dir;

using pwrite_fn = ssize_t (*)(int, const void*, size_t, off_t);

// The unix VFS's own pwrite, and what the hook does to writes to a -wal file.
pwrite_fn real_pwrite = nullptr;
int log_writes = 0;
bool fail_log_writes = false;

bool is_log(int fd) {
    char target[4096];
    const std::string link = "/proc/self/fd/" + std::to_string(fd);
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target);
    return n > 4 && std::string_view(target, static_cast<std::size_t>(n)).ends_with("-wal");
}

ssize_t counting_pwrite(int fd, const void* data, size_t size, off_t offset) {
    if (is_log(fd)) {
        ++log_writes;
        if (fail_log_writes) {
            errno = ENOSPC;
            return -1;
        }
    }
    return real_pwrite(fd, data, size, offset);
}

class wal_coalescing_vfs_test : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_NE(wal_coalescing_vfs(), nullptr);
        unix_ = sqlite3_vfs_find("unix");
        ASSERT_NE(unix_, nullptr);
        // One of the two is what this SQLite build calls; both are counted.
        for (const char* call : {"pwrite", "pwrite64"}) {
            if (auto original = unix_->xGetSystemCall(unix_, call); original != nullptr) {
                real_pwrite = reinterpret_cast<pwrite_fn>(original);
                ASSERT_EQ(unix_->xSetSystemCall(
                              unix_, call, reinterpret_cast<sqlite3_syscall_ptr>(counting_pwrite)),
                          SQLITE_OK);
                hooked_.push_back({call, original});
            }
        }
        ASSERT_FALSE(hooked_.empty());
        log_writes = 0;
        fail_log_writes = false;
    }

    void TearDown() override {
        for (const auto& [call, original] : hooked_) {
            unix_->xSetSystemCall(unix_, call, original);
        }
    }

    [[nodiscard]] sqlite3* open(const char* vfs) {
        sqlite3* db = nullptr;
        const auto file = (dir_.path() / "catalog.db").string();
        EXPECT_EQ(
            sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs),
            SQLITE_OK);
        exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                 "CREATE TABLE IF NOT EXISTS t(k INTEGER PRIMARY KEY, b BLOB)");
        opened_.push_back(db);
        return db;
    }

    static void exec(sqlite3* db, const std::string& sql) {
        EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
            << sql << ": " << sqlite3_errmsg(db);
    }

    static std::int64_t scalar(sqlite3* db, const char* sql) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
        EXPECT_EQ(sqlite3_step(st), SQLITE_ROW) << sqlite3_errmsg(db);
        const std::int64_t value = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return value;
    }

    static std::string integrity(sqlite3* db) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
        EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
        std::string result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return result;
    }

    /// Inserts `rows` rows of `size` bytes in one transaction; the commit's result.
    static int insert(sqlite3* db, int rows, int size) {
        exec(db, "BEGIN");
        exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                     std::to_string(rows) + ") INSERT INTO t(b) SELECT randomblob(" +
                     std::to_string(size) + ") FROM n");
        return sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }

    void close_all() {
        for (sqlite3* db : opened_) {
            sqlite3_close_v2(db);
        }
        opened_.clear();
    }

    ~wal_coalescing_vfs_test() override { close_all(); }

    scratch_dir dir_{"cairn-vfs"};
    sqlite3_vfs* unix_ = nullptr;
    std::vector<std::pair<const char*, sqlite3_syscall_ptr>> hooked_;
    std::vector<sqlite3*> opened_;
};

// Each second commit: the first after an open also writes the log's header.
TEST_F(wal_coalescing_vfs_test,
       writes_a_commit_to_the_log_in_one_call_where_sqlite_makes_two_per_page) {
    sqlite3* plain = open("unix");
    ASSERT_EQ(insert(plain, 20, 3000), SQLITE_OK);
    log_writes = 0;
    ASSERT_EQ(insert(plain, 20, 3000), SQLITE_OK);
    EXPECT_GE(log_writes, 40); // a header and a page for each of 20+ pages
    close_all();

    sqlite3* gathered = open(wal_coalescing_vfs());
    ASSERT_EQ(insert(gathered, 20, 3000), SQLITE_OK);
    log_writes = 0;
    ASSERT_EQ(insert(gathered, 20, 3000), SQLITE_OK);
    EXPECT_EQ(log_writes, 1);
    EXPECT_EQ(scalar(gathered, "SELECT count(*) FROM t"), 80);
}

TEST_F(wal_coalescing_vfs_test, another_connection_sees_each_commit_when_it_returns) {
    sqlite3* writer = open(wal_coalescing_vfs());
    sqlite3* reader = open("unix");
    std::mt19937 random(7); // NOLINT(cert-msc51-cpp): the same commits every run
    std::int64_t rows = 0;
    std::int64_t bytes = 0;
    for (int commit = 0; commit < 300; ++commit) {
        // Mostly small commits; some over the 128 KiB the VFS gathers at most.
        const int n = commit % 50 == 49 ? 400 : static_cast<int>(random() % 8) + 1;
        const int size = static_cast<int>(random() % 4000) + 1;
        ASSERT_EQ(insert(writer, n, size), SQLITE_OK);
        rows += n;
        bytes += static_cast<std::int64_t>(n) * size;
        ASSERT_EQ(scalar(reader, "SELECT count(*) FROM t"), rows) << "commit " << commit;
        ASSERT_EQ(scalar(reader, "SELECT sum(length(b)) FROM t"), bytes) << "commit " << commit;
        if (commit % 60 == 59) { // the log starts over: a header write at offset 0
            exec(reader, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }
    close_all();
    sqlite3* fresh = open("unix");
    EXPECT_EQ(integrity(fresh), "ok");
    EXPECT_EQ(scalar(fresh, "SELECT count(*) FROM t"), rows);
}

TEST_F(wal_coalescing_vfs_test, a_failed_log_write_fails_the_commit_and_publishes_nothing) {
    sqlite3* writer = open(wal_coalescing_vfs());
    sqlite3* reader = open("unix");
    ASSERT_EQ(insert(writer, 5, 1000), SQLITE_OK);

    fail_log_writes = true;
    EXPECT_NE(insert(writer, 5, 1000), SQLITE_OK);
    fail_log_writes = false;
    sqlite3_exec(writer, "ROLLBACK", nullptr, nullptr, nullptr); // if SQLite left it open
    EXPECT_EQ(scalar(reader, "SELECT count(*) FROM t"), 5);

    ASSERT_EQ(insert(writer, 3, 1000), SQLITE_OK);
    EXPECT_EQ(scalar(reader, "SELECT count(*) FROM t"), 8);
    close_all();
    sqlite3* fresh = open("unix");
    EXPECT_EQ(integrity(fresh), "ok");
    EXPECT_EQ(scalar(fresh, "SELECT count(*) FROM t"), 8);
}

} // namespace
