#pragma once
// Helpers shared by the catalog suites: a catalog in a throwaway folder and
// message records that differ only where a test says.

#include "indexer/store_testing.hpp"

#include <indexer/catalog.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace cairn::test {

using index::catalog;
using index::message_record;

/// A catalog.db in its own temp folder.
struct catalog_fixture {
    temp_dir dir;

    [[nodiscard]] fs::path file() const { return dir.path() / "catalog.db"; }

    [[nodiscard]] catalog open() const { return catalog::open(file()); }
};

/// A record whose hash is derived from `seed` (distinct seeds, distinct hashes).
inline message_record record(const std::string& seed, std::string message_id = {},
                             std::string in_reply_to = {},
                             std::vector<std::string> references = {}) {
    message_record r;
    r.hash = index::content_hash::of(seed);
    r.size = seed.size();
    r.message_id = std::move(message_id);
    r.in_reply_to = std::move(in_reply_to);
    r.references = std::move(references);
    return r;
}

/// A location that is plausible and different for each `n`.
inline index::location where(std::uint64_t n) {
    return {static_cast<std::uint32_t>(1 + n / 1000), n * 4096, 1000 + n, 400 + n};
}

/// The catalog's threads as sets of message ids, the message's Message-ID or,
/// when it has none, "#<catalog id>": a grouping that does not depend on keys.
inline std::set<std::set<std::string>> thread_groups(const catalog& c) {
    std::map<index::thread_key, std::set<std::string>> by_thread;
    c.for_each([&](const index::message_row& row) {
        by_thread[row.thread].insert(row.message_id.empty() ? "#" + std::to_string(row.id)
                                                            : row.message_id);
    });
    std::set<std::set<std::string>> groups;
    for (auto& [thread, ids] : by_thread) {
        groups.insert(std::move(ids));
    }
    return groups;
}

} // namespace cairn::test
