#include "indexer/catalog_testing.hpp"

#include <indexer/catalog.hpp>
#include <indexer/error.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <ctime>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using namespace cairn::test;  // NOLINT(google-build-using-namespace): catalog_testing.hpp

/// Runs one integer query on the file with SQLite directly, to look under the API.
std::int64_t raw_integer(const fs::path& file, const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

void raw_exec(const fs::path& file, const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

/// A record with every field set to something distinct.
message_record full_record() {
    message_record r = record("full", "full@example.org", "parent@example.org",
                              {"root@example.org", "parent@example.org"});
    r.size = 12345;
    r.date = 1700000000;
    r.date_offset_minutes = -330;
    r.subject = "Re: caf\xc3\xa9 \xe2\x80\x94 plans";
    r.from = {"Zo\xc3\xab Smith", "Zoe@Example.ORG"};
    r.to = {{"A", "a@x.org"}, {"", "b@x.org"}, {"C", "c@x.org"}};
    r.cc = {{"D", "d@x.org"}};
    r.bcc = {{"", "e@x.org"}, {"F", "f@x.org"}};
    r.reply_to = {{"List", "list@x.org"}};
    r.attachments = {{4, "z-report.pdf", "application/pdf", "attachment", 2048, "ab12"},
                     {2, "", "image/png", "inline", 10, "cd34"},
                     {7, "a.txt", "text/plain", "", 0, "ef56"}};
    r.defects = {"missing_boundary", "bare_lf", "missing_boundary"};
    return r;
}

// --- schema, reopen, migrations ----------------------------------------------------

TEST(catalog_schema, creates_version_1_in_wal_mode_and_reopens_without_migrating_again) {
    catalog_fixture f;
    {
        auto c = f.open();
        EXPECT_EQ(c.max_id(), 0);
        catalog::transaction t(c);
        (void)c.insert(record("one", "one@x"), where(1));
        t.commit();
    }
    EXPECT_EQ(raw_integer(f.file(), "PRAGMA user_version"), 1);
    EXPECT_EQ(raw_integer(f.file(), "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"), 9);
    EXPECT_EQ(raw_integer(f.file(), "SELECT count(*) FROM pragma_journal_mode WHERE "
                                    "journal_mode = 'wal'"),
              1);
    auto again = f.open();
    EXPECT_EQ(again.max_id(), 1);
    EXPECT_EQ(again.find_message_id("one@x"), 1);
}

TEST(catalog_schema, refuses_a_catalog_from_a_newer_version_with_the_path) {
    catalog_fixture f;
    { auto c = f.open(); }
    raw_exec(f.file(), "PRAGMA user_version = 99");
    try {
        (void)f.open();
        FAIL() << "opened a version 99 catalog";
    } catch (const io_error& e) {
        EXPECT_EQ(e.path(), f.file());
        EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
    }
}

TEST(catalog_schema, migrates_an_empty_version_0_file) {
    catalog_fixture f;
    raw_exec(f.file(), "CREATE TABLE unrelated (x)"); // exists, user_version still 0
    auto c = f.open();
    EXPECT_EQ(raw_integer(f.file(), "PRAGMA user_version"), 1);
    EXPECT_EQ(c.indexed_through(), 0);
}

TEST(catalog_schema, an_unopenable_path_is_an_io_error_naming_it) {
    catalog_fixture f;
    const auto bad = f.dir.path() / "no-such-folder" / "catalog.db";
    try {
        (void)catalog::open(bad);
        FAIL() << "opened " << bad;
    } catch (const io_error& e) {
        EXPECT_EQ(e.path(), bad);
        EXPECT_NE(std::string(e.what()).find(bad.string()), std::string::npos) << e.what();
    }
}

TEST(catalog_schema, a_file_that_is_not_a_database_is_an_io_error) {
    catalog_fixture f;
    {
        std::ofstream junk(f.file());
        junk << std::string(4096, 'x');
    }
    EXPECT_THROW((void)f.open(), io_error);
}

// --- insert / get round trip --------------------------------------------------------

TEST(catalog_insert, round_trips_every_field_of_the_row) {
    catalog_fixture f;
    auto c = f.open();
    const auto r = full_record();
    const location loc{3, 1 << 20, 5000, 1700};
    catalog::transaction t(c);
    const auto before = std::time(nullptr);
    const auto inserted = c.insert(r, loc);
    t.commit();
    EXPECT_EQ(inserted.id, 1);
    EXPECT_EQ(inserted.thread, 1);
    EXPECT_TRUE(inserted.rethreaded.empty());

    const auto row = c.get(inserted.id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->id, 1);
    EXPECT_EQ(row->hash, r.hash);
    EXPECT_EQ(row->where, loc);
    EXPECT_EQ(row->size, 12345U);
    EXPECT_EQ(row->message_id, "full@example.org");
    EXPECT_EQ(row->date, 1700000000);
    EXPECT_EQ(row->date_offset_minutes, -330);
    EXPECT_EQ(row->subject, r.subject);
    EXPECT_EQ(row->from.name, r.from.name);
    EXPECT_EQ(row->from.address, "Zoe@Example.ORG"); // as written
    EXPECT_EQ(row->in_reply_to, "parent@example.org");
    EXPECT_EQ(row->thread, inserted.thread);
    EXPECT_GE(row->added_at, before);
    EXPECT_LE(row->added_at, std::time(nullptr));
    EXPECT_FALSE(c.get(2));
}

TEST(catalog_insert, empty_fields_and_no_date_come_back_empty) {
    catalog_fixture f;
    auto c = f.open();
    const auto inserted = c.insert(record("bare"), where(0)); // outside a transaction too
    const auto row = c.get(inserted.id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->message_id, "");
    EXPECT_FALSE(row->date);
    EXPECT_EQ(row->subject, "");
    EXPECT_EQ(row->from.address, "");
    EXPECT_EQ(row->in_reply_to, "");
    EXPECT_TRUE(c.references(inserted.id).empty());
    EXPECT_TRUE(c.recipients(inserted.id, recipient_kind::to).empty());
    EXPECT_TRUE(c.attachments(inserted.id).empty());
    EXPECT_TRUE(c.defects(inserted.id).empty());
    EXPECT_TRUE(c.sources(inserted.id).empty());
}

TEST(catalog_insert, keeps_the_order_of_recipients_attachments_references_and_defects) {
    catalog_fixture f;
    auto c = f.open();
    const auto r = full_record();
    (void)c.insert(record("earlier"), where(0)); // so ids are not all 1
    const auto id = c.insert(r, where(1)).id;
    const auto same = [](const std::vector<address_entry>& a, const std::vector<address_entry>& b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i].name != b[i].name || a[i].address != b[i].address) {
                return false;
            }
        }
        return true;
    };
    EXPECT_TRUE(same(c.recipients(id, recipient_kind::to), r.to));
    EXPECT_TRUE(same(c.recipients(id, recipient_kind::cc), r.cc));
    EXPECT_TRUE(same(c.recipients(id, recipient_kind::bcc), r.bcc));
    EXPECT_TRUE(same(c.recipients(id, recipient_kind::reply_to), r.reply_to));
    EXPECT_EQ(c.references(id), r.references);
    EXPECT_EQ(c.defects(id), r.defects); // a repeated defect is kept twice
    const auto attachments = c.attachments(id);
    ASSERT_EQ(attachments.size(), 3U);
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(attachments[i].part, r.attachments[i].part);
        EXPECT_EQ(attachments[i].filename, r.attachments[i].filename);
        EXPECT_EQ(attachments[i].mime_type, r.attachments[i].mime_type);
        EXPECT_EQ(attachments[i].disposition, r.attachments[i].disposition);
        EXPECT_EQ(attachments[i].size, r.attachments[i].size);
        EXPECT_EQ(attachments[i].sha256, r.attachments[i].sha256);
    }
}

TEST(catalog_insert, a_duplicate_hash_throws_and_leaves_no_partial_rows_in_the_batch) {
    catalog_fixture f;
    auto c = f.open();
    catalog::transaction t(c);
    (void)c.insert(full_record(), where(0));
    auto twin = full_record();
    twin.message_id = "twin@x"; // would create a thread_ids row before failing
    twin.references = {"twin-parent@x"};
    EXPECT_THROW((void)c.insert(twin, where(1)), io_error);
    // The batch goes on: the failed insert left nothing behind.
    const auto next = c.insert(record("next", "next@x", "twin-parent@x"), where(2));
    t.commit();
    EXPECT_EQ(next.id, 2);
    EXPECT_FALSE(c.find_message_id("twin@x"));
    EXPECT_EQ(c.stats().messages, 2U);
    EXPECT_EQ(raw_integer(f.file(), "SELECT count(*) FROM recipients"), 7);
    EXPECT_EQ(raw_integer(f.file(), "SELECT count(*) FROM thread_ids WHERE message_id = 'twin@x'"),
              0);
}

// --- lookups ---------------------------------------------------------------------------

TEST(catalog_lookup, finds_by_hash_and_by_message_id_the_first_of_duplicates) {
    catalog_fixture f;
    auto c = f.open();
    const auto a = record("a", "same@x");
    const auto b = record("b", "same@x"); // same Message-ID, different bytes
    const auto d = record("d", "other@x");
    const auto id_a = c.insert(a, where(0)).id;
    const auto id_b = c.insert(b, where(1)).id;
    const auto id_d = c.insert(d, where(2)).id;
    EXPECT_EQ(c.find_hash(a.hash), id_a);
    EXPECT_EQ(c.find_hash(b.hash), id_b);
    EXPECT_EQ(c.find_hash(d.hash), id_d);
    EXPECT_FALSE(c.find_hash(content_hash::of("absent")));
    EXPECT_FALSE(c.find_hash(content_hash{}));
    EXPECT_EQ(c.find_message_id("same@x"), id_a);
    EXPECT_EQ(c.find_message_id("other@x"), id_d);
    EXPECT_FALSE(c.find_message_id("Other@x")); // Message-IDs compare exactly
    EXPECT_FALSE(c.find_message_id(""));
    EXPECT_EQ(c.max_id(), id_d);
}

// --- sources, file state, indexed_through ----------------------------------------------

TEST(catalog_sources, the_same_path_twice_is_one_source_with_refreshed_flags) {
    catalog_fixture f;
    auto c = f.open();
    const auto id = c.insert(record("m"), where(0)).id;
    envelope maildir;
    maildir.kind = source_kind::maildir;
    maildir.path = "Inbox/cur/1:2,S";
    maildir.folder = "Inbox";
    maildir.flags = "S";
    maildir.mtime = 100;
    maildir.file_size = 42;
    c.add_source(id, maildir);
    maildir.flags = "RS";
    maildir.mtime = 200;
    c.add_source(id, maildir);
    envelope mbox;
    mbox.kind = source_kind::mbox;
    mbox.path = "lists.mbox";
    c.add_source(id, mbox);
    mbox.offset = 9000; // same bytes twice in one mbox: two places
    c.add_source(id, mbox);
    c.add_source(id, mbox);

    const auto sources = c.sources(id);
    ASSERT_EQ(sources.size(), 3U);
    EXPECT_EQ(sources[0].kind, source_kind::maildir);
    EXPECT_EQ(sources[0].path, "Inbox/cur/1:2,S");
    EXPECT_EQ(sources[0].folder, "Inbox");
    EXPECT_EQ(sources[0].flags, "RS");
    EXPECT_EQ(sources[0].mtime, 200);
    EXPECT_EQ(sources[0].file_size, 42U);
    EXPECT_EQ(sources[1].offset, 0U);
    EXPECT_EQ(sources[2].offset, 9000U);
    EXPECT_EQ(sources[2].kind, source_kind::mbox);
}

TEST(catalog_sources, keeps_the_smtp_envelope) {
    catalog_fixture f;
    auto c = f.open();
    const auto id = c.insert(record("smtp"), where(0)).id;
    envelope smtp;
    smtp.kind = source_kind::lmtp;
    smtp.client_address = "[2001:db8::1]:5870";
    smtp.helo = "mx.example.org";
    smtp.mail_from = "bounce+x@example.org";
    smtp.rcpt_to = {"archive@x.org", "", "legal@x.org"};
    smtp.tls = true;
    smtp.received_at = 1700000123;
    c.add_source(id, smtp);
    envelope plain;
    plain.kind = source_kind::smtp;
    plain.rcpt_to = {"", "a@x"}; // a null first recipient is kept too
    const auto other = c.insert(record("plain"), where(1)).id;
    c.add_source(other, plain);

    const auto got = c.sources(id);
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].kind, source_kind::lmtp);
    EXPECT_EQ(got[0].path, "");
    EXPECT_EQ(got[0].client_address, smtp.client_address);
    EXPECT_EQ(got[0].helo, smtp.helo);
    EXPECT_EQ(got[0].mail_from, smtp.mail_from);
    EXPECT_EQ(got[0].rcpt_to, smtp.rcpt_to); // an empty recipient survives the join
    EXPECT_TRUE(got[0].tls);
    EXPECT_EQ(got[0].received_at, 1700000123);
    const auto got_plain = c.sources(other);
    ASSERT_EQ(got_plain.size(), 1U);
    EXPECT_FALSE(got_plain[0].tls);
    EXPECT_EQ(got_plain[0].rcpt_to, plain.rcpt_to);
}

TEST(catalog_files, remembers_and_updates_file_state) {
    catalog_fixture f;
    auto c = f.open();
    EXPECT_FALSE(c.file_state("a.mbox"));
    c.set_file_state("a.mbox", 1700000000, 1ULL << 33);
    c.set_file_state("b.eml", -5, 0);
    c.set_file_state("a.mbox", 1700000001, 77);
    EXPECT_EQ(c.file_state("a.mbox"), (std::pair<std::int64_t, std::uint64_t>{1700000001, 77}));
    EXPECT_EQ(c.file_state("b.eml"), (std::pair<std::int64_t, std::uint64_t>{-5, 0}));
    EXPECT_FALSE(c.file_state("A.mbox"));
}

TEST(catalog_meta, indexed_through_starts_at_0_and_survives_reopen) {
    catalog_fixture f;
    {
        auto c = f.open();
        EXPECT_EQ(c.indexed_through(), 0);
        c.set_indexed_through(500);
        c.set_indexed_through(1000);
        EXPECT_EQ(c.indexed_through(), 1000);
    }
    EXPECT_EQ(f.open().indexed_through(), 1000);
}

} // namespace
