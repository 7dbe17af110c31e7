#include "catalog/connection.hpp"

#include "catalog/wal_coalescing_vfs.hpp"

#include <indexer/error.hpp>

#include <sqlite3.h>

#include <system_error>

namespace cairn::index::catalog_detail {

namespace {

/// How long a writer waits for another connection's lock before SQLITE_BUSY:
/// readers never block a WAL writer, so only a second writer (another cairn
/// process) waits, and a batch commit takes well under this.
constexpr int busy_timeout_ms = 10'000;

} // namespace

connection::connection(const std::filesystem::path& file)
    : path_(file) {
    const int rc = sqlite3_open_v2(file.c_str(), &db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                       SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                                   wal_coalescing_vfs());
    if (rc != SQLITE_OK) {
        if (db_ == nullptr) {
            throw io_error("cannot open catalog: out of memory", path_);
        }
        try {
            fail("cannot open catalog");
        } catch (...) {
            sqlite3_close_v2(db_);
            db_ = nullptr;
            throw;
        }
    }
    try {
        check(sqlite3_busy_timeout(db_, busy_timeout_ms), "cannot set the busy timeout");
        // WAL: readers and the one writer do not block each other, and a commit
        // is one append to the log. synchronous=NORMAL is durable across an
        // application crash; a power loss may drop the last commits, which the
        // next open catalogues again from the store (catalog.hpp). 4 KiB
        // pages: a commit writes every page it dirtied to the log, and an SMTP
        // group commit of a few messages dirties about one leaf per index, so
        // its cost goes with the page size (8 KiB pages: 7% fewer messages/s
        // in scripts/bench-smtp.sh). New catalogs only; SQLite keeps the size
        // a file was created with.
        exec("PRAGMA page_size = 4096;"
             "PRAGMA journal_mode = WAL;"
             "PRAGMA synchronous = NORMAL;"
             "PRAGMA foreign_keys = ON;"
             "PRAGMA temp_store = MEMORY;"
             "PRAGMA cache_size = -65536;");
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

connection::~connection() {
    cache_.clear(); // finalize statements before closing
    sqlite3_close_v2(db_);
}

void connection::exec(const char* sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
    sqlite3_free(message); // same text as sqlite3_errmsg, which fail() reads
    if (rc != SQLITE_OK) {
        std::string_view head(sql);
        fail("cannot run \"" + std::string(head.substr(0, head.find_first_of(";\n"))) + "\"");
    }
}

bool connection::in_transaction() const noexcept {
    return sqlite3_get_autocommit(db_) == 0;
}

void connection::exec_noexcept(const char* sql) noexcept {
    sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
}

statement_use connection::use(std::string_view sql) {
    auto found = cache_.find(sql);
    if (found == cache_.end()) {
        found = cache_.emplace(std::string(sql), std::make_unique<statement>(*this, sql)).first;
    }
    return statement_use(*found->second);
}

void connection::fail(std::string_view what) const {
    std::string message(what);
    message += ": ";
    message += db_ != nullptr ? sqlite3_errmsg(db_) : "no database";
    std::error_code code;
    // sqlite3_system_errno keeps the last OS failure, which may be stale: only
    // errors about the file itself carry one.
    const int primary = db_ != nullptr ? (sqlite3_extended_errcode(db_) & 0xff) : SQLITE_OK;
    if (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL) {
        if (const int os_error = sqlite3_system_errno(db_); os_error != 0) {
            code = std::error_code(os_error, std::generic_category());
        }
    }
    throw io_error(message, path_, code);
}

void connection::check(int rc, std::string_view what) const {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) {
        fail(what);
    }
}

savepoint::savepoint(connection& db)
    : db_(&db) {
    db_->exec("SAVEPOINT cairn_step");
}

savepoint::~savepoint() {
    if (!done_) {
        // Undo and forget the savepoint; errors cannot be reported from here,
        // and ROLLBACK TO only fails when the savepoint is already gone.
        sqlite3_exec(db_->handle(), "ROLLBACK TO cairn_step; RELEASE cairn_step", nullptr, nullptr,
                     nullptr);
    }
}

void savepoint::release() {
    db_->exec("RELEASE cairn_step");
    done_ = true;
}

} // namespace cairn::index::catalog_detail
