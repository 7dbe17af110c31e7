// The document builder (indexer/src/fulltext/document_builder.cpp), seen through
// the index it writes: each test puts a record through fulltext::put and reads
// the stored document back with Xapian, comparing term lists in their canonical
// text form (sorted, space-separated) as Xapian's own test suite does.
#include "indexer/fulltext_testing.hpp"

#include <indexer/fields.hpp>
#include <indexer/fulltext.hpp>

#include <gtest/gtest.h>
#include <xapian.h>

#include <string>
#include <vector>

namespace cairn::test {
namespace {

using index::fulltext;
using index::message_record;
namespace fields = index::fields;

message_record sample() {
    message_record r;
    r.size = 1234;
    r.message_id = "m1@ex.org";
    r.date = utc(2024, 1, 2, 3, 4, 5);
    r.subject = "Meetings";
    r.from = addr("Ann Lee", "ann@ex.org");
    r.to = {addr("Bob", "bob@ex.org")};
    r.cc = {addr("", "cy@ex.org")};
    r.body_text = "会議 plans";
    r.attachments = {attachment("Q1 Report.pdf", "application/pdf")};
    r.mime_types = {"text/plain", "application/pdf"};
    return r;
}

// Builds one document (id 1) in a fresh index and hands back the database.
class built {
public:
    explicit built(const message_record& r, index::thread_key thread = 7,
                   const std::vector<index::envelope>& sources = {
                       found_in("Inbox", "Inbox/cur/1:2,S")}) {
        auto index = fulltext::open_writable(dir_.path());
        index.put(1, r, thread, sources);
        index.commit();
        db_ = Xapian::Database(dir_.path().string());
    }

    const Xapian::Database& db() const { return db_; }

    std::string terms(const std::string& prefix) const { return terms_with(db_, 1, prefix); }

    std::vector<Xapian::termpos> positions(const std::string& term) const {
        return {db_.positionlist_begin(1, term), db_.positionlist_end(1, term)};
    }

private:
    temp_dir dir_;
    Xapian::Database db_;
};

TEST(document_builder, canonical_term_list_of_a_sample) {
    const built b(sample());
    // Read as: exact terms (G thread, P path, Q id, XFOLDER:, XHAS, XMIMETYPE,
    // the whole attachment name), then words per prefix with their "Z" stems,
    // the unprefixed copies of from/to/cc/subject/attachment (not the body), and
    // the CJK unigrams and bigram of 会議 under XBODY.
    EXPECT_EQ(term_string(b.db(), 1),
              "G7 PInbox/cur/1:2,S Qm1@ex.org "
              "XATTACHMENTpdf XATTACHMENTq1 XATTACHMENTq1 report.pdf XATTACHMENTreport "
              "XBODYplans XBODY会 XBODY会議 XBODY議 "
              "XCCcy XCCex XCCorg XFOLDER:Inbox XFROMann XFROMex XFROMlee XFROMorg "
              "XHASattachment XMIMETYPEapplication XMIMETYPEapplication/pdf XMIMETYPEtext "
              "XMIMETYPEtext/plain XSUBJECTmeetings XTObob XTOcy XTOex XTOorg "
              "ZXATTACHMENTpdf ZXATTACHMENTq1 ZXATTACHMENTreport "
              "ZXBODYplan ZXBODY会 ZXBODY会議 ZXBODY議 "
              "ZXCCcy ZXCCex ZXCCorg ZXFROMann ZXFROMex ZXFROMlee ZXFROMorg ZXSUBJECTmeet "
              "ZXTObob ZXTOcy ZXTOex ZXTOorg "
              "Zann Zbob Zcy Zex Zlee Zmeet Zorg Zpdf Zq1 Zreport "
              "ann bob cy ex lee meetings org pdf q1 report");
}

TEST(document_builder, values_hold_date_and_size) {
    const built b(sample());
    const auto doc = b.db().get_document(1);
    EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(fields::date_slot)),
              static_cast<double>(utc(2024, 1, 2, 3, 4, 5)));
    EXPECT_EQ(Xapian::sortable_unserialise(doc.get_value(fields::size_slot)), 1234.0);
}

TEST(document_builder, optional_parts_leave_no_terms_or_values) {
    message_record r;
    r.size = 10;
    r.subject = "plain";
    index::envelope smtp;
    smtp.kind = index::source_kind::smtp;
    const built b(r, 0, {smtp});
    // No date value, no thread (0), no folder for an SMTP delivery, no has:.
    EXPECT_EQ(term_string(b.db(), 1), "XSUBJECTplain ZXSUBJECTplain Zplain plain");
    EXPECT_TRUE(b.db().get_document(1).get_value(fields::date_slot).empty());
}

TEST(document_builder, bcc_goes_to_bcc_and_to_only) {
    message_record r;
    r.bcc = {addr("Dee", "dee@x.test")};
    const built b(r, 0, {});
    EXPECT_EQ(term_string(b.db(), 1),
              "XBCCdee XBCCtest XBCCx XTOdee XTOtest XTOx ZXBCCdee ZXBCCtest ZXBCCx "
              "ZXTOdee ZXTOtest ZXTOx Zdee Ztest Zx dee test x");
}

// Xapian refuses a term over 245 bytes (notmuch's NOTMUCH_TERM_MAX): an
// over-long exact value is dropped, the rest of the document is kept.
TEST(document_builder, terms_over_245_bytes_are_dropped) {
    message_record r = sample();
    const std::string long_id(fields::max_term_bytes, 'i');  // "Q" + 245 bytes = 246
    const std::string fits(fields::max_term_bytes - 1, 'p'); // "P" + 244 = 245
    r.message_id = long_id;
    r.attachments = {attachment(std::string(300, 'a') + ".pdf", "application/pdf")};
    r.body_text = std::string(300, 'w') + " short";
    const built b(r, 7, {found_in("Inbox", fits)});
    EXPECT_EQ(b.terms("Q"), "");
    EXPECT_EQ(b.terms("P"), "P" + fits);
    EXPECT_EQ(b.terms("XATTACHMENT"), "XATTACHMENTpdf"); // the 300-byte word is skipped too
    EXPECT_EQ(b.terms("XBODY"), "XBODYshort");
    for (auto t = b.db().allterms_begin(); t != b.db().allterms_end(); ++t) {
        EXPECT_LE((*t).size(), fields::max_term_bytes) << *t;
    }
}

// Fields are field_gap positions apart so a phrase cannot run from one into
// the next; the unprefixed copy shares the prefixed term's positions.
TEST(document_builder, positions_leave_gaps_between_fields) {
    const built b(sample());
    // "Ann Lee" then "ann@ex.org": Ann=1 Lee=2 ann=3 ex=4 org=5.
    EXPECT_EQ(b.positions("XFROMann"), (std::vector<Xapian::termpos>{1, 3}));
    EXPECT_EQ(b.positions("ann"), b.positions("XFROMann"));
    EXPECT_EQ(b.positions("XFROMorg"), (std::vector<Xapian::termpos>{5}));
    // The To run starts a gap later: "Bob" and "bob@…".
    EXPECT_EQ(b.positions("XTObob"),
              (std::vector<Xapian::termpos>{5 + fields::field_gap + 1, 5 + fields::field_gap + 2}));
    const auto meetings = b.positions("XSUBJECTmeetings");
    ASSERT_EQ(meetings.size(), 1U);
    EXPECT_GE(meetings.front(), b.positions("XCCorg").front() + fields::field_gap);
    EXPECT_TRUE(b.positions("Zmeet").empty()); // stems carry no positions (STEM_SOME)
}

TEST(document_builder, words_are_lowercased_and_accents_kept) {
    message_record r;
    r.subject = "Café DÉJÀ";
    const built b(r, 0, {});
    EXPECT_EQ(b.terms("XSUBJECT"), "XSUBJECTcafé XSUBJECTdéjà");
}

TEST(document_builder, folder_of_the_root_is_an_empty_value) {
    const built b(message_record{}, 0, {found_in("", "loose.eml", index::source_kind::file)});
    EXPECT_EQ(b.terms("XFOLDER:"), "XFOLDER:");
    EXPECT_EQ(b.terms("P"), "Ploose.eml");
}

} // namespace
} // namespace cairn::test
