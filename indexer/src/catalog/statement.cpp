#include "catalog/statement.hpp"

#include "catalog/connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace cairn::index::catalog_detail {

namespace {

/// The first words of a statement, to say in an error which one failed.
std::string describe(std::string_view sql) {
    constexpr std::size_t limit = 48;
    std::string head(sql.substr(0, limit));
    std::replace(head.begin(), head.end(), '\n', ' ');
    return sql.size() > limit ? head + "…" : head;
}

} // namespace

statement::statement(connection& db, std::string_view sql)
    : db_(&db) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        db.fail("statement too long");
    }
    const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        db.fail("cannot prepare \"" + describe(sql) + "\"");
    }
}

statement::~statement() {
    sqlite3_finalize(stmt_);
}

bool statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    db_->fail("cannot run \"" + describe(sqlite3_sql(stmt_)) + "\"");
}

void statement::run() {
    while (step()) {
    }
}

void statement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

void statement::check_bind(int rc) const {
    if (rc != SQLITE_OK) {
        db_->fail("cannot bind a value to \"" + describe(sqlite3_sql(stmt_)) + "\"");
    }
}

void statement::bind_one(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(stmt_, index, value));
}

void statement::bind_one(int index, std::string_view text) {
    // A non-null pointer even for "": a null pointer would bind SQL NULL.
    check_bind(sqlite3_bind_text64(stmt_, index, text.empty() ? "" : text.data(), text.size(),
                                   SQLITE_STATIC, SQLITE_UTF8));
}

void statement::bind_one(int index, const content_hash& hash) {
    check_bind(sqlite3_bind_blob(stmt_, index, hash.bytes().data(),
                                 static_cast<int>(content_hash::size), SQLITE_STATIC));
}

void statement::bind_one(int index, std::nullptr_t) {
    check_bind(sqlite3_bind_null(stmt_, index));
}

template <>
std::int64_t statement::get<std::int64_t>(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

template <>
std::uint64_t statement::get<std::uint64_t>(int column) const {
    return static_cast<std::uint64_t>(sqlite3_column_int64(stmt_, column));
}

template <>
std::string_view statement::get<std::string_view>(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    const int length = sqlite3_column_bytes(stmt_, column); // after _text: the UTF-8 length
    if (text == nullptr) {
        return {};
    }
    return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(length)};
}

template <>
std::string statement::get<std::string>(int column) const {
    return std::string(get<std::string_view>(column));
}

template <>
content_hash statement::get<content_hash>(int column) const {
    content_hash::bytes_type bytes{};
    const void* blob = sqlite3_column_blob(stmt_, column);
    const int length = sqlite3_column_bytes(stmt_, column);
    if (blob != nullptr && static_cast<std::size_t>(length) == content_hash::size) {
        std::memcpy(bytes.data(), blob, content_hash::size);
    }
    return content_hash(bytes);
}

template <>
std::optional<std::int64_t> statement::get<std::optional<std::int64_t>>(int column) const {
    if (is_null(column)) {
        return std::nullopt;
    }
    return sqlite3_column_int64(stmt_, column);
}

} // namespace cairn::index::catalog_detail
