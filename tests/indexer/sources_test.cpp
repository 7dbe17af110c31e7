// walk_sources: a mixed tree (eml, mbox, maildir, junk, links, unreadable
// files), envelopes, want_file, errors, streaming, and the project's samples/.

#include "indexer/sources_testing.hpp"
#include "support/test_data.hpp"

#include <indexer/error.hpp>
#include <indexer/sources.hpp>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>

namespace cairn::test {
namespace {

namespace fs = std::filesystem;

const std::string png_bytes("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01", 20);

const std::string two_message_mbox = "From a@example.org Mon Jan  1 00:00:00 2024\n" +
                                     small_message("one") +
                                     "\nFrom b@example.org Tue Jan  2 "
                                     "00:00:00 2024\n" +
                                     small_message("two");

/// The mixed tree most tests walk.
void make_mixed_tree(const fs::path& root) {
    write_file(root / "a.eml", small_message("a"));
    write_file(root / "b" / "archive.mbox", two_message_mbox);
    write_file(root / "b" / "c" / "deep.eml", small_message("deep"));
    write_file(root / "empty.eml", "");
    write_file(root / "image.png", png_bytes);
    write_file(root / "notes.txt", "Shopping list\nmilk\n");
    write_file(root / ".hidden.eml", small_message("hidden"));
    write_file(root / ".git" / "config", "[core]\n");
    write_file(root / "mail" / "cur" / "1.host:2,S", small_message("seen"));
    write_file(root / "mail" / "new" / "2.host", small_message("new"));
    write_file(root / "mail" / "tmp" / "3.host", small_message("in delivery"));
    fs::create_symlink(root / "a.eml", root / "link.eml");
    fs::create_symlink(root / "b", root / "link-dir");
}

// Folders are read in byte order of names; new/ before cur/; hidden entries and
// tmp/ never show up; symbolic links are reported, not followed.
const char* const mixed_tree_log = "message file a.eml folder= flags= offset=0 bytes=42\n"
                                   "done a.eml\n"
                                   "message mbox b/archive.mbox folder=b flags= offset=44 "
                                   "bytes=46\n"
                                   "message mbox b/archive.mbox folder=b flags= offset=135 "
                                   "bytes=46\n"
                                   "done b/archive.mbox\n"
                                   "message file b/c/deep.eml folder=b/c flags= offset=0 "
                                   "bytes=48\n"
                                   "done b/c/deep.eml\n"
                                   "skipped empty.eml: empty file\n"
                                   "done empty.eml\n"
                                   "skipped image.png: not a mail message (binary data: NUL "
                                   "byte near the start)\n"
                                   "done image.png\n"
                                   "skipped link-dir: symbolic link (not followed)\n"
                                   "skipped link.eml: symbolic link (not followed)\n"
                                   "message maildir mail/new/2.host folder=mail flags= offset=0 "
                                   "bytes=46\n"
                                   "done mail/new/2.host\n"
                                   "message maildir mail/cur/1.host:2,S folder=mail flags=S "
                                   "offset=0 bytes=48\n"
                                   "done mail/cur/1.host:2,S\n"
                                   "skipped notes.txt: not a mail message (the first line is not "
                                   "a header field or From line)\n"
                                   "done notes.txt\n";

class walk_test : public ::testing::Test {
protected:
    void SetUp() override { rec_.root = fs::canonical(dir_.path()); }

    temp_dir dir_;
    recorder rec_;
};

TEST_F(walk_test, mixed_tree_in_sorted_order) {
    make_mixed_tree(rec_.root);
    EXPECT_EQ(rec_.walk(), mixed_tree_log);
    EXPECT_EQ(rec_.walk(), mixed_tree_log); // deterministic
    ASSERT_EQ(rec_.messages.size(), 6U);
    EXPECT_EQ(rec_.messages[1], small_message("one"));
    EXPECT_EQ(rec_.messages[2], small_message("two"));
}

TEST_F(walk_test, envelopes_carry_absolute_paths_mtime_and_size) {
    make_mixed_tree(rec_.root);
    rec_.walk();
    for (const auto& env : rec_.envelopes) {
        const fs::path path(env.path);
        EXPECT_TRUE(path.is_absolute()) << env.path;
        EXPECT_EQ(fs::canonical(path), path);

        struct stat facts {};

        ASSERT_EQ(::stat(env.path.c_str(), &facts), 0);
        EXPECT_EQ(env.mtime, facts.st_mtim.tv_sec);
        EXPECT_EQ(env.file_size, static_cast<std::uint64_t>(facts.st_size));
    }
    const std::string mbox = read_file(rec_.root / "b" / "archive.mbox");
    EXPECT_EQ(mbox.substr(rec_.envelopes[2].offset, rec_.messages[2].size()), rec_.messages[2]);
}

TEST_F(walk_test, want_file_false_skips_reading) {
    make_mixed_tree(rec_.root);
    rec_.unwanted = {"a.eml", "b/archive.mbox", "mail/cur/1.host:2,S", "image.png"};
    const std::string log = rec_.walk();
    EXPECT_EQ(log.find("a.eml"), std::string::npos) << log;
    EXPECT_EQ(log.find("archive.mbox"), std::string::npos) << log;
    EXPECT_EQ(log.find("image.png"), std::string::npos) << log;
    EXPECT_EQ(log.find("1.host"), std::string::npos) << log;
    EXPECT_EQ(rec_.messages.size(), 2U); // deep.eml and new/2.host
}

TEST_F(walk_test, unreadable_file_is_skipped_with_the_errno_text) {
    write_file(rec_.root / "locked.eml", small_message("locked"));
    fs::permissions(rec_.root / "locked.eml", fs::perms::none);
    const std::string log = rec_.walk();
    if (::geteuid() == 0) {
        // root reads through permission bits (CI runs as root).
        EXPECT_EQ(log, "message file locked.eml folder= flags= offset=0 bytes=52\n"
                       "done locked.eml\n");
    } else {
        EXPECT_EQ(log, "skipped locked.eml: Permission denied\n"); // no done: retried next run
    }
}

TEST_F(walk_test, unreadable_folder_is_skipped_and_the_walk_goes_on) {
    write_file(rec_.root / "a" / "x.eml", small_message("x"));
    write_file(rec_.root / "b.eml", small_message("b"));
    fs::permissions(rec_.root / "a", fs::perms::none);
    const std::string log = rec_.walk();
    fs::permissions(rec_.root / "a", fs::perms::owner_all);
    if (::geteuid() != 0) {
        EXPECT_EQ(log, "skipped a: Permission denied\n"
                       "message file b.eml folder= flags= offset=0 bytes=42\n"
                       "done b.eml\n");
    } else {
        EXPECT_EQ(rec_.messages.size(), 2U);
    }
}

TEST_F(walk_test, missing_root_throws_io_error) {
    try {
        rec_.walk(rec_.root / "nope");
        FAIL() << "expected io_error";
    } catch (const index::io_error& error) {
        EXPECT_EQ(error.path(), rec_.root / "nope");
        EXPECT_EQ(error.code(), std::errc::no_such_file_or_directory);
    }
}

TEST_F(walk_test, root_may_be_a_single_file) {
    write_file(rec_.root / "x" / "one.eml", small_message("one"));
    EXPECT_EQ(rec_.walk(rec_.root / "x" / "one.eml"),
              "message file x/one.eml folder= flags= offset=0 bytes=46\ndone x/one.eml\n");
}

TEST_F(walk_test, root_may_be_an_mbox_file_or_a_symlink_to_one) {
    write_file(rec_.root / "in.mbox", two_message_mbox);
    fs::create_symlink(rec_.root / "in.mbox", rec_.root / "alias");
    const char* expected = "message mbox in.mbox folder= flags= offset=44 bytes=46\n"
                           "message mbox in.mbox folder= flags= offset=135 bytes=46\n"
                           "done in.mbox\n";
    EXPECT_EQ(rec_.walk(rec_.root / "in.mbox"), expected);
    EXPECT_EQ(rec_.walk(rec_.root / "alias"), expected); // the named root is followed
}

TEST_F(walk_test, from_line_without_a_header_after_it_is_one_message) {
    write_file(rec_.root / "note.eml", "From the desk of A.\nSubject: x\n");
    write_file(rec_.root / "post.txt", "From the desk of A.\nplain words\n");
    EXPECT_EQ(rec_.walk(), "message mbox note.eml folder= flags= offset=20 bytes=11\n"
                           "done note.eml\n"
                           "message file post.txt folder= flags= offset=0 bytes=32\n"
                           "done post.txt\n");
}

TEST_F(walk_test, no_callbacks_set_is_fine) {
    make_mixed_tree(rec_.root);
    EXPECT_NO_THROW(index::walk_sources(rec_.root, index::source_callbacks{}));
}

// A large mbox is read front to back without keeping it resident: pages behind
// the current message are released (memory bounded by the largest message plus
// the release step, not by the file).
TEST_F(walk_test, large_mbox_streams_with_bounded_resident_memory) {
    const fs::path path = rec_.root / "big.mbox";
    constexpr std::size_t messages = 120000; // ~ 120 MB
    {
        std::ofstream out(path, std::ios::binary);
        const std::string body(900, 'x');
        for (std::size_t i = 0; i < messages; ++i) {
            out << "From a Mon Jan  1 00:00:00 2024\nSubject: " << i << "\n\n" << body << "\n\n";
        }
    }
    const auto resident_kib = [] {
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);) {
            if (line.rfind("VmRSS:", 0) == 0) {
                return std::stoll(line.substr(6));
            }
        }
        return 0LL;
    };
    const long long before = resident_kib();
    long long peak = 0;
    std::size_t seen = 0;
    index::source_callbacks callbacks;
    callbacks.on_message = [&](const index::source_message& m) {
        if (++seen % 1000 == 0) {
            peak = std::max(peak, resident_kib() - before);
        }
        // Every message, the last one too, loses its separating blank line.
        EXPECT_EQ(m.bytes.size(), 913U + std::to_string(seen - 1).size() - 1);
    };
    index::walk_sources(path, callbacks);
    EXPECT_EQ(seen, messages);
    EXPECT_LT(peak, 48LL * 1024) << "resident growth in KiB while reading a 120 MB mbox";
}

// The project's samples/ folder (README's first command) walks cleanly.
TEST(samples_walk, counts_every_message) {
    recorder rec;
    rec.root = fs::canonical(source_dir() / "samples");
    const std::string log = rec.walk();
    std::map<std::string, int> kinds;
    for (const auto& env : rec.envelopes) {
        ++kinds[kind_name(env.kind)];
    }
    EXPECT_EQ(kinds["file"], 28);   // ls samples/eml | wc -l
    EXPECT_EQ(kinds["maildir"], 8); // 7 in cur/, 1 in new/
    EXPECT_EQ(kinds["mbox"], 6);    // grep -c '^From ' samples/mbox/archive.mbox
    EXPECT_NE(log.find("skipped README.md: not a mail message"), std::string::npos) << log;
    std::size_t skipped = 0;
    for (const auto& line : rec.log) {
        skipped += line.rfind("skipped ", 0) == 0 ? 1 : 0;
    }
    EXPECT_EQ(skipped, 1U) << log;
}

} // namespace
} // namespace cairn::test
