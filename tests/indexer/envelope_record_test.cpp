// Envelope records: every field comes back, and anything that is not exactly
// one record of this version is refused rather than half-read.
#include <indexer/envelope_record.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace cairn::index; // NOLINT(google-build-using-namespace): the unit under test

envelope_record full_record() {
    envelope_record r;
    r.message = content_hash::of("the message");
    envelope& env = r.env;
    env.kind = source_kind::lmtp;
    env.path = std::string("queue\0id\xff", 10);
    env.offset = 0x0102030405060708ULL;
    env.folder = "Inbox/2024";
    env.flags = "FS";
    env.mtime = -5;
    env.file_size = 1ULL << 40;
    env.client_address = "[2001:db8::1]:25";
    env.helo = "mx.example";
    env.mail_from = "";
    env.rcpt_to = {"a@example.org", "", "b@\xc3\xa9xample.org"};
    env.tls = true;
    env.received_at = -1;
    return r;
}

TEST(envelope_record, every_field_round_trips) {
    const envelope_record in = full_record();
    const auto out = decode_envelope_record(encode_envelope_record(in));
    ASSERT_TRUE(out);
    EXPECT_EQ(out->message, in.message);
    EXPECT_EQ(out->env.kind, in.env.kind);
    EXPECT_EQ(out->env.path, in.env.path);
    EXPECT_EQ(out->env.offset, in.env.offset);
    EXPECT_EQ(out->env.folder, in.env.folder);
    EXPECT_EQ(out->env.flags, in.env.flags);
    EXPECT_EQ(out->env.mtime, in.env.mtime);
    EXPECT_EQ(out->env.file_size, in.env.file_size);
    EXPECT_EQ(out->env.client_address, in.env.client_address);
    EXPECT_EQ(out->env.helo, in.env.helo);
    EXPECT_EQ(out->env.mail_from, in.env.mail_from);
    EXPECT_EQ(out->env.rcpt_to, in.env.rcpt_to);
    EXPECT_EQ(out->env.tls, in.env.tls);
    EXPECT_EQ(out->env.received_at, in.env.received_at);
}

TEST(envelope_record, an_empty_envelope_round_trips) {
    const envelope_record in{content_hash::of(""), envelope{}};
    const auto out = decode_envelope_record(encode_envelope_record(in));
    ASSERT_TRUE(out);
    EXPECT_EQ(out->message, in.message);
    EXPECT_EQ(out->env.kind, source_kind::file);
    EXPECT_TRUE(out->env.rcpt_to.empty());
    EXPECT_FALSE(out->env.tls);
}

TEST(envelope_record, every_shorter_or_longer_record_is_refused) {
    const std::string bytes = encode_envelope_record(full_record());
    for (std::size_t length = 0; length < bytes.size(); ++length) {
        EXPECT_FALSE(decode_envelope_record(bytes.substr(0, length))) << "length " << length;
    }
    EXPECT_FALSE(decode_envelope_record(bytes + '\0'));
}

TEST(envelope_record, unknown_version_kind_or_tls_value_is_refused) {
    const std::string bytes = encode_envelope_record(full_record());
    const auto with = [&](std::size_t at, char value) {
        std::string changed = bytes;
        changed[at] = value;
        return decode_envelope_record(changed);
    };
    EXPECT_FALSE(with(0, 2));  // version
    EXPECT_FALSE(with(33, 5)); // source kind past lmtp
    EXPECT_FALSE(with(34, 2)); // tls is 0 or 1
    EXPECT_TRUE(with(33, 0));  // a file source is a valid kind
}

TEST(envelope_record, a_huge_recipient_count_is_refused_without_allocating_it) {
    std::string bytes = encode_envelope_record(envelope_record{content_hash::of("m"), envelope{}});
    bytes.replace(bytes.size() - 4, 4, "\xff\xff\xff\x7f");
    EXPECT_FALSE(decode_envelope_record(bytes));
}

} // namespace
