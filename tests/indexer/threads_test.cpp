// Thread assignment in catalog::insert (src/catalog/threads.cpp): messages
// connected through Message-ID, In-Reply-To and References share a thread,
// whatever order they arrive in.

#include "indexer/catalog_testing.hpp"

#include <indexer/catalog.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): catalog_testing.hpp

using groups = std::set<std::set<std::string>>;

/// Every message's thread, by catalog id.
std::map<message_key, thread_key> threads_by_id(const catalog& c) {
    std::map<message_key, thread_key> threads;
    c.for_each([&](const message_row& row) { threads[row.id] = row.thread; });
    return threads;
}

/// Inserts `r` and checks what insert() reports against the catalog itself:
/// the returned thread is the row's, and `rethreaded` is exactly the older
/// messages whose thread changed.
catalog::insert_result insert_checked(catalog& c, const message_record& r, std::uint64_t n) {
    const auto before = threads_by_id(c);
    auto result = c.insert(r, where(n));
    const auto after = threads_by_id(c);
    std::vector<message_key> changed;
    for (const auto& [id, thread] : before) {
        if (after.at(id) != thread) {
            changed.push_back(id);
        }
    }
    EXPECT_EQ(result.rethreaded, changed) << "inserting " << r.message_id;
    EXPECT_EQ(after.at(result.id), result.thread);
    return result;
}

// A six-message thread whose References are as real mail has them, incomplete:
//
//   root ─ b ─ c ─ d ─ f        f lists only d (a client that trims References)
//      └ (e)                    e replies further down but lists only the root
//
// and an unrelated two-message thread x ← y.
const std::vector<message_record> six = {
    record("root", "root@x"),
    record("b", "b@x", "root@x", {"root@x"}),
    record("c", "c@x", "b@x", {"root@x", "b@x"}),
    record("d", "d@x", "c@x", {"root@x", "b@x", "c@x"}),
    record("e", "e@x", "", {"root@x"}),
    record("f", "f@x", "d@x", {"d@x"}),
};
const std::vector<message_record> unrelated = {
    record("x", "x@y"),
    record("y", "y@y", "x@y", {"x@y"}),
};
const groups expected_six = {{"root@x", "b@x", "c@x", "d@x", "e@x", "f@x"}, {"x@y", "y@y"}};

TEST(catalog_threads, grouping_is_the_same_for_all_720_arrival_orders) {
    catalog_fixture f;
    auto c = f.open();
    std::vector<std::size_t> order = {0, 1, 2, 3, 4, 5};
    int permutations = 0;
    do {
        SCOPED_TRACE(testing::PrintToString(order));
        c.clear_messages(); // also proves clearing forgets the old thread ids
        catalog::transaction t(c);
        // The unrelated thread's two messages are put at positions that vary
        // with the permutation, y before x half of the time.
        std::vector<message_record> arrival;
        for (const auto i : order) {
            arrival.push_back(six[i]);
        }
        const auto at = static_cast<std::size_t>(permutations);
        arrival.insert(arrival.begin() + static_cast<std::ptrdiff_t>(at % 7),
                       unrelated[(at / 7) % 2]);
        arrival.insert(arrival.begin() + static_cast<std::ptrdiff_t>((at / 3) % 8),
                       unrelated[1 - (at / 7) % 2]);
        for (std::size_t n = 0; n < arrival.size(); ++n) {
            // The full check (rethreaded == what changed) on a sample: it
            // rereads the catalog twice per insert.
            if (permutations % 10 == 0) {
                (void)insert_checked(c, arrival[n], n);
            } else {
                (void)c.insert(arrival[n], where(n));
            }
        }
        t.commit();
        ASSERT_EQ(thread_groups(c), expected_six);
        ++permutations;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(permutations, 720);
}

TEST(catalog_threads, children_first_then_the_parent_merges_them_into_the_smallest_key) {
    catalog_fixture f;
    auto c = f.open();
    // e and f arrive first: they share nothing yet (e knows root, f knows d).
    const auto e = insert_checked(c, six[4], 0);
    const auto fm = insert_checked(c, six[5], 1);
    EXPECT_NE(e.thread, fm.thread);
    // d links d@x (f's thread) with root@x (e's thread): f moves into e's.
    const auto d = insert_checked(c, six[3], 2);
    EXPECT_EQ(d.thread, e.thread);
    EXPECT_EQ(d.rethreaded, std::vector<message_key>{fm.id});
    EXPECT_EQ(c.get(fm.id)->thread, e.thread);
    // The parent arrives last and joins without moving anyone.
    const auto root = insert_checked(c, six[0], 3);
    EXPECT_EQ(root.thread, e.thread);
    EXPECT_TRUE(root.rethreaded.empty());
}

TEST(catalog_threads, a_late_message_merges_two_threads_and_reports_the_moved_ones) {
    catalog_fixture f;
    auto c = f.open();
    const auto a1 = insert_checked(c, record("a1", "a1@x"), 0);
    const auto b1 = insert_checked(c, record("b1", "b1@x", "a1@x", {"a1@x"}), 1);
    const auto a2 = insert_checked(c, record("a2", "a2@x"), 2);
    const auto b2 = insert_checked(c, record("b2", "b2@x", "a2@x", {"a2@x"}), 3);
    const auto c2 = insert_checked(c, record("c2", "c2@x", "b2@x", {"a2@x", "b2@x"}), 4);
    ASSERT_EQ(b1.thread, a1.thread);
    ASSERT_EQ(c2.thread, a2.thread);
    ASSERT_LT(a1.thread, a2.thread);
    // A message citing both threads (a digest reply, a cross-post).
    const auto m = insert_checked(c, record("m", "m@x", "b2@x", {"a1@x", "b2@x"}), 5);
    EXPECT_EQ(m.thread, a1.thread);
    EXPECT_EQ(m.rethreaded, (std::vector<message_key>{a2.id, b2.id, c2.id}));
    EXPECT_EQ(thread_groups(c), (groups{{"a1@x", "b1@x", "a2@x", "b2@x", "c2@x", "m@x"}}));
    // A later reply to the merged-away thread lands in the merged one.
    const auto late = insert_checked(c, record("late", "late@x", "c2@x", {"c2@x"}), 6);
    EXPECT_EQ(late.thread, a1.thread);
    EXPECT_TRUE(late.rethreaded.empty());
    EXPECT_EQ(c.stats().threads, 1U);
}

TEST(catalog_threads, a_message_without_message_id_joins_through_its_references) {
    catalog_fixture f;
    auto c = f.open();
    const auto root = insert_checked(c, record("root", "root@x"), 0);
    const auto anonymous = insert_checked(c, record("anon", "", "root@x"), 1);
    EXPECT_EQ(anonymous.thread, root.thread);
    // No ids at all: a thread of its own each time.
    const auto lone1 = insert_checked(c, record("lone1"), 2);
    const auto lone2 = insert_checked(c, record("lone2"), 3);
    EXPECT_NE(lone1.thread, root.thread);
    EXPECT_NE(lone1.thread, lone2.thread);
    // A child known only by its references bridges to a parent arriving later.
    const auto orphan = insert_checked(c, record("orphan", "", "", {"later@x"}), 4);
    const auto later = insert_checked(c, record("later", "later@x"), 5);
    EXPECT_EQ(later.thread, orphan.thread);
    EXPECT_EQ(c.stats().threads, 4U);
}

TEST(catalog_threads, self_references_and_reference_cycles_terminate_and_group) {
    catalog_fixture f;
    auto c = f.open();
    // Lists its own id as parent and in References, twice.
    const auto self =
        insert_checked(c, record("self", "self@x", "self@x", {"self@x", "self@x"}), 0);
    EXPECT_EQ(self.thread, self.id);
    EXPECT_EQ(c.references(self.id), (std::vector<std::string>{"self@x", "self@x"}));
    const auto reply = insert_checked(c, record("reply", "reply@x", "self@x", {"self@x"}), 1);
    EXPECT_EQ(reply.thread, self.thread);
    // p says q is its parent, q says p is: a cycle in the headers.
    const auto p = insert_checked(c, record("p", "p@x", "q@x", {"q@x"}), 2);
    const auto q = insert_checked(c, record("q", "q@x", "p@x", {"p@x"}), 3);
    EXPECT_EQ(q.thread, p.thread);
    const auto r = insert_checked(c, record("r", "r@x", "q@x", {"p@x", "q@x", "r@x"}), 4);
    EXPECT_EQ(r.thread, p.thread);
    EXPECT_EQ(thread_groups(c), (groups{{"self@x", "reply@x"}, {"p@x", "q@x", "r@x"}}));
}

TEST(catalog_threads, the_same_message_id_on_different_bytes_is_one_thread) {
    catalog_fixture f;
    auto c = f.open();
    const auto first = insert_checked(c, record("resent 1", "dup@x"), 0);
    const auto second = insert_checked(c, record("resent 2", "dup@x"), 1);
    EXPECT_NE(first.id, second.id);
    EXPECT_EQ(first.thread, second.thread);
}

TEST(catalog_threads, thread_messages_lists_a_thread_by_date_undated_first) {
    catalog_fixture f;
    auto c = f.open();
    auto dated = [](message_record r, std::optional<std::int64_t> date) {
        r.date = date;
        return r;
    };
    const auto a = c.insert(dated(record("a", "a@x"), 300), where(0));
    const auto b = c.insert(dated(record("b", "b@x", "a@x"), 100), where(1));
    const auto u = c.insert(dated(record("u", "u@x", "a@x"), std::nullopt), where(2));
    const auto d = c.insert(dated(record("d", "d@x", "b@x"), 100), where(3));
    (void)c.insert(dated(record("other", "other@x"), 50), where(4));
    std::vector<message_key> ids;
    for (const auto& row : c.thread_messages(a.thread)) {
        ids.push_back(row.id);
    }
    EXPECT_EQ(ids, (std::vector<message_key>{u.id, b.id, d.id, a.id}));
    EXPECT_TRUE(c.thread_messages(9999).empty());
}

} // namespace
