// make_record: what one walk over a parsed message gives the catalog and the
// index — headers decoded, attachments measured and hashed, and the body text
// with every text part, attached messages' included.
#include <indexer/record.hpp>
#include <mime/message.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace cairn;

index::message_record record_of(const std::string& raw) {
    return index::make_record(mime::parse(std::string_view(raw)), index::content_hash::of(raw));
}

std::string alternative(const std::string& plain, const std::string& html) {
    return "From: A <a@example.com>\r\nSubject: alt\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/alternative; boundary=b\r\n\r\n"
           "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
           plain + "\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html +
           "\r\n--b--\r\n";
}

bool has_word(const index::message_record& r, const char* word) {
    return r.body_text.find(word) != std::string::npos;
}

// Every alternative is indexed: the HTML one often holds words the plain one
// lacks (footers, signatures, a newsletter behind a "view in browser" stub).
TEST(record_body, indexes_every_alternative) {
    const auto r = record_of(alternative(
        "Quarterly numbers attached.", "<p>Quarterly numbers <b>attached</b>.</p><p>htmlonly</p>"));
    EXPECT_TRUE(has_word(r, "Quarterly numbers attached."));
    EXPECT_TRUE(has_word(r, "htmlonly")) << r.body_text;
}

TEST(record_body, indexes_html_when_it_is_the_only_text) {
    const auto r = record_of("Subject: h\r\nContent-Type: text/html\r\n\r\n"
                             "<p>only&nbsp;html &amp; entities</p><script>skipme()</script>\r\n");
    EXPECT_TRUE(has_word(r, "html & entities")) << r.body_text;
    EXPECT_FALSE(has_word(r, "skipme"));
}

TEST(record_body, keeps_every_text_part_outside_alternatives) {
    const auto r =
        record_of("Subject: m\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
                  "--m\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
                  "--m\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\n\r\n"
                  "second part\r\n--m--\r\n");
    EXPECT_TRUE(has_word(r, "first part"));
    EXPECT_TRUE(has_word(r, "second part"));
}

TEST(record_body, text_inside_a_forwarded_message_is_indexed) {
    const std::string inner = alternative("inner plain", "<p>inner plain</p><p>innerhtml</p>");
    const auto r = record_of("Subject: fwd\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n"
                             "--o\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
                             "--o\r\nContent-Type: message/rfc822\r\n\r\n" +
                             inner + "\r\n--o--\r\n");
    EXPECT_TRUE(has_word(r, "see below"));
    EXPECT_TRUE(has_word(r, "inner plain"));
    EXPECT_TRUE(has_word(r, "innerhtml")) << r.body_text;
}

TEST(record_body, text_is_capped_and_later_parts_get_the_rest) {
    // 4 MiB of text are indexed per message (record.cpp): a 6 MiB body gives
    // its first 4 MiB, and a text part after it gives nothing.
    const std::string big(6u << 20, 'w');
    const auto r =
        record_of("Subject: big\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
                  "--m\r\nContent-Type: text/plain\r\n\r\n" +
                  big + "\r\n--m\r\nContent-Type: text/plain\r\n\r\nafterword\r\n--m--\r\n");
    EXPECT_EQ(r.body_text.size(), 4u << 20);
    EXPECT_FALSE(has_word(r, "afterword"));
}

TEST(record_fields, headers_attachments_and_ids) {
    const std::string raw =
        "From: =?utf-8?q?Jos=C3=A9?= <jose@example.es>\r\nTo: a@x.org, B <b@x.org>\r\n"
        "Subject: =?utf-8?b?0J/RgNC40LLQtdGC?=\r\nMessage-ID: <m1@x>\r\n"
        "In-Reply-To: <p0@x>\r\nReferences: <r1@x> <p0@x>\r\n"
        "Date: Mon, 15 Jan 2024 18:38:12 +0800\r\n"
        "Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\n"
        "Content-Type: text/plain\r\n\r\nhello\r\n--z\r\n"
        "Content-Type: application/pdf; name=\"r.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename=\"r.pdf\"\r\n\r\nJVBERi0=\r\n--z--\r\n";
    const auto r = record_of(raw);
    EXPECT_EQ(r.from.name, "José");
    EXPECT_EQ(r.from.address, "jose@example.es");
    ASSERT_EQ(r.to.size(), 2u);
    EXPECT_EQ(r.to[1].name, "B");
    EXPECT_EQ(r.subject, "Привет");
    EXPECT_EQ(r.message_id, "m1@x");
    EXPECT_EQ(r.in_reply_to, "p0@x");
    EXPECT_EQ(r.references, (std::vector<std::string>{"r1@x", "p0@x"}));
    ASSERT_TRUE(r.date);
    EXPECT_EQ(*r.date, 1705315092);
    EXPECT_EQ(r.date_offset_minutes, 480);
    EXPECT_EQ(r.size, raw.size());
    ASSERT_EQ(r.attachments.size(), 1u);
    EXPECT_EQ(r.attachments[0].filename, "r.pdf");
    EXPECT_EQ(r.attachments[0].mime_type, "application/pdf");
    EXPECT_EQ(r.attachments[0].size, 5u); // "%PDF-"
    EXPECT_EQ(r.attachments[0].sha256, index::content_hash::of("%PDF-").hex());
    EXPECT_EQ(r.mime_types, (std::vector<std::string>{"text/plain", "application/pdf"}));
    EXPECT_EQ(r.body_text, "hello");
}

} // namespace
