// take_index_work / write_index_work / finish_index_work / return_index_work:
// index_pending() in steps, so that `cairn serve` writes the full-text index
// on its own thread while group commits go on.
#include "indexer/delivery_testing.hpp"
#include "support/temp_dir.hpp"

#include <indexer/archive.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace {

using namespace cairn::index;
using cairn::test::scratch_dir;

std::string mail(int n, const std::string& extra = {}) {
    return cairn::test::numbered_mail(n, "quokka", extra);
}

message_key deliver_one(archive& a, const std::string& raw, const std::string& queue_id) {
    return a.deliver(std::vector<delivery>{{raw, cairn::test::smtp_envelope(queue_id)}}).front().id;
}

std::uint64_t hits(archive& a, const std::string& query) {
    search_options options;
    options.limit = 0;
    return a.text().search(query, options).total;
}

TEST(index_work, indexed_through_moves_only_past_what_was_taken) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    const auto first = deliver_one(a, mail(1), "q1");
    auto work = a.take_index_work();
    EXPECT_EQ(work.size(), 1u);
    EXPECT_FALSE(a.index_is_pending());
    const auto second = deliver_one(a, mail(2), "q2"); // arrives while the work is written
    a.write_index_work(work);
    a.finish_index_work(work);
    EXPECT_EQ(a.messages().indexed_through(), first);
    EXPECT_EQ(hits(a, "word1"), 1u);
    EXPECT_EQ(hits(a, "word2"), 0u);
    EXPECT_TRUE(a.index_is_pending());
    a.index_pending();
    EXPECT_EQ(a.messages().indexed_through(), second);
    EXPECT_EQ(hits(a, "quokka"), 2u);
}

TEST(index_work, returned_work_is_taken_again) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    (void)deliver_one(a, mail(1), "q1");
    auto work = a.take_index_work();
    const auto later = deliver_one(a, mail(2), "q2");
    a.return_index_work(std::move(work)); // as after a failed write
    EXPECT_TRUE(a.index_is_pending());
    auto again = a.take_index_work();
    EXPECT_EQ(again.size(), 2u);
    a.write_index_work(again);
    a.finish_index_work(again);
    EXPECT_EQ(a.messages().indexed_through(), later);
    EXPECT_EQ(hits(a, "quokka"), 2u);
}

TEST(index_work, a_parent_delivered_while_its_reply_is_written_shares_one_thread_term) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    // The reply's document is taken with the thread it has alone; its parent
    // then arrives and joins the two threads, so the reply's document must
    // get the joined thread after it is written.
    const auto reply = deliver_one(a, mail(11, "In-Reply-To: <m10@example.com>\r\n"), "r");
    const auto reply_thread_alone = a.messages().get(reply)->thread;
    auto work = a.take_index_work();
    const auto parent = deliver_one(a, mail(10), "p");
    a.write_index_work(work);
    a.finish_index_work(work);
    a.index_pending();
    const auto thread = a.messages().get(parent)->thread;
    ASSERT_EQ(a.messages().get(reply)->thread, thread);
    EXPECT_EQ(hits(a, "thread:" + std::to_string(thread)), 2u);
    if (thread != reply_thread_alone) {
        EXPECT_EQ(hits(a, "thread:" + std::to_string(reply_thread_alone)), 0u);
    }
}

TEST(index_work, written_on_another_thread_while_groups_are_delivered) {
    scratch_dir dir;
    auto a = archive::init(dir.path());
    int n = 0;
    for (; n < 40; ++n) {
        (void)deliver_one(a, mail(n), "q" + std::to_string(n));
    }
    auto work = a.take_index_work();
    std::thread writer([&] { a.write_index_work(work); });
    for (; n < 80; ++n) {
        (void)deliver_one(a, mail(n), "q" + std::to_string(n));
    }
    writer.join();
    a.finish_index_work(work);
    a.index_pending();
    EXPECT_EQ(a.messages().indexed_through(), a.messages().max_id());
    EXPECT_EQ(hits(a, "quokka"), 80u);
    EXPECT_EQ(hits(a, "word79"), 1u);
}

} // namespace
