#pragma once
// The one place Xapian's exceptions become cairn's (DESIGN.md "Errors": engine
// errors are translated at the boundary, with context). Every call into Xapian
// from the full-text code runs inside xapian_guard, as notmuch wraps each of
// its Xapian calls in try/catch and mu its in xapian_try.
//
//   Xapian::QueryParserError → query_error  (the user's query is at fault)
//   any other Xapian::Error  → io_error     (the index: missing, locked, corrupt,
//                                            disk full), with the index folder
//
// query_error and io_error thrown by our own processors pass through unchanged.

#include <indexer/error.hpp>
#include <indexer/fulltext.hpp>

#include <xapian.h>

#include <filesystem>
#include <string>
#include <utility>

namespace cairn::index::detail {

template <class Fn>
decltype(auto) xapian_guard(const std::filesystem::path& dir, const char* doing, Fn&& fn) {
    try {
        return std::forward<Fn>(fn)();
    } catch (const Xapian::QueryParserError& e) {
        throw query_error("bad query: " + e.get_msg());
    } catch (const Xapian::DatabaseLockError& e) {
        throw io_error(std::string(doing) + ": the index is in use by another writer (" +
                           e.get_msg() + ")",
                       dir);
    } catch (const Xapian::Error& e) {
        throw io_error(std::string(doing) + ": " + e.get_description(), dir);
    }
}

} // namespace cairn::index::detail
