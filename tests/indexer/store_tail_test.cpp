// Opening an archive for writing catalogues what the store holds past the
// catalog's catalogued_through. A power loss can take catalog commits (they
// are not synced) but not the store's synced records; restoring an older copy
// of catalog.db over a newer store is exactly that state.
#include "indexer/delivery_testing.hpp"
#include "support/temp_dir.hpp"

#include <indexer/archive.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test
using cairn::test::scratch_dir;
using cairn::test::smtp_envelope;

const char* const catalog_files[] = {"catalog.db", "catalog.db-wal", "catalog.db-shm"};

/// The archive's catalog files as they are now (the archive must be closed).
class catalog_snapshot {
public:
    explicit catalog_snapshot(const fs::path& archive_dir)
        : archive_(archive_dir) {
        for (const char* name : catalog_files) {
            if (fs::exists(archive_ / name)) {
                fs::copy_file(archive_ / name, saved_.path() / name);
            }
        }
    }

    /// Puts the saved files back: every catalog commit since is lost.
    void restore() const {
        for (const char* name : catalog_files) {
            fs::remove(archive_ / name);
            if (fs::exists(saved_.path() / name)) {
                fs::copy_file(saved_.path() / name, archive_ / name);
            }
        }
    }

private:
    fs::path archive_;
    scratch_dir saved_;
};

std::string mail(int n) {
    return cairn::test::numbered_mail(n, "zebracorn");
}

std::uint64_t hits(archive& a, const char* query) {
    search_options options;
    options.limit = 0;
    return a.text().search(query, options).total;
}

envelope lmtp_envelope() {
    envelope env = smtp_envelope("q2", "sender@example.net");
    env.kind = source_kind::lmtp;
    env.helo = "mta.example.net";
    env.rcpt_to = {"one@example.org"};
    env.tls = false;
    env.received_at = 1700000123;
    return env;
}

TEST(store_tail, deliveries_whose_catalog_commit_was_lost_come_back_with_their_envelopes) {
    scratch_dir dir;
    {
        auto a = archive::init(dir.path());
        (void)a.deliver(std::vector<delivery>{{mail(1), smtp_envelope("q1")}});
        a.index_pending();
    }
    const catalog_snapshot before(dir.path());
    message_key second = 0;
    {
        auto a = archive::open(dir.path(), true);
        const std::string m2 = mail(2);
        const std::string m1 = mail(1);
        const std::string m3 = mail(3);
        const auto results = a.deliver(std::vector<delivery>{
            {m2, lmtp_envelope()}, {m1, smtp_envelope("q3")}, {m3, smtp_envelope("q4")}});
        second = results[0].id;
        a.index_pending();
    }
    before.restore();
    {
        const auto stale = archive::open(dir.path(), false); // readers do not repair
        EXPECT_EQ(stale.resolve("id:m2@example.com"), std::nullopt);
    }

    auto a = archive::open(dir.path(), true);
    EXPECT_EQ(a.messages().max_id(), 3);
    const auto m2 = a.resolve("id:m2@example.com");
    ASSERT_TRUE(m2);
    EXPECT_EQ(*m2, second); // store order is catalogue order: the ids come back
    EXPECT_EQ(a.raw(*m2), mail(2));
    const auto sources = a.messages().sources(*m2);
    ASSERT_EQ(sources.size(), 1u);
    const envelope expected = lmtp_envelope();
    EXPECT_EQ(sources[0].kind, source_kind::lmtp);
    EXPECT_EQ(sources[0].path, "q2");
    EXPECT_EQ(sources[0].client_address, expected.client_address);
    EXPECT_EQ(sources[0].helo, "mta.example.net");
    EXPECT_EQ(sources[0].mail_from, "sender@example.net");
    EXPECT_EQ(sources[0].rcpt_to, expected.rcpt_to);
    EXPECT_FALSE(sources[0].tls);
    EXPECT_EQ(sources[0].received_at, 1700000123);
    // The second delivery of message 1 was a source of a message the old
    // catalog already had.
    const auto m1 = a.resolve("id:m1@example.com");
    ASSERT_TRUE(m1);
    EXPECT_EQ(a.messages().sources(*m1).size(), 2u);
    ASSERT_TRUE(a.resolve("id:m3@example.com"));
    EXPECT_EQ(hits(a, "zebracorn"), 3u);
    EXPECT_EQ(a.messages().catalogued_through(), a.store().end());
    EXPECT_TRUE(a.check().problems.empty());
}

TEST(store_tail, cataloguing_the_tail_twice_changes_nothing) {
    scratch_dir dir;
    {
        auto a = archive::init(dir.path());
        (void)a.deliver(std::vector<delivery>{{mail(1), smtp_envelope("q1")}});
    }
    const catalog_snapshot empty_catalog(dir.path());
    {
        auto a = archive::open(dir.path(), true);
        (void)a.deliver(
            std::vector<delivery>{{mail(2), smtp_envelope("q2")}, {mail(1), smtp_envelope("q3")}});
    }
    empty_catalog.restore();
    { auto first = archive::open(dir.path(), true); }
    empty_catalog.restore(); // and lost again before anything else was written
    { auto second = archive::open(dir.path(), true); }
    auto a = archive::open(dir.path(), true);
    EXPECT_EQ(a.messages().max_id(), 2);
    EXPECT_EQ(a.messages().sources(*a.resolve("id:m1@example.com")).size(), 2u);
    EXPECT_EQ(a.messages().sources(*a.resolve("id:m2@example.com")).size(), 1u);
    EXPECT_EQ(hits(a, "zebracorn"), 2u);
    EXPECT_TRUE(a.check().problems.empty());
}

// Files are not journaled: their messages come back without a source, and the
// next index run (which finds the files unread) adds it without storing again.
TEST(store_tail, file_messages_come_back_and_the_next_run_adds_their_sources) {
    scratch_dir dir;
    scratch_dir mail_dir;
    for (int n = 1; n <= 2; ++n) {
        std::ofstream(mail_dir.path() / (std::to_string(n) + ".eml"), std::ios::binary) << mail(n);
    }
    { auto a = archive::init(dir.path()); }
    const catalog_snapshot empty_catalog(dir.path());
    std::uint64_t records = 0;
    {
        auto a = archive::init(dir.path());
        EXPECT_EQ(a.index({mail_dir.path()}).totals.added, 2u);
        records = a.check().store_records;
    }
    empty_catalog.restore();
    auto a = archive::open(dir.path(), true);
    EXPECT_EQ(a.messages().max_id(), 2);
    EXPECT_TRUE(a.messages().sources(*a.resolve("id:m1@example.com")).empty());
    const auto again = a.index({mail_dir.path()});
    EXPECT_EQ(again.totals.added, 0u);
    EXPECT_EQ(again.totals.duplicates, 2u);
    EXPECT_EQ(a.messages().sources(*a.resolve("id:m1@example.com")).size(), 1u);
    EXPECT_EQ(a.check().store_records, records); // nothing stored twice
    EXPECT_EQ(hits(a, "zebracorn"), 2u);
}

} // namespace
