// Crash safety: `cairn index` killed with SIGKILL at arbitrary moments, then run
// again, must leave every message archived exactly once and the archive
// consistent (`cairn check`).
#include "support/run_command.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace {

namespace fs = std::filesystem;

constexpr int message_count = 600;

void write_maildir(const fs::path& dir) {
    for (const char* sub : {"cur", "new", "tmp"}) {
        fs::create_directories(dir / sub);
    }
    for (int i = 0; i < message_count; ++i) {
        std::ofstream out(dir / "cur" / ("17000" + std::to_string(10000 + i) + ".M1P1.host:2,S"),
                          std::ios::binary);
        out << "From: Sender " << i % 17 << " <sender" << i % 17 << "@example.com>\r\n"
            << "To: archive@example.org\r\n"
            << "Subject: crash test message " << i << "\r\n"
            << "Date: Mon, 15 Jan 2024 18:" << (i / 60) % 60 << ":" << i % 60 << " +0000\r\n"
            << "Message-ID: <crash-" << i << "@example.com>\r\n";
        if (i > 0 && i % 5 != 0) {
            out << "In-Reply-To: <crash-" << (i - 1) << "@example.com>\r\n";
        }
        out << "\r\nBody of message " << i << " with some words to index: ";
        for (int w = 0; w < 200; ++w) {
            out << "word" << (i * 7 + w) % 500 << ' ';
        }
        out << "\r\n";
    }
}

// Starts `cairn ARGS`, kills it with SIGKILL after `delay`, and reaps it.
void run_and_kill(const std::vector<std::string>& args, std::chrono::milliseconds delay) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        std::vector<char*> argv{const_cast<char*>(CAIRN_BINARY)};
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        ::execv(CAIRN_BINARY, argv.data());
        ::_exit(127);
    }
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

TEST(crash, kill_nine_during_index_loses_and_duplicates_nothing) {
    const fs::path dir = fs::temp_directory_path() / ("cairn-crash-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    write_maildir(dir / "mail");
    const std::string archive = (dir / "archive").string();
    ASSERT_EQ(cairn::test::run_command(CAIRN_BINARY, {"init", archive}).status, 0);
    const std::vector<std::string> index{"index", "--archive", archive, "--batch",
                                         "25",    "--threads", "1",     (dir / "mail").string()};
    // Kills spread over the run: early (opening), mid-batch, and later.
    for (int delay : {5, 40, 90, 150, 220, 300, 420}) {
        run_and_kill(index, std::chrono::milliseconds(delay));
    }
    const auto finished = cairn::test::run_command(CAIRN_BINARY, index);
    ASSERT_EQ(finished.status, 0) << finished.err;

    const auto count = cairn::test::run_command(CAIRN_BINARY, {"count", "--archive", archive});
    EXPECT_EQ(std::stoi(count.out), message_count);
    const auto ids = cairn::test::run_command(
        CAIRN_BINARY, {"search", "--archive", archive, "--format", "ids", "--limit", "0", "crash"});
    std::set<std::string> distinct;
    std::size_t lines = 0;
    for (std::size_t pos = 0; pos < ids.out.size();) {
        const auto end = ids.out.find('\n', pos);
        distinct.insert(ids.out.substr(pos, end - pos));
        ++lines;
        pos = end + 1;
    }
    EXPECT_EQ(lines, static_cast<std::size_t>(message_count));
    EXPECT_EQ(distinct.size(), static_cast<std::size_t>(message_count));
    const auto check = cairn::test::run_command(CAIRN_BINARY, {"check", "--archive", archive});
    EXPECT_EQ(check.status, 0) << check.out << check.err;
    fs::remove_all(dir);
}

} // namespace
