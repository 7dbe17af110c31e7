// The query language (indexer/src/fulltext/query_builder.cpp, value_ranges.cpp)
// against a small hand-made archive of 15 messages: each row is a query and the
// message ids it must return, in order. "now" is fixed at 2024-06-15 12:00 UTC
// so relative dates are reproducible.
#include "indexer/fulltext_testing.hpp"

#include <indexer/fulltext.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace cairn::test {
namespace {

using index::fulltext;
using index::message_key;
using index::message_record;
using index::search_options;
using index::sort_order;

const std::int64_t now = utc(2024, 6, 15, 12);

struct mail {
    message_key id;
    std::optional<std::int64_t> date;
    index::address_entry from;
    std::string subject, body;
    std::uint64_t size;
    index::thread_key thread;
    std::string message_id;
    std::vector<index::attachment_entry> attachments = {};
    std::vector<index::envelope> sources = {};
    std::vector<index::address_entry> to = {}, cc = {}, bcc = {};
};

const auto alice = addr("Alice Smith", "alice@example.com");
const auto bob = addr("Bob Jones", "bob@example.org");
const auto carol = addr("Carol", "carol@corp.test");

std::vector<mail> archive() {
    return {
        {1,
         utc(2023, 1, 10, 9),
         alice,
         "Project kickoff",
         "Let us schedule the meetings for next week.",
         2000,
         100,
         "kickoff-1@example.com",
         {},
         {found_in("Inbox", "Inbox/cur/1:2,S")},
         {bob}},
        {2,
         utc(2023, 6, 1, 10),
         bob,
         "Re: Project kickoff",
         "I agree, the meeting is fine. Quarterly report attached.",
         150000,
         100,
         "abc+def@example.com",
         {attachment("Q2 report.pdf", "application/pdf")},
         {found_in("Inbox", "Inbox/cur/2:2,S")},
         {addr("Alice", "alice@example.com")},
         {carol}},
        {3,
         utc(2023, 12, 31, 23),
         carol,
         "Year end",
         "Happy new year",
         5000,
         101,
         "ye@corp.test",
         {},
         {found_in("Archive/2023", "Archive/2023/cur/3")},
         {},
         {},
         {addr("", "dave@secret.test")}},
        {4,
         utc(2024, 1, 1, 0, 30),
         addr("田中", "tanaka@example.jp"),
         "新年会議のお知らせ",
         "定例会議は月曜日です",
         8000,
         102,
         "jp1@example.jp",
         {},
         {found_in("Archive/2024", "Archive/2024/cur/4")}},
        {5,
         utc(2024, 2, 29, 12),
         alice,
         "Leap day invoice",
         "invoice number 42 attached",
         3 * 1024 * 1024,
         103,
         "inv@example.com",
         {attachment("invoice-0229.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}},
        {6, utc(2024, 3, 15, 10), bob, "Budget", "budget figures: the quarterly report",
         1024 * 1024, 104, ""},
        {7, utc(2024, 3, 31, 23, 59, 59), addr("Eve", "eve@evil.test"), "Phishing attempt",
         "click here", 10 * 1024, 105, ""},
        {8, utc(2024, 4, 1), alice, "April plans", "spring meeting notes", 20000, 106, ""},
        {9,
         utc(2024, 6, 2),
         bob,
         "Image",
         "see picture",
         500000,
         107,
         "",
         {attachment("photo.JPG", "image/jpeg")}},
        {10, utc(2024, 6, 9, 12), alice, "Weekly sync", "notes from the weekly sync", 100, 108, ""},
        {11, utc(2024, 6, 14, 9), bob, "Yesterday's news", "old news; sync later", 300, 108, ""},
        {12, utc(2024, 6, 15, 8), carol, "Today", "fresh", 400, 109, ""},
        {13, std::nullopt, {}, "Undated", "mystery message", 50, 110, ""},
        {14,
         utc(2022, 5, 5),
         {},
         "Old thing",
         "ancient",
         700,
         111,
         std::string(300, 'x'),
         {},
         {found_in("Old", std::string(300, 'p'))}},
        {15,
         utc(2024, 5, 20),
         addr("Pat O'Brien", "pat@example.net"),
         "Café déjà vu",
         "Naïve résumé",
         900,
         112,
         "",
         {},
         {found_in("", "loose.eml", index::source_kind::file)}},
    };
}

message_record record_of(const mail& m) {
    message_record r;
    r.size = m.size;
    r.message_id = m.message_id;
    r.date = m.date;
    r.subject = m.subject;
    r.from = m.from;
    r.to = m.to;
    r.cc = m.cc;
    r.bcc = m.bcc;
    r.body_text = m.body;
    r.attachments = m.attachments;
    r.mime_types = {"text/plain"};
    for (const auto& a : m.attachments) {
        r.mime_types.push_back(a.mime_type);
    }
    return r;
}

struct row {
    std::string query;
    std::vector<message_key> ids;
    sort_order sort = sort_order::newest_first;
    std::uint64_t offset = 0;
    std::uint64_t limit = 50;

    friend std::ostream& operator<<(std::ostream& out, const row& r) { return out << r.query; }
};

using ids = std::vector<message_key>;
const ids everything{12, 11, 10, 9, 15, 8, 7, 6, 5, 4, 3, 2, 1, 14, 13};
const ids from_alice{10, 8, 5, 1};

const row rows[] = {
    // everything; an undated message sorts after every dated one
    {"", everything},
    {"*", everything},
    {"  ", everything},
    // from: name, address, local part, domain, phrase
    {"from:alice", from_alice},
    {"from:example.com", from_alice},
    {"from:alice@example.com", from_alice},
    {"from:\"alice smith\"", from_alice},
    {"from:o'brien", {15}},
    // to: is To + Cc + Bcc (notmuch); cc: and bcc: are their own
    {"to:alice", {2}},
    {"to:carol", {2}},
    {"cc:carol", {2}},
    {"cc:alice", {}},
    {"bcc:dave", {3}},
    {"to:dave", {3}},
    // subject: and body: are separate; bare words search both
    {"subject:kickoff", {2, 1}},
    {"body:kickoff", {}},
    {"kickoff", {2, 1}},
    {"body:invoice", {5}},
    {"invoice", {5}},
    // attachment names, as words and phrases; bare words find them too
    {"attachment:report", {2}},
    {"attachment:report.pdf", {2}},
    {"attachment:photo.jpg", {9}},
    {"attachment:invoice-0229.xlsx", {5}},
    {"report", {6, 2}},
    // stems: either form finds both
    {"meeting", {8, 2, 1}},
    {"meetings", {8, 2, 1}},
    // phrases, and the 100-position gap between From and To
    {"\"quarterly report\"", {6, 2}},
    {"\"report quarterly\"", {}},
    {"\"smith alice\"", from_alice},
    {"\"com bob\"", {}},
    // boolean operators, any case; love/hate; NOT alone
    {"quarterly AND budget", {6}},
    {"quarterly budget", {6}},
    {"budget OR phishing", {7, 6}},
    {"report NOT budget", {2}},
    {"report and budget", {6}},
    {"(budget OR invoice) AND figures", {6}},
    {"notes -spring", {10}},
    {"+notes +spring", {8}},
    {"NOT from:alice", {12, 11, 9, 15, 7, 6, 4, 3, 2, 14, 13}},
    // CJK: n-grams at index and query time find words inside unspaced text
    {"会議", {4}},
    {"定例", {4}},
    {"subject:会議", {4}},
    {"body:月曜日", {4}},
    {"body:新年", {}},
    // wildcards and non-ASCII words
    {"phish*", {7}},
    {"café", {15}},
    {"unknown:prefix", {}},
    // exact fields
    {"id:abc+def@example.com", {2}},
    {"id:\"abc+def@example.com\"", {2}},
    {"id:ABC+def@example.com", {}},
    {"id:kickoff-1@example.com", {1}},
    {"id:kickoff-1@example.com OR id:ye@corp.test", {3, 1}},
    {"thread:100", {2, 1}},
    {"thread:108", {11, 10}},
    {"mimetype:application/pdf", {2}},
    {"mimetype:application", {5, 2}},
    {"mimetype:IMAGE/JPEG", {9}},
    {"has:attachment", {9, 5, 2}},
    {"folder:Inbox", {2, 1}},
    {"folder:Archive/2023", {3}},
    {"folder:Archive/*", {4, 3}},
    {"folder:\"\"", {15}},
    {"path:loose.eml", {15}},
    {"path:Inbox/cur/*", {2, 1}},
    {"path:Inbox/**", {2, 1}}, // notmuch's spelling of "everything below"
    {"folder:Archive/**", {4, 3}},
    {"folder:Inbox AND from:bob", {2}},
    // dates: periods, ranges, open ranges, relative to now (2024-06-15 12:00 UTC)
    {"date:2023", {3, 2, 1}},
    {"date:2024-03", {7, 6}},
    {"date:2024-03-15", {6}},
    {"date:2024-03-31", {7}},
    {"date:2024-02-29", {5}},
    {"date:2024-01-01..2024-03-31", {7, 6, 5, 4}},
    {"date:2024-03..2024-03", {7, 6}},
    {"date:2024..", {12, 11, 10, 9, 15, 8, 7, 6, 5, 4}},
    {"date:..2023-12-31", {3, 2, 1, 14}},
    {"date:2024 from:alice", {10, 8, 5}},
    {"date:today", {12}},
    {"date:yesterday", {11}},
    {"date:12h..", {12}},
    {"date:7d..", {12, 11, 10}},
    {"date:6d..", {12, 11, 10}}, // exactly 6 days ago: ranges are inclusive
    {"date:7d", {12, 11, 10}},
    {"date:2w..", {12, 11, 10, 9}},
    {"date:3m..", {12, 11, 10, 9, 15, 8, 7}}, // from 2024-03-15 12:00
    {"date:1y..", {12, 11, 10, 9, 15, 8, 7, 6, 5, 4, 3}},
    {"date:..1y", {2, 1, 14}},
    {"date:1y..3m", {6, 5, 4, 3}},
    // sizes, 1024-based, inclusive
    {"size:1M..", {6, 5}},
    {"size:..100k", {12, 11, 10, 15, 8, 7, 4, 3, 1, 14, 13}},
    {"size:10k..2M", {9, 8, 7, 6, 2}},
    {"size:10k", {7}},
    {"size:1.5k..3kb", {1}},
    // sort orders, offset and limit
    {"from:alice", {1, 5, 8, 10}, sort_order::oldest_first},
    {"sync", {11, 10}},
    {"sync", {10, 11}, sort_order::relevance}, // 10 has it in subject and body
    {"", {10, 9, 15}, sort_order::newest_first, 2, 3},
    {"", {13, 14, 1}, sort_order::oldest_first, 0, 3},
    {"from:alice", {}, sort_order::newest_first, 10, 5},
};

class query_test : public testing::TestWithParam<row> {
protected:
    static void SetUpTestSuite() {
        dir_ = std::make_unique<temp_dir>();
        {
            auto writer = fulltext::open_writable(dir_->path());
            for (const auto& m : archive()) {
                writer.put(m.id, record_of(m), m.thread, m.sources);
            }
            writer.commit();
        }
        index_ = std::make_unique<fulltext>(fulltext::open_readonly(dir_->path()));
    }

    static void TearDownTestSuite() {
        index_.reset();
        dir_.reset();
    }

    static std::unique_ptr<temp_dir> dir_;
    static std::unique_ptr<fulltext> index_;
};

std::unique_ptr<temp_dir> query_test::dir_;
std::unique_ptr<fulltext> query_test::index_;

TEST_P(query_test, returns_the_expected_ids_in_order) {
    const row& r = GetParam();
    search_options options;
    options.sort = r.sort;
    options.offset = r.offset;
    options.limit = r.limit;
    options.now = now;
    const auto hits = index_->search(r.query, options);
    EXPECT_EQ(hits.ids, r.ids);
    if (r.offset == 0 && r.limit >= 50) {
        EXPECT_EQ(hits.total, r.ids.size());
    }
}

INSTANTIATE_TEST_SUITE_P(rows, query_test, testing::ValuesIn(rows));

TEST_F(query_test, total_counts_every_match_beyond_the_page) {
    search_options options;
    options.limit = 2;
    options.offset = 1;
    const auto hits = index_->search("", options);
    EXPECT_EQ(hits.ids, (ids{11, 10}));
    EXPECT_EQ(hits.total, 15U);
}

TEST_F(query_test, count_is_exact) {
    EXPECT_EQ(index_->count(""), 15U);
    EXPECT_EQ(index_->count("from:alice"), 4U);
    EXPECT_EQ(index_->count("has:attachment OR date:2023"), 5U);
    EXPECT_EQ(index_->count("nothing-matches-this"), 0U);
    EXPECT_EQ(index_->document_count(), 15U);
    EXPECT_EQ(index_->last_document(), 15);
}

// Values the date: and size: grammars cannot read are the user's mistake:
// query_error, whose message names the value and the accepted forms.
class bad_query : public query_test {};

const char* const bad_queries[] = {
    "date:2024-13",           // no month 13
    "date:2023-02-29",        // not a leap year
    "date:2024-1-5",          // two-digit month and day
    "date:soon",              //
    "date:2024-01-01..later", // a bad end
    "date:..20240",           //
    "date:7x..",              // unknown unit
    "size:12q",               //
    "size:..lots",            //
    "size:k",                 //
};

TEST_F(bad_query, is_a_query_error_naming_the_value) {
    for (const char* text : bad_queries) {
        try {
            (void)index_->search(text, {});
            ADD_FAILURE() << text << " was accepted";
        } catch (const index::query_error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find("expected"), std::string::npos) << what;
        }
        EXPECT_THROW((void)index_->count(text), index::query_error) << text;
    }
}

} // namespace
} // namespace cairn::test
