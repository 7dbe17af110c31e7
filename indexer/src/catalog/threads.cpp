// Thread assignment: connected components over Message-IDs, kept incrementally.
//
// A message is connected to its own Message-ID, its In-Reply-To and every
// References id; messages sharing any id are in one thread. thread_ids maps
// every id ever seen to its thread, including ids only seen as references, so
// the grouping is a union-find over ids whose result does not depend on the
// order messages arrive in: a child arriving first records its parent's id,
// and the parent then finds its thread there. When a message connects several
// threads they merge into the smallest key, and the messages that moved are
// reported so the full-text index can update their `thread:` term.
//
// This is the grouping half of JWZ threading (jwz.org/doc/threading.html,
// steps 1-2: the id table and linking through References). Ordering inside a
// thread is by date (catalog::thread_messages); the parent/child tree is
// built when a thread is displayed, from each message's references.

#include "catalog/catalog_impl.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace cairn::index::catalog_detail {

namespace {

/// The message's distinct non-empty ids. A message listing its own id in
/// References, or an id twice, is one node: duplicates would only repeat work.
std::vector<std::string_view> thread_ids_of(const message_record& record) {
    std::vector<std::string_view> ids;
    ids.reserve(record.references.size() + 2);
    const auto add = [&ids](std::string_view id) {
        if (!id.empty()) {
            ids.push_back(id);
        }
    };
    add(record.message_id);
    add(record.in_reply_to);
    for (const auto& reference : record.references) {
        add(reference);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

} // namespace

thread_plan plan_thread(connection& db, message_key new_id, const message_record& record) {
    const auto ids = thread_ids_of(record);
    thread_plan plan;
    std::vector<thread_key> threads;
    for (const auto id : ids) {
        auto q = db.use("SELECT thread FROM thread_ids WHERE message_id = ?1");
        q.bind(id);
        if (q.step()) {
            threads.push_back(q.get<std::int64_t>(0));
        } else {
            plan.unseen.push_back(id);
        }
    }
    std::sort(threads.begin(), threads.end());
    threads.erase(std::unique(threads.begin(), threads.end()), threads.end());
    if (threads.empty()) {
        // A new thread takes the new message's id as key: ids are not reused
        // while the catalog holds messages, so neither are thread keys.
        plan.thread = new_id;
    } else {
        plan.thread = threads.front();
        plan.merged.assign(threads.begin() + 1, threads.end());
    }
    return plan;
}

std::vector<message_key> apply_thread(connection& db, const thread_plan& plan) {
    std::vector<message_key> moved;
    for (const thread_key from : plan.merged) {
        {
            auto q = db.use("UPDATE messages SET thread = ?1 WHERE thread = ?2 RETURNING id");
            q.bind(plan.thread, from);
            while (q.step()) {
                moved.push_back(q.get<std::int64_t>(0));
            }
        }
        auto q = db.use("UPDATE thread_ids SET thread = ?1 WHERE thread = ?2");
        q.bind(plan.thread, from);
        q.run();
    }
    std::sort(moved.begin(), moved.end());
    for (const auto id : plan.unseen) {
        auto q = db.use("INSERT INTO thread_ids (message_id, thread) VALUES (?1, ?2)");
        q.bind(id, plan.thread);
        q.run();
    }
    return moved;
}

} // namespace cairn::index::catalog_detail
