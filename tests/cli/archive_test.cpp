// End to end: `cairn init`, `cairn index samples/`, then real questions asked
// the way a user asks them, through the binary.
#include "support/run_command.hpp"
#include "support/test_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace {

namespace fs = std::filesystem;
using cairn::test::run_command;

class archive_cli : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("cairn-e2e-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        ASSERT_EQ(cairn({"init", archive_dir()}).status, 0);
        const auto indexed = cairn({"index", "--archive", archive_dir(),
                                    (cairn::test::source_dir() / "samples").string()});
        ASSERT_EQ(indexed.status, 0) << indexed.err;
        index_summary_ = indexed.out;
    }

    static void TearDownTestSuite() { fs::remove_all(dir_); }

    static std::string archive_dir() { return (dir_ / "archive").string(); }

    static cairn::test::command_result cairn(std::vector<std::string> args) {
        return run_command(CAIRN_BINARY, args);
    }

    // `cairn ARGS… --archive DIR`.
    static cairn::test::command_result in_archive(std::vector<std::string> args) {
        args.insert(args.begin() + 1, {"--archive", archive_dir()});
        return cairn(args);
    }

    static std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::size_t pos = 0;
        while (pos < text.size()) {
            const auto end = text.find('\n', pos);
            out.push_back(text.substr(pos, end - pos));
            pos = end == std::string::npos ? text.size() : end + 1;
        }
        return out;
    }

    static std::string one_id(const std::string& query) {
        const auto r = in_archive({"search", query, "--format", "ids"});
        EXPECT_EQ(r.status, 0) << query << ": " << r.err;
        const auto ids = lines(r.out);
        EXPECT_EQ(ids.size(), 1u) << query;
        return ids.empty() ? "" : ids.front();
    }

    static inline fs::path dir_;
    static inline std::string index_summary_;
};

TEST_F(archive_cli, every_sample_message_is_archived) {
    // 28 .eml files, 8 maildir messages and 6 mbox messages.
    const auto count = in_archive({"count"});
    ASSERT_EQ(count.status, 0) << count.err;
    EXPECT_EQ(std::stoi(count.out), 42) << index_summary_;
}

TEST_F(archive_cli, second_run_reads_nothing_again) {
    const auto again = cairn(
        {"index", "--archive", archive_dir(), (cairn::test::source_dir() / "samples").string()});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_NE(again.out.find(" 0 added"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("0 messages in 0 files"), std::string::npos) << again.out;
}

TEST_F(archive_cli, show_raw_is_byte_exact) {
    for (const auto& name : {"plain-ascii.eml", "attachments-rfc2231-japanese.eml",
                             "broken-8bit-latin1-headers.eml", "broken-bare-lf-body.eml"}) {
        const auto file = cairn::test::source_dir() / "samples" / "eml" / name;
        const auto original = cairn::test::read_file(file);
        const auto found = in_archive({"search", "path:" + file.string(), "--format", "ids"});
        ASSERT_EQ(found.status, 0) << name << ": " << found.err;
        const auto raw = in_archive({"show", lines(found.out).front(), "--raw"});
        ASSERT_EQ(raw.status, 0) << raw.err;
        EXPECT_EQ(raw.out, original) << name;
    }
}

TEST_F(archive_cli, search_by_sender_subject_and_words) {
    const auto r = in_archive({"search", "from:alice@example.com", "--format", "jsonl"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("Re: mbox import: keep byte offsets"), std::string::npos);
    EXPECT_EQ(in_archive({"search", "subject:Tagesordnung"}).status, 0); // RFC 2047 decoded
    EXPECT_EQ(in_archive({"search", "attachment:pdf"}).status, 0);
    EXPECT_EQ(in_archive({"search", "mimetype:application/pdf"}).status, 0);
    EXPECT_EQ(in_archive({"search", "has:attachment", "AND", "from:tanaka@example.jp"}).status, 0);
}

TEST_F(archive_cli, no_match_exits_one_bad_usage_two_not_an_archive_four) {
    EXPECT_EQ(in_archive({"search", "zzyzx-no-such-word-anywhere"}).status, 1);
    EXPECT_EQ(cairn({"search", "--no-such-flag"}).status, 2);
    const auto missing = cairn({"search", "--archive", (dir_ / "nowhere").string(), "x"});
    EXPECT_EQ(missing.status, 4);
    EXPECT_NE(missing.err.find("not a cairn archive"), std::string::npos) << missing.err;
}

TEST_F(archive_cli, a_bad_choice_is_refused_naming_the_choices) {
    const auto r = in_archive({"serve", "--smtp", "127.0.0.1:0", "--bare-lf", "strip"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("strip not in {keep,normalise,reject}"), std::string::npos) << r.err;
}

TEST_F(archive_cli, thread_shows_all_four_messages_as_a_chain) {
    const auto id = one_id("id:thread-4.reply@example.org");
    const auto t = in_archive({"thread", id});
    ASSERT_EQ(t.status, 0) << t.err;
    const auto rows = lines(t.out);
    ASSERT_EQ(rows.size(), 4u) << t.out;
    // Each reply is indented one step deeper than its parent.
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].find_first_not_of(' '), 2 * i) << rows[i];
    }
}

TEST_F(archive_cli, extract_writes_decoded_attachments_safely) {
    const auto id = one_id("id:CAF3x9Qe7-estimate@mail.example.jp");
    const auto out = dir_ / "extracted";
    const auto first = in_archive({"extract", id, "--to", out.string()});
    ASSERT_EQ(first.status, 0) << first.err;
    EXPECT_TRUE(fs::exists(out / "見積書_2024年1月.pdf")) << first.out;
    EXPECT_TRUE(fs::exists(out / "会議室の地図.png")) << first.out;
    EXPECT_EQ(cairn::test::read_file(out / "見積書_2024年1月.pdf").substr(0, 5), "%PDF-");
    // A second extraction never overwrites: it numbers.
    const auto second = in_archive({"extract", id, "--to", out.string(), "--name", "*.pdf"});
    ASSERT_EQ(second.status, 0) << second.err;
    EXPECT_TRUE(fs::exists(out / "見積書_2024年1月 (2).pdf")) << second.out;
    const auto piped = in_archive({"extract", id, "--to", "-", "--mimetype", "image/png"});
    ASSERT_EQ(piped.status, 0) << piped.err;
    EXPECT_EQ(piped.out, cairn::test::read_file(out / "会議室の地図.png"));
}

TEST_F(archive_cli, export_to_mbox_round_trips) {
    const auto mbox = dir_ / "export.mbox";
    ASSERT_EQ(in_archive({"export", "from:example.org", "--mbox", mbox.string()}).status, 0);
    const auto second = dir_ / "second";
    ASSERT_EQ(cairn({"init", second.string()}).status, 0);
    ASSERT_EQ(cairn({"index", "--archive", second.string(), mbox.string()}).status, 0);
    const auto hashes = [](const std::string& archive) {
        const auto r = run_command(CAIRN_BINARY, {"search", "--archive", archive, "--format",
                                                  "jsonl", "--limit", "0", "from:example.org"});
        std::set<std::string> out;
        for (std::size_t pos = r.out.find("\"sha256\":\""); pos != std::string::npos;
             pos = r.out.find("\"sha256\":\"", pos + 1)) {
            out.insert(r.out.substr(pos + 10, 64));
        }
        return out;
    };
    const auto before = hashes(archive_dir());
    EXPECT_FALSE(before.empty());
    EXPECT_EQ(hashes(second.string()), before);
}

TEST_F(archive_cli, check_finds_the_archive_consistent) {
    const auto r = in_archive({"check"});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find(": ok"), std::string::npos) << r.out;
}

} // namespace
