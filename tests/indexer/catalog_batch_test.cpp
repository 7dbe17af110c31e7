// catalog: transactions, whole-catalog reads (stats, for_each) and clearing.

#include "indexer/catalog_testing.hpp"

#include <indexer/catalog.hpp>
#include <indexer/error.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): catalog_testing.hpp

message_record from(const std::string& seed, const std::string& address,
                    std::optional<std::int64_t> date = std::nullopt) {
    auto r = record(seed, seed + "@id");
    r.from.address = address;
    r.date = date;
    return r;
}

// --- transactions ------------------------------------------------------------------

TEST(catalog_transaction, rolls_back_everything_when_destroyed_without_commit) {
    catalog_fixture f;
    auto c = f.open();
    {
        catalog::transaction t(c);
        const auto id = c.insert(record("gone", "gone@x", "", {"parent@x"}), where(0)).id;
        c.add_source(id, envelope{});
        c.set_file_state("a.eml", 1, 2);
        c.set_indexed_through(id);
        EXPECT_EQ(c.max_id(), 1); // visible inside the transaction
    }
    EXPECT_EQ(c.max_id(), 0);
    EXPECT_FALSE(c.find_message_id("gone@x"));
    EXPECT_FALSE(c.file_state("a.eml"));
    EXPECT_EQ(c.indexed_through(), 0);
    // The thread ids went too: a message citing parent@x starts a new thread.
    const auto next = c.insert(record("next", "next@x", "parent@x"), where(1));
    EXPECT_EQ(next.id, 1);
    EXPECT_EQ(next.thread, 1);
}

TEST(catalog_transaction, rolls_back_when_an_exception_leaves_the_scope) {
    catalog_fixture f;
    auto c = f.open();
    EXPECT_THROW(
        {
            catalog::transaction t(c);
            (void)c.insert(record("a", "a@x"), where(0));
            throw std::runtime_error("parse failed mid-batch");
        },
        std::runtime_error);
    EXPECT_EQ(c.stats().messages, 0U);
    // The catalog is usable afterwards: no transaction was left open.
    catalog::transaction t(c);
    (void)c.insert(record("a", "a@x"), where(0));
    t.commit();
    EXPECT_EQ(c.stats().messages, 1U);
}

TEST(catalog_transaction, commit_is_durable_and_visible_to_another_connection) {
    catalog_fixture f;
    auto writer = f.open();
    auto reader = f.open();
    catalog::transaction t(writer);
    for (int i = 0; i < 500; ++i) {
        (void)writer.insert(record("m" + std::to_string(i), std::to_string(i) + "@x"), where(i));
    }
    EXPECT_EQ(reader.max_id(), 0); // WAL: the reader sees the last commit, not the batch
    t.commit();
    EXPECT_EQ(reader.max_id(), 500);
    EXPECT_EQ(f.open().find_message_id("499@x"), 500);
}

TEST(catalog_transaction, catalogued_through_commits_and_rolls_back_with_its_transaction) {
    catalog_fixture f;
    auto c = f.open();
    EXPECT_EQ(c.catalogued_through(), store_position{}); // never set: the store's start
    {
        catalog::transaction t(c);
        c.set_catalogued_through({2, 4096});
        t.commit();
    }
    {
        catalog::transaction t(c);
        c.set_catalogued_through({3, 64});
    }
    EXPECT_EQ(f.open().catalogued_through(), (store_position{2, 4096}));
    catalog::transaction t(c);
    c.clear_messages();
    t.commit();
    EXPECT_EQ(c.catalogued_through(), store_position{});
}

// --- stats --------------------------------------------------------------------------

TEST(catalog_stats, counts_messages_bytes_attachments_threads_dates_and_senders) {
    catalog_fixture f;
    auto c = f.open();
    const auto empty = c.stats();
    EXPECT_EQ(empty.messages, 0U);
    EXPECT_EQ(empty.raw_bytes, 0U);
    EXPECT_FALSE(empty.first_date);
    EXPECT_FALSE(empty.last_date);
    EXPECT_TRUE(empty.top_senders.empty());

    catalog::transaction t(c);
    auto with_attachments = from("w", "Bob@Example.org", 500);
    with_attachments.attachments = {{1, "a", "x/y", "attachment", 1, ""},
                                    {2, "b", "x/y", "attachment", 1, ""}};
    (void)c.insert(with_attachments, where(0));
    (void)c.insert(from("x", "bob@example.org", 100), where(1));
    (void)c.insert(from("y", "BOB@EXAMPLE.ORG"), where(2));
    (void)c.insert(from("z", "carol@example.org", 900), where(3));
    (void)c.insert(from("v", "carol@example.org"), where(4));
    (void)c.insert(from("u", "alice@example.org"), where(5));
    (void)c.insert(from("nobody", ""), where(6));
    t.commit();

    const auto s = c.stats(2);
    EXPECT_EQ(s.messages, 7U);
    EXPECT_EQ(s.raw_bytes, 1U + 1U + 1U + 1U + 1U + 1U + 6U); // record() sizes: seed length
    EXPECT_EQ(s.attachments, 2U);
    EXPECT_EQ(s.threads, 7U);
    EXPECT_EQ(s.first_date, 100);
    EXPECT_EQ(s.last_date, 900);
    using senders = std::vector<std::pair<std::string, std::uint64_t>>;
    EXPECT_EQ(s.top_senders, (senders{{"bob@example.org", 3}, {"carol@example.org", 2}}));
    // Ties are broken by address; the empty From is no sender.
    EXPECT_EQ(
        c.stats(10).top_senders,
        (senders{{"bob@example.org", 3}, {"carol@example.org", 2}, {"alice@example.org", 1}}));
    EXPECT_TRUE(c.stats(0).top_senders.empty());
}

// --- for_each -------------------------------------------------------------------------

TEST(catalog_for_each, visits_every_message_in_id_order_and_allows_reads_inside) {
    catalog_fixture f;
    auto c = f.open();
    catalog::transaction t(c);
    for (int i = 0; i < 50; ++i) {
        auto r = record("m" + std::to_string(i), "m" + std::to_string(i) + "@x");
        r.references = {"r" + std::to_string(i)};
        (void)c.insert(r, where(i));
    }
    t.commit();
    std::vector<message_key> ids;
    int nested_rows = 0;
    c.for_each([&](const message_row& row) {
        ids.push_back(row.id);
        // What reindex does: more reads, even another for_each, from inside.
        EXPECT_EQ(c.references(row.id), std::vector<std::string>{"r" + std::to_string(row.id - 1)});
        if (row.id == 25) {
            c.for_each([&](const message_row&) { ++nested_rows; });
        }
    });
    ASSERT_EQ(ids.size(), 50U);
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
    EXPECT_EQ(ids.front(), 1);
    EXPECT_EQ(nested_rows, 50);
}

TEST(catalog_for_each, an_exception_from_the_callback_leaves_the_catalog_usable) {
    catalog_fixture f;
    auto c = f.open();
    (void)c.insert(record("a"), where(0));
    (void)c.insert(record("b"), where(1));
    EXPECT_THROW(c.for_each([](const message_row&) { throw std::runtime_error("stop"); }),
                 std::runtime_error);
    catalog::transaction t(c);
    (void)c.insert(record("c"), where(2));
    t.commit();
    int rows = 0;
    c.for_each([&](const message_row&) { ++rows; });
    EXPECT_EQ(rows, 3);
}

// --- clear_messages ---------------------------------------------------------------------

TEST(catalog_clear, removes_messages_and_their_rows_but_keeps_the_schema) {
    catalog_fixture f;
    auto c = f.open();
    {
        catalog::transaction t(c);
        auto r = record("a", "a@x", "p@x", {"p@x"});
        r.to = {{"", "to@x"}};
        r.attachments = {{1, "f", "x/y", "attachment", 3, "00"}};
        r.defects = {"bare_lf"};
        const auto id = c.insert(r, where(0)).id;
        c.add_source(id, envelope{});
        c.set_file_state("a.eml", 1, 2);
        c.set_indexed_through(id);
        t.commit();
    }
    {
        catalog::transaction t(c);
        c.clear_messages();
        t.commit();
    }
    EXPECT_EQ(c.max_id(), 0);
    EXPECT_EQ(c.indexed_through(), 0);
    EXPECT_FALSE(c.file_state("a.eml"));
    EXPECT_FALSE(c.find_message_id("a@x"));
    EXPECT_FALSE(c.get(1));
    EXPECT_TRUE(c.recipients(1, recipient_kind::to).empty());
    EXPECT_TRUE(c.attachments(1).empty());
    EXPECT_TRUE(c.defects(1).empty());
    EXPECT_TRUE(c.sources(1).empty());
    EXPECT_TRUE(c.references(1).empty());
    EXPECT_EQ(c.stats().threads, 0U);
    // The same message can come back, with a fresh thread (thread ids forgotten).
    const auto again = c.insert(record("b", "b@x", "p@x"), where(1));
    EXPECT_EQ(again.id, 1);
    EXPECT_TRUE(again.rethreaded.empty());
    EXPECT_EQ(f.open().max_id(), 1); // and the file reopens
}

} // namespace
