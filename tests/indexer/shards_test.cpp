// A sharded full-text index (indexer/src/fulltext/shard_layout.hpp): the
// layout on disk, catalog ids mapped onto the shards and back, writing shards
// on threads, compaction, and indexes in the one-database layout of archives
// made before shards.
#include "indexer/fulltext_testing.hpp"

#include <indexer/error.hpp>
#include <indexer/fulltext.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace cairn::test {
namespace {

namespace fs = std::filesystem;
using index::document_source;
using index::fulltext;
using index::message_key;
using index::message_record;
using ids = std::vector<message_key>;

message_record mail(const std::string& subject, const std::string& body = "") {
    message_record r;
    r.subject = subject;
    r.body_text = body;
    r.date = utc(2024, 3, 1);
    r.size = 100;
    return r;
}

std::string word(message_key id) {
    return "word" + std::string(1, static_cast<char>('a' + id));
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

ids find(const fulltext& index, const std::string& query) {
    return index.search(query, {}).ids;
}

TEST(shards, a_new_index_is_two_shards_that_keep_catalog_ids) {
    const temp_dir dir;
    {
        auto index = fulltext::open_writable(dir.path());
        EXPECT_EQ(index.shard_count(), 2U);
        for (message_key id = 1; id <= 9; ++id) {
            index.put(id, mail(word(id)), 0, {});
        }
        index.commit();
    }
    EXPECT_EQ(read_file(dir.path() / "XAPIANDB"), "glass 0\nglass 1\n");
    // Odd ids in the first shard, even ids in the second, numbered from 1 there.
    const Xapian::Database first((dir.path() / "0").string());
    const Xapian::Database second((dir.path() / "1").string());
    EXPECT_EQ(first.get_doccount(), 5U);
    EXPECT_EQ(second.get_doccount(), 4U);
    EXPECT_NE(term_string(second, 2).find("XSUBJECTword" + std::string(1, 'a' + 4)),
              std::string::npos)
        << "id 4 is the second document of the second shard";

    const auto index = fulltext::open_readonly(dir.path());
    EXPECT_EQ(index.document_count(), 9U);
    EXPECT_EQ(index.last_document(), 9);
    for (message_key id = 1; id <= 9; ++id) {
        EXPECT_EQ(find(index, "subject:" + word(id)), ids{id});
    }
    EXPECT_EQ(find(index, "date:2024").size(), 9U);
}

TEST(shards, put_all_on_threads_writes_what_put_writes) {
    const temp_dir one_by_one;
    const temp_dir side_by_side;
    std::vector<message_record> records;
    for (message_key id = 1; id <= 40; ++id) {
        records.push_back(mail(word(id % 7), "body of message " + std::to_string(id)));
    }
    const std::vector<index::envelope> sources{found_in("Inbox", "Inbox/cur/1")};
    std::vector<document_source> documents;
    for (message_key id = 1; id <= 40; ++id) {
        documents.push_back({id, &records[static_cast<std::size_t>(id - 1)], id % 5, &sources});
    }
    {
        auto index = fulltext::open_writable(one_by_one.path());
        for (const auto& doc : documents) {
            index.put(doc.id, *doc.record, doc.thread, *doc.sources);
        }
        index.commit();
    }
    {
        auto index = fulltext::open_writable(side_by_side.path());
        index.put_all(documents, 2);
        index.commit(2);
    }
    const Xapian::Database a(one_by_one.path().string());
    const Xapian::Database b(side_by_side.path().string());
    ASSERT_EQ(b.get_doccount(), 40U);
    for (Xapian::docid id = 1; id <= 40; ++id) {
        EXPECT_EQ(term_string(b, id), term_string(a, id)) << id;
    }
}

TEST(shards, compaction_keeps_the_shards_and_every_answer) {
    const temp_dir dir;
    const fs::path out = dir.path() / "compacted";
    auto index = fulltext::open_writable(dir.path() / "index");
    for (message_key id = 1; id <= 9; ++id) {
        index.put(id, mail(word(id)), 0, {});
    }
    index.compact_to(out, 2);
    EXPECT_EQ(read_file(out / "XAPIANDB"), "glass 0\nglass 1\n");
    const auto copy = fulltext::open_readonly(out);
    EXPECT_EQ(copy.shard_count(), 2U);
    for (message_key id = 1; id <= 9; ++id) {
        EXPECT_EQ(find(copy, "subject:" + word(id)), ids{id});
    }
}

TEST(shards, an_index_in_the_one_database_layout_stays_so) {
    const temp_dir dir;
    {
        // What cairn wrote before shards: the glass database is the folder.
        Xapian::WritableDatabase old(dir.path().string(), Xapian::DB_CREATE_OR_OPEN);
        Xapian::Document doc;
        doc.add_boolean_term("Qolder@example.org");
        old.replace_document(2, doc);
        old.commit();
    }
    {
        auto index = fulltext::open_writable(dir.path());
        EXPECT_EQ(index.shard_count(), 1U);
        index.put(5, mail("newer"), 0, {});
        index.compact_to(dir.path() / "compacted");
    }
    EXPECT_FALSE(fs::exists(dir.path() / "XAPIANDB"));
    EXPECT_TRUE(fs::exists(dir.path() / "compacted" / "iamglass"));
    const auto index = fulltext::open_readonly(dir.path() / "compacted");
    EXPECT_EQ(find(index, "id:older@example.org"), ids{2});
    EXPECT_EQ(find(index, "subject:newer"), ids{5});
}

TEST(shards, shards_whose_stub_was_never_written_are_opened_again) {
    // A crash after the shards were created and before the stub was renamed
    // into place: the next open keeps what the shards hold.
    const temp_dir dir;
    {
        auto index = fulltext::open_writable(dir.path());
        index.put(1, mail("kept"), 0, {});
        index.put(2, mail("also"), 0, {});
        index.commit();
    }
    fs::remove(dir.path() / "XAPIANDB");
    {
        auto index = fulltext::open_writable(dir.path());
        EXPECT_EQ(index.shard_count(), 2U);
    }
    const auto index = fulltext::open_readonly(dir.path());
    EXPECT_EQ(find(index, "subject:kept OR subject:also"), (ids{2, 1}));
}

TEST(shards, a_lost_shard_is_an_io_error_not_an_empty_shard) {
    const temp_dir dir;
    {
        auto index = fulltext::open_writable(dir.path());
        index.put(2, mail("second"), 0, {});
        index.commit();
    }
    fs::remove_all(dir.path() / "1");
    EXPECT_THROW((void)fulltext::open_writable(dir.path()), index::io_error);
    EXPECT_FALSE(fs::exists(dir.path() / "1")) << "the missing shard was made anew";
}

TEST(shards, a_stub_file_cairn_did_not_write_is_an_io_error) {
    const temp_dir dir;
    std::ofstream(dir.path() / "XAPIANDB") << "remote tcp example.org:33333\n";
    EXPECT_THROW((void)fulltext::open_writable(dir.path()), index::io_error);
}

TEST(shards, a_stub_line_shorter_than_its_backend_word_is_an_io_error) {
    const temp_dir dir;
    std::ofstream(dir.path() / "XAPIANDB") << "gl\n"; // cut off: no "glass " to strip
    EXPECT_THROW((void)fulltext::open_writable(dir.path()), index::io_error);
}

} // namespace
} // namespace cairn::test
