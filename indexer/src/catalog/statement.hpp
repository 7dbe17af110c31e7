#pragma once
// statement: one prepared SQLite statement, owned (RAII), with typed bind and
// column helpers; statement_use: a scoped use of a cached statement that resets
// it on scope exit, so an exception or an early return never leaves it active
// (an active statement keeps its read snapshot and can block COMMIT).
//
//   auto q = db.use("SELECT id FROM messages WHERE hash = ?1");
//   q.bind(hash);                 // binds ?1, ?2, … in order
//   if (q.step()) { id = q.get<std::int64_t>(0); }
//
// Text and blobs are bound SQLITE_STATIC, without a copy: what is bound must
// stay alive until the statement is reset, which every caller's locals do
// (the use ends before they do).

#include <indexer/content_hash.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

namespace cairn::index::catalog_detail {

class connection;

class statement {
public:
    /// Prepares `sql` (one statement) as persistent: it is going to be cached.
    statement(connection& db, std::string_view sql);
    ~statement();
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    /// Binds the values to ?1, ?2, … in order.
    template <typename... T>
    void bind(const T&... values) {
        int index = 1;
        (bind_one(index++, values), ...);
    }

    /// Runs to the next row: true when a row is there, false when done.
    bool step();
    /// Runs a statement that returns no rows (or whose rows do not matter).
    void run();
    /// Resets the statement and clears its bindings (never throws).
    void reset() noexcept;

    template <typename T>
    [[nodiscard]] T get(int column) const;

    [[nodiscard]] bool is_null(int column) const;

private:
    void bind_one(int index, std::int64_t value);
    void bind_one(int index, std::string_view text);
    void bind_one(int index, const content_hash& hash);
    void bind_one(int index, std::nullptr_t);

    void bind_one(int index, const std::string& text) { bind_one(index, std::string_view(text)); }

    void bind_one(int index, const char* text) { bind_one(index, std::string_view(text)); }

    template <typename T>
    requires std::is_integral_v<T> || std::is_enum_v<T>

    void bind_one(int index, T value) { bind_one(index, static_cast<std::int64_t>(value)); }

    template <typename T>
    void bind_one(int index, const std::optional<T>& value) {
        if (value) {
            bind_one(index, *value);
        } else {
            bind_one(index, nullptr);
        }
    }

    void check_bind(int rc) const;

    connection* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

template <>
std::int64_t statement::get<std::int64_t>(int column) const;
template <>
std::uint64_t statement::get<std::uint64_t>(int column) const;
template <>
std::string statement::get<std::string>(int column) const;
/// A view of the column's text, valid until the next step() or reset().
template <>
std::string_view statement::get<std::string_view>(int column) const;
template <>
content_hash statement::get<content_hash>(int column) const;
template <>
std::optional<std::int64_t> statement::get<std::optional<std::int64_t>>(int column) const;

/// A cached statement in use; resets it when the scope ends.
class statement_use {
public:
    explicit statement_use(statement& s) noexcept
        : statement_(&s) {}

    ~statement_use() { statement_->reset(); }

    statement_use(const statement_use&) = delete;
    statement_use& operator=(const statement_use&) = delete;

    statement* operator->() const noexcept { return statement_; }

    statement& operator*() const noexcept { return *statement_; }

    template <typename... T>
    void bind(const T&... values) {
        statement_->bind(values...);
    }

    bool step() { return statement_->step(); }

    void run() { statement_->run(); }

    template <typename T>
    [[nodiscard]] T get(int column) const {
        return statement_->get<T>(column);
    }

private:
    statement* statement_;
};

} // namespace cairn::index::catalog_detail
