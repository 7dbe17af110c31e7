// fulltext (indexer/src/fulltext/fulltext.cpp): opening, persistence, replacing,
// re-threading and removing documents, and how failures surface.
#include "indexer/fulltext_testing.hpp"

#include <indexer/error.hpp>
#include <indexer/fulltext.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace cairn::test {
namespace {

using index::fulltext;
using index::message_key;
using index::message_record;
using ids = std::vector<message_key>;

message_record mail(const std::string& subject, std::int64_t date) {
    message_record r;
    r.subject = subject;
    r.date = date;
    r.size = 100;
    return r;
}

ids find(const fulltext& index, const std::string& query) {
    return index.search(query, {}).ids;
}

TEST(fulltext, documents_persist_across_reopen) {
    const temp_dir dir;
    {
        auto index = fulltext::open_writable(dir.path());
        index.put(3, mail("alpha", utc(2024, 1, 1)), 30, {});
        index.put(7, mail("beta", utc(2024, 1, 2)), 70, {});
        index.commit();
    }
    const auto index = fulltext::open_readonly(dir.path());
    EXPECT_EQ(index.document_count(), 2U);
    EXPECT_EQ(index.last_document(), 7);
    EXPECT_EQ(find(index, "alpha"), ids{3});
    EXPECT_EQ(find(index, "thread:70"), ids{7});
}

// Closing a writer commits what was put, as Xapian's WritableDatabase does;
// only commit() reports a failure to do so.
TEST(fulltext, closing_a_writer_commits_what_was_put) {
    const temp_dir dir;
    {
        auto index = fulltext::open_writable(dir.path());
        index.put(1, mail("committed", utc(2024, 1, 1)), 1, {});
        index.commit();
        index.put(2, mail("closed", utc(2024, 1, 1)), 1, {});
    }
    const auto index = fulltext::open_readonly(dir.path());
    EXPECT_EQ(find(index, "committed OR closed"), (ids{2, 1}));
}

TEST(fulltext, put_replaces_the_document_with_the_same_id) {
    const temp_dir dir;
    auto index = fulltext::open_writable(dir.path());
    index.put(5, mail("first version", utc(2024, 1, 1)), 1, {});
    index.put(5, mail("second version", utc(2024, 1, 1)), 2, {});
    EXPECT_EQ(index.document_count(), 1U);
    EXPECT_EQ(find(index, "first"), ids{});
    EXPECT_EQ(find(index, "second"), ids{5});
    EXPECT_EQ(find(index, "thread:1"), ids{});
    EXPECT_EQ(find(index, "thread:2"), ids{5});
}

TEST(fulltext, set_thread_replaces_only_the_thread_term) {
    const temp_dir dir;
    auto index = fulltext::open_writable(dir.path());
    index.put(1, mail("merge me", utc(2024, 1, 1)), 10, {found_in("Inbox", "Inbox/cur/a")});
    index.set_thread(1, 20);
    EXPECT_EQ(find(index, "thread:10"), ids{});
    EXPECT_EQ(find(index, "thread:20"), ids{1});
    EXPECT_EQ(find(index, "merge folder:Inbox date:2024-01-01"), ids{1});
    index.set_thread(1, 20); // unchanged: no rewrite, same result
    EXPECT_EQ(find(index, "thread:20"), ids{1});
    index.set_thread(99, 5); // not indexed yet: nothing to change
    EXPECT_EQ(index.document_count(), 1U);
}

TEST(fulltext, remove_is_idempotent) {
    const temp_dir dir;
    auto index = fulltext::open_writable(dir.path());
    index.put(1, mail("one", utc(2024, 1, 1)), 1, {});
    index.put(2, mail("two", utc(2024, 1, 2)), 1, {});
    index.remove(1);
    index.remove(1);
    index.remove(42);
    index.commit();
    EXPECT_EQ(find(index, ""), ids{2});
    EXPECT_EQ(index.count("one"), 0U);
}

TEST(fulltext, clear_empties_the_index_and_keeps_it_writable) {
    const temp_dir dir;
    auto index = fulltext::open_writable(dir.path());
    index.put(1, mail("old", utc(2024, 1, 1)), 1, {});
    index.put(2, mail("old", utc(2024, 1, 2)), 1, {});
    index.commit();
    const auto reader = fulltext::open_readonly(dir.path());
    index.clear();
    index.put(3, mail("new", utc(2024, 1, 3)), 1, {});
    index.commit();
    EXPECT_EQ(find(index, ""), ids{3});
    EXPECT_EQ(find(reader, "old"), ids{});
    EXPECT_EQ(reader.document_count(), 1U);
}

TEST(fulltext, a_reader_sees_commits_made_after_it_opened) {
    const temp_dir dir;
    auto writer = fulltext::open_writable(dir.path());
    writer.put(1, mail("early", utc(2024, 1, 1)), 1, {});
    writer.commit();
    const auto reader = fulltext::open_readonly(dir.path());
    writer.put(2, mail("late", utc(2024, 1, 2)), 1, {});
    EXPECT_EQ(find(reader, "late"), ids{}); // not committed yet
    writer.commit();
    EXPECT_EQ(find(reader, "late"), ids{2});
    EXPECT_EQ(reader.last_document(), 2);
}

TEST(fulltext, open_writable_creates_missing_folders) {
    const temp_dir dir;
    const auto nested = dir.path() / "archive" / "index";
    auto index = fulltext::open_writable(nested);
    EXPECT_EQ(index.document_count(), 0U);
    EXPECT_EQ(index.last_document(), 0);
    EXPECT_EQ(find(index, ""), ids{});
}

TEST(fulltext, open_readonly_of_a_missing_index_is_an_io_error) {
    const temp_dir dir;
    const auto missing = dir.path() / "no-index";
    try {
        (void)fulltext::open_readonly(missing);
        FAIL() << "opened a missing index";
    } catch (const index::io_error& e) {
        EXPECT_EQ(e.path(), missing);
    }
    // A folder that is not a Xapian database: Xapian's error, translated.
    EXPECT_THROW((void)fulltext::open_readonly(dir.path()), index::io_error);
}

TEST(fulltext, a_second_writer_is_an_io_error) {
    const temp_dir dir;
    auto first = fulltext::open_writable(dir.path());
    try {
        (void)fulltext::open_writable(dir.path());
        FAIL() << "two writers on one index";
    } catch (const index::io_error& e) {
        EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
    }
}

TEST(fulltext, open_writable_over_a_file_is_an_io_error) {
    const temp_dir dir;
    const auto file = dir.path() / "plain-file";
    std::ofstream(file) << "not a folder";
    EXPECT_THROW((void)fulltext::open_writable(file), index::io_error);
}

TEST(fulltext, bad_query_is_a_query_error) {
    const temp_dir dir;
    auto index = fulltext::open_writable(dir.path());
    EXPECT_THROW((void)index.search("date:2024-99", {}), index::query_error);
    EXPECT_THROW((void)index.count("size:huge.."), index::query_error);
    // Xapian itself forgives most syntax (an unbalanced quote or parenthesis
    // is closed for you); those are ordinary queries.
    EXPECT_NO_THROW((void)index.search("subject:\"open quote", {}));
    EXPECT_NO_THROW((void)index.search("(a OR b", {}));
}

TEST(fulltext, ids_outside_xapians_docid_range_are_refused) {
    const temp_dir dir;
    auto index = fulltext::open_writable(dir.path());
    EXPECT_THROW(index.put(0, mail("x", 0), 1, {}), std::out_of_range);
    EXPECT_THROW(index.put(message_key{1} << 32, mail("x", 0), 1, {}), std::out_of_range);
}

TEST(fulltext, a_read_only_index_refuses_writes) {
    const temp_dir dir;
    fulltext::open_writable(dir.path()).commit();
    auto index = fulltext::open_readonly(dir.path());
    EXPECT_THROW(index.put(1, mail("x", 0), 1, {}), std::logic_error);
    EXPECT_THROW(index.commit(), std::logic_error);
}

TEST(fulltext, moved_from_objects_hand_over_the_database) {
    const temp_dir dir;
    auto a = fulltext::open_writable(dir.path());
    a.put(1, mail("moved", utc(2024, 1, 1)), 1, {});
    fulltext b = std::move(a);
    b.commit();
    EXPECT_EQ(find(b, "moved"), ids{1});
}

} // namespace
} // namespace cairn::test
