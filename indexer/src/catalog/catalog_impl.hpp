#pragma once
// catalog::impl and the helpers the catalog's source files share.

#include "catalog/checkpointer.hpp"
#include "catalog/connection.hpp"

#include <indexer/catalog.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace cairn::index {

struct catalog::impl {
    explicit impl(const std::filesystem::path& file);

    catalog_detail::connection db;
    /// Set when a write failed half-way inside a transaction: commit() then
    /// rolls back and throws instead of committing half a message.
    bool poisoned = false;
    /// Set by checkpoint_in_background(); destroyed before `db`.
    std::unique_ptr<catalog_detail::checkpointer> checkpoints;
};

namespace catalog_detail {

/// How a message about to be inserted joins the threads (threads.cpp).
/// The views point into the message_record, which must outlive the plan.
struct thread_plan {
    thread_key thread = 0;                ///< the thread its row carries
    std::vector<thread_key> merged;       ///< other threads that become `thread`
    std::vector<std::string_view> unseen; ///< its ids not in thread_ids yet
};

/// Reads only: finds the threads of the message's Message-ID, In-Reply-To and
/// References. None: a new thread keyed `new_id`; several: the smallest wins.
[[nodiscard]] thread_plan plan_thread(connection& db, message_key new_id,
                                      const message_record& record);

/// Writes the plan: moves the merged threads' messages and ids into
/// plan.thread and records the unseen ids. Returns the moved messages, ascending.
[[nodiscard]] std::vector<message_key> apply_thread(connection& db, const thread_plan& plan);

} // namespace catalog_detail

} // namespace cairn::index
