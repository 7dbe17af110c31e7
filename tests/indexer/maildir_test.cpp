// Maildirs through walk_sources: flags from file names, new/ before cur/,
// tmp/ and hidden entries ignored, Maildir++ subfolders and nested maildirs.

#include "indexer/sources_testing.hpp"
#include "support/test_data.hpp"

#include <indexer/sources.hpp>

#include <gtest/gtest.h>

#include <string>

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

struct flags_row {
    const char* file_name;
    const char* flags;
};

// https://cr.yp.to/proto/maildir.html: "info starting with 2,": each flag is
// an uppercase letter, in ASCII order. Dovecot adds lowercase keyword letters.
const flags_row flags_rows[] = {
    {"1700000000.M1P2.host:2,S", "S"},
    {"1700000000.M1P2.host:2,RS", "RS"},
    {"1700000000.M1P2.host:2,SRF", "FRS"}, // out of order (some clients)
    {"1700000000.M1P2.host:2,", ""},       // seen by a client, no flags
    {"1700000000.M1P2.host", ""},          // no info at all
    {"1700000000.M1P2.host:2,FaSb", "FS"}, // Dovecot keywords a, b
    {"1700000000.M1P2.host:2,SS", "S"},    // repeated
    {"1700000000.M1P2.host:2,DFPRST", "DFPRST"},
    {"1700000000.M1P2.host;2,FS", "FS"},      // ';' on file systems without ':'
    {"1700000000.M1P2.host:1,S", ""},         // experimental semantics: not flags
    {"1700000000.M1P2.host,S=1234:2,T", "T"}, // Courier size tag before the info
};

class maildir_flags_test : public ::testing::TestWithParam<flags_row> {};

TEST_P(maildir_flags_test, cur_entry_flags) {
    temp_dir dir;
    recorder rec;
    rec.root = fs::canonical(dir.path());
    write_file(rec.root / "cur" / GetParam().file_name, small_message("x"));
    fs::create_directory(rec.root / "new");
    rec.walk();
    ASSERT_EQ(rec.envelopes.size(), 1U);
    EXPECT_EQ(rec.envelopes[0].flags, GetParam().flags);
    EXPECT_EQ(rec.envelopes[0].kind, index::source_kind::maildir);
    EXPECT_EQ(rec.envelopes[0].folder, ""); // the root is the maildir
}

INSTANTIATE_TEST_SUITE_P(names, maildir_flags_test, ::testing::ValuesIn(flags_rows));

class maildir_test : public ::testing::Test {
protected:
    void SetUp() override { rec_.root = fs::canonical(dir_.path()); }

    temp_dir dir_;
    recorder rec_;
};

TEST_F(maildir_test, new_before_cur_and_new_has_no_flags) {
    write_file(rec_.root / "cur" / "1.h:2,S", small_message("old"));
    write_file(rec_.root / "new" / "2.h:2,F", small_message("fresh")); // info ignored in new/
    write_file(rec_.root / "tmp" / "3.h", small_message("half written"));
    EXPECT_EQ(rec_.walk(), "message maildir new/2.h:2,F folder= flags= offset=0 bytes=50\n"
                           "done new/2.h:2,F\n"
                           "message maildir cur/1.h:2,S folder= flags=S offset=0 bytes=46\n"
                           "done cur/1.h:2,S\n");
}

TEST_F(maildir_test, maildir_without_tmp_is_still_a_maildir) {
    write_file(rec_.root / "box" / "cur" / "1.h:2,S", small_message("a"));
    fs::create_directories(rec_.root / "box" / "new");
    EXPECT_EQ(rec_.walk(), "message maildir box/cur/1.h:2,S folder=box flags=S offset=0 bytes=42\n"
                           "done box/cur/1.h:2,S\n");
}

TEST_F(maildir_test, hidden_files_and_bookkeeping_are_ignored) {
    write_file(rec_.root / "cur" / ".1.h:2,S", small_message("hidden"));
    write_file(rec_.root / "cur" / "2.h:2,S", small_message("shown"));
    write_file(rec_.root / "new" / ".gitkeep", "");
    write_file(rec_.root / "dovecot-uidlist", "3 V1 N2\n");
    write_file(rec_.root / "maildirfolder", "");
    write_file(rec_.root / "tmp" / "9.h", small_message("tmp"));
    EXPECT_EQ(rec_.walk(), "message maildir cur/2.h:2,S folder= flags=S offset=0 bytes=50\n"
                           "done cur/2.h:2,S\n");
}

TEST_F(maildir_test, maildir_plus_plus_subfolders) {
    write_file(rec_.root / "Mail" / "cur" / "1.h:2,S", small_message("inbox"));
    fs::create_directories(rec_.root / "Mail" / "new");
    write_file(rec_.root / "Mail" / ".Sent" / "cur" / "2.h:2,S", small_message("sent"));
    fs::create_directories(rec_.root / "Mail" / ".Sent" / "new");
    write_file(rec_.root / "Mail" / ".Lists.cairn" / "new" / "3.h", small_message("list"));
    fs::create_directories(rec_.root / "Mail" / ".Lists.cairn" / "cur");
    write_file(rec_.root / "Mail" / ".NotAMaildir" / "x.eml", small_message("hidden"));
    EXPECT_EQ(rec_.walk(),
              "message maildir Mail/cur/1.h:2,S folder=Mail flags=S offset=0 bytes=50\n"
              "done Mail/cur/1.h:2,S\n"
              "message maildir Mail/.Lists.cairn/new/3.h folder=Mail/Lists/cairn flags= "
              "offset=0 bytes=48\n"
              "done Mail/.Lists.cairn/new/3.h\n"
              "message maildir Mail/.Sent/cur/2.h:2,S folder=Mail/Sent flags=S offset=0 "
              "bytes=48\n"
              "done Mail/.Sent/cur/2.h:2,S\n");
}

TEST_F(maildir_test, hidden_maildir_in_a_plain_folder_and_nested_plain_folders) {
    write_file(rec_.root / ".Trash" / "cur" / "1.h:2,ST", small_message("gone"));
    fs::create_directories(rec_.root / ".Trash" / "new");
    // A maildir holding ordinary subfolders (mbsync's SubFolders Verbatim).
    write_file(rec_.root / "inbox" / "new" / "2.h", small_message("top"));
    fs::create_directories(rec_.root / "inbox" / "cur");
    write_file(rec_.root / "inbox" / "work" / "new" / "3.h", small_message("work"));
    fs::create_directories(rec_.root / "inbox" / "work" / "cur");
    EXPECT_EQ(rec_.walk(),
              "message maildir .Trash/cur/1.h:2,ST folder=Trash flags=ST offset=0 bytes=48\n"
              "done .Trash/cur/1.h:2,ST\n"
              "message maildir inbox/new/2.h folder=inbox flags= offset=0 bytes=46\n"
              "done inbox/new/2.h\n"
              "message maildir inbox/work/new/3.h folder=inbox/work flags= offset=0 bytes=48\n"
              "done inbox/work/new/3.h\n");
}

TEST_F(maildir_test, junk_in_a_maildir_is_reported_not_indexed) {
    write_file(rec_.root / "cur" / "1.h:2,S", "");
    write_file(rec_.root / "cur" / "2.h:2,S", std::string("\0\0binary", 8));
    fs::create_directories(rec_.root / "cur" / "sub");
    fs::create_directories(rec_.root / "new");
    EXPECT_EQ(rec_.walk(), "skipped cur/1.h:2,S: empty file\n"
                           "done cur/1.h:2,S\n"
                           "skipped cur/2.h:2,S: not a mail message (binary data: NUL byte near "
                           "the start)\n"
                           "done cur/2.h:2,S\n"
                           "skipped cur/sub: not a regular file\n");
}

TEST(samples_maildir, flags_and_folder) {
    recorder rec;
    rec.root = fs::canonical(source_dir() / "samples");
    rec.walk();
    std::string flags;
    for (const auto& env : rec.envelopes) {
        if (env.kind != index::source_kind::maildir) {
            continue;
        }
        EXPECT_EQ(env.folder, "maildir");
        flags += "[" + env.flags + "]";
    }
    // new/ first, then cur/ in name order (ls samples/maildir/cur).
    EXPECT_EQ(flags, "[][S][RS][FS][S][][ST][DS]");
}

} // namespace
} // namespace cairn::test
