#pragma once
// connection: one open SQLite database (RAII) with the catalog's settings, the
// error conversion every catalog file uses (SQLite result code → io_error with
// the database path and sqlite3_errmsg), and the prepared-statement cache.
//
// Statements are prepared once per connection and reused: an ingest batch runs
// tens of statements per message, and preparing is several times the cost of
// running one of them. The cache is keyed by the SQL text.

#include "catalog/statement.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;

namespace cairn::index::catalog_detail {

class connection {
public:
    /// Opens (creating) the database file and applies the connection settings:
    /// WAL, foreign keys, synchronous=NORMAL, busy timeout.
    explicit connection(const std::filesystem::path& file);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    /// Runs SQL without results (may hold several statements).
    void exec(const char* sql);

    /// BEGIN IMMEDIATE: takes the write lock now, so a second writer waits
    /// (busy timeout) here instead of failing at its first write.
    void begin() { exec("BEGIN IMMEDIATE"); }

    void commit() { exec("COMMIT"); }

    /// ROLLBACK, for destructors: never throws (a failed ROLLBACK leaves
    /// nothing to do; SQLite has rolled back already or was not in a transaction).
    void rollback() noexcept { exec_noexcept("ROLLBACK"); }

    /// Runs SQL whose failure leaves nothing to do (ROLLBACK, restoring a
    /// pragma to its cheaper setting).
    void exec_noexcept(const char* sql) noexcept;

    /// True inside BEGIN … COMMIT (or a savepoint).
    [[nodiscard]] bool in_transaction() const noexcept;

    /// The cached statement for `sql`, prepared on first use.
    [[nodiscard]] statement_use use(std::string_view sql);

    /// Throws io_error for SQLite's current error: "what: errmsg: path", with
    /// the OS error (errno) as code when SQLite reports one.
    [[noreturn]] void fail(std::string_view what) const;
    /// fail() when `rc` is not SQLITE_OK / SQLITE_ROW / SQLITE_DONE.
    void check(int rc, std::string_view what) const;

    [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// Forgets every cached statement (before schema changes that would make
    /// SQLite re-prepare them anyway).
    void clear_cache() noexcept { cache_.clear(); }

private:
    struct text_hash {
        using is_transparent = void;

        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };

    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
    std::unordered_map<std::string, std::unique_ptr<statement>, text_hash, std::equal_to<>> cache_;
};

/// RAII write transaction for code that has no catalog::transaction (schema
/// migrations): rolls back unless commit() is called.
class write_transaction {
public:
    explicit write_transaction(connection& db)
        : db_(&db) {
        db_->begin();
    }

    ~write_transaction() {
        if (!done_) {
            db_->rollback();
        }
    }

    write_transaction(const write_transaction&) = delete;
    write_transaction& operator=(const write_transaction&) = delete;

    void commit() {
        db_->commit();
        done_ = true;
    }

private:
    connection* db_;
    bool done_ = false;
};

/// RAII savepoint: everything done in its scope is undone unless release() is
/// called. Nests inside a transaction, or is a transaction of its own outside.
class savepoint {
public:
    explicit savepoint(connection& db);
    ~savepoint();
    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;
    void release();

private:
    connection* db_;
    bool done_ = false;
};

} // namespace cairn::index::catalog_detail
