// archive::deliver (group commit) and index_pending: one store sync and one
// catalog transaction for many messages, per-message ids, duplicates recorded
// as new sources, full text deferred until index_pending() (or the next open).
#include "indexer/delivery_testing.hpp"
#include "support/temp_dir.hpp"

#include <indexer/archive.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace cairn::index;
using cairn::test::scratch_dir;
using cairn::test::smtp_envelope;

std::string mail(int n, const std::string& extra = {}) {
    return cairn::test::numbered_mail(n, "zebracorn", extra);
}

std::uint64_t hits(const archive& a, const char* query) {
    search_options options;
    options.limit = 0;
    return const_cast<archive&>(a).text().search(query, options).total;
}

TEST(deliver, group_returns_one_result_per_message_in_order) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    const std::vector<std::string> raws{mail(1), mail(2), mail(3)};
    std::vector<delivery> group;
    for (std::size_t i = 0; i < raws.size(); ++i) {
        group.push_back({raws[i], smtp_envelope("q" + std::to_string(i))});
    }
    const auto results = a.deliver(group);
    ASSERT_EQ(results.size(), 3u);
    for (std::size_t i = 0; i < raws.size(); ++i) {
        EXPECT_FALSE(results[i].duplicate);
        EXPECT_EQ(a.raw(results[i].id), raws[i]);
        const auto sources = a.messages().sources(results[i].id);
        ASSERT_EQ(sources.size(), 1u);
        EXPECT_EQ(sources[0].kind, source_kind::smtp);
        EXPECT_EQ(sources[0].mail_from, "a@example.com");
        EXPECT_EQ(sources[0].rcpt_to,
                  (std::vector<std::string>{"archive@example.org", "other@example.org"}));
        EXPECT_TRUE(sources[0].tls);
    }
    EXPECT_NE(results[0].id, results[1].id);
}

TEST(deliver, full_text_waits_for_index_pending) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    const std::string raw = mail(7);
    const delivery one{raw, smtp_envelope("q7")};
    const auto results = a.deliver({&one, 1});
    ASSERT_EQ(results.size(), 1u);
    EXPECT_TRUE(a.index_is_pending());
    EXPECT_EQ(a.messages().indexed_through(), 0);
    a.index_pending();
    EXPECT_FALSE(a.index_is_pending());
    EXPECT_EQ(a.messages().indexed_through(), results[0].id);
    EXPECT_EQ(hits(a, "zebracorn"), 1u);
    EXPECT_EQ(hits(a, "word7"), 1u);
}

TEST(deliver, duplicates_keep_one_copy_and_record_every_envelope) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    const std::string raw = mail(1);
    const std::string other = mail(2);
    const auto first =
        a.deliver(std::vector<delivery>{{raw, smtp_envelope("q1", "x@example.com")}});
    // The same bytes again in a later group, and twice within one group.
    const auto second = a.deliver(std::vector<delivery>{{raw, smtp_envelope("q2", "y@example.com")},
                                                        {other, smtp_envelope("q3")},
                                                        {other, smtp_envelope("q4")}});
    ASSERT_EQ(second.size(), 3u);
    EXPECT_EQ(second[0].id, first[0].id);
    EXPECT_TRUE(second[0].duplicate);
    EXPECT_FALSE(second[1].duplicate);
    EXPECT_TRUE(second[2].duplicate);
    EXPECT_EQ(second[2].id, second[1].id);
    EXPECT_EQ(a.messages().sources(first[0].id).size(), 2u);
    EXPECT_EQ(a.messages().sources(second[1].id).size(), 2u);
    EXPECT_EQ(a.messages().max_id(), second[1].id);
    a.index_pending();
    EXPECT_EQ(hits(a, "zebracorn"), 2u);
}

TEST(deliver, unindexed_group_is_indexed_on_the_next_open) {
    scratch_dir dir;
    message_key id = 0;
    {
        auto a = archive::init(dir.path());
        const std::string raw = mail(3);
        id = a.deliver(std::vector<delivery>{{raw, smtp_envelope("q")}}).front().id;
        // Closed without index_pending(): as after a crash past the catalog commit.
    }
    auto again = archive::open(dir.path(), true);
    EXPECT_EQ(again.messages().indexed_through(), id);
    EXPECT_EQ(hits(again, "word3"), 1u);
}

TEST(deliver, a_later_immediate_batch_indexes_deferred_documents_first) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    const std::string deferred = mail(4);
    (void)a.deliver(std::vector<delivery>{{deferred, smtp_envelope("q")}});
    (void)a.add(mail(5), smtp_envelope("q5")); // add(): indexed at once
    EXPECT_FALSE(a.index_is_pending());
    EXPECT_EQ(hits(a, "word4"), 1u);
    EXPECT_EQ(hits(a, "word5"), 1u);
}

TEST(deliver, a_deferred_reply_rethreads_its_indexed_parent) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    // The reply arrives first and is indexed; the parent comes later by SMTP
    // and, joining, may renumber the thread. Both must share one thread term.
    const std::string reply = mail(11, "In-Reply-To: <m10@example.com>\r\n");
    const auto reply_id = a.add(reply, smtp_envelope("r"));
    const std::string parent = mail(10);
    const auto parent_id =
        a.deliver(std::vector<delivery>{{parent, smtp_envelope("p")}}).front().id;
    a.index_pending();
    const auto thread = a.messages().get(parent_id)->thread;
    EXPECT_EQ(a.messages().get(reply_id)->thread, thread);
    search_options options;
    options.limit = 10;
    const auto in_thread = a.text().search("thread:" + std::to_string(thread), options);
    EXPECT_EQ(in_thread.total, 2u);
}

TEST(deliver, empty_group_is_a_no_op) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    EXPECT_TRUE(a.deliver({}).empty());
    EXPECT_FALSE(a.index_is_pending());
}

} // namespace
