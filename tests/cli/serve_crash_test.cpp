// Crash safety of `cairn serve`: 20 clients deliver at once, the server is
// killed with SIGKILL mid-way and started again on the same archive. Every
// message that was answered 250 must be in the archive, exactly once, and the
// archive must pass `cairn check` (DESIGN.md: 250 only after fsync + catalog).
#include "support/run_command.hpp"
#include "support/smtp_client.hpp"
#include "support/temp_dir.hpp"

#include <indexer/archive.hpp>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

namespace {

namespace fs = std::filesystem;
using cairn::test::smtp_client;

struct child {
    pid_t pid = -1;
    int port = 0;
};

// Starts `cairn serve --smtp 127.0.0.1:0` and reads the bound port from stderr.
child start_server(const std::string& archive, const fs::path& log) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) {
        return {};
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipe_fds[1], STDERR_FILENO);
        ::close(pipe_fds[0]);
        ::close(pipe_fds[1]);
        const std::string log_arg = log.string();
        ::execl(CAIRN_BINARY, CAIRN_BINARY, "serve", "--smtp", "127.0.0.1:0", "--archive",
                archive.c_str(), "--log", log_arg.c_str(), "--hostname", "mx.test",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    std::string text;
    char c = 0;
    while (text.find('\n') == std::string::npos && ::read(pipe_fds[0], &c, 1) == 1) {
        text += c;
    }
    ::close(pipe_fds[0]); // later stderr output (none expected) would get EPIPE, not block
    const auto colon = text.rfind(':');
    child ch{pid, 0};
    if (text.starts_with("listening smtp") && colon != std::string::npos) {
        ch.port = std::stoi(text.substr(colon + 1));
    }
    return ch;
}

int wait_for(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(serve_crash, kill_nine_loses_no_accepted_message_and_duplicates_nothing) {
    cairn::test::scratch_dir dir("cairn-serve-crash");
    const std::string archive = (dir.path() / "archive").string();
    ASSERT_EQ(cairn::test::run_command(CAIRN_BINARY, {"init", archive}).status, 0);
    const child first = start_server(archive, dir.path() / "serve1.log");
    ASSERT_GT(first.port, 0);

    std::mutex mutex;
    std::set<std::string> accepted; // Message-IDs answered 250
    std::atomic<int> accepted_count{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 20; ++t) {
        clients.emplace_back([&, t] {
            try {
                auto c = smtp_client::tcp(first.port);
                if (!c.reply()) {
                    return;
                }
                c.send("EHLO client.example\r\n");
                (void)c.reply();
                for (int n = 0; n < 500; ++n) {
                    const std::string id = "crash-" + std::to_string(t) + "-" + std::to_string(n);
                    c.send("MAIL FROM:<s@example.com>\r\nRCPT TO:<a@example.org>\r\nDATA\r\n");
                    if (c.codes(3) != "250 250 354") {
                        return;
                    }
                    c.send(cairn::test::test_message(id, "crashtest body " + id) + ".\r\n");
                    const auto r = c.reply();
                    if (!r || r->code != 250) {
                        return;
                    }
                    const std::lock_guard lock(mutex);
                    accepted.insert(id + "@example.com");
                    ++accepted_count;
                }
            } catch (const std::exception&) {
                // connection refused or reset: the server is gone
            }
        });
    }
    // Kill once a good number of messages were accepted (bounded wait).
    for (int i = 0; i < 1200 && accepted_count < 150; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(first.pid, SIGKILL);
    EXPECT_EQ(wait_for(first.pid), 128 + SIGKILL);
    for (auto& t : clients) {
        t.join();
    }
    ASSERT_GT(accepted.size(), 0u);

    // Restart on the same archive: it must come up (catching up the index) and serve.
    const child second = start_server(archive, dir.path() / "serve2.log");
    ASSERT_GT(second.port, 0);
    {
        auto c = smtp_client::tcp(second.port);
        ASSERT_EQ(c.reply()->code, 220);
        c.send(
            "EHLO c.example\r\nMAIL FROM:<s@example.com>\r\nRCPT TO:<a@example.org>\r\nDATA\r\n");
        EXPECT_EQ(c.codes(4), "250 250 250 354");
        c.send(cairn::test::test_message("after-restart", "crashtest body") + ".\r\nQUIT\r\n");
        EXPECT_EQ(c.codes(2), "250 221");
    }
    ::kill(second.pid, SIGTERM);
    EXPECT_EQ(wait_for(second.pid), 0);

    auto a = cairn::index::archive::open(archive, false);
    std::set<std::string> stored;
    std::size_t rows = 0;
    a.messages().for_each([&](const cairn::index::message_row& row) {
        ++rows;
        stored.insert(row.message_id);
    });
    EXPECT_EQ(stored.size(), rows); // no message twice
    for (const auto& id : accepted) {
        EXPECT_TRUE(stored.count(id)) << id << " was answered 250 but is not archived";
    }
    EXPECT_TRUE(stored.count("after-restart@example.com"));
    cairn::index::search_options all;
    EXPECT_EQ(a.text().search("crashtest", all).total, rows); // everything indexed
    const auto check = cairn::test::run_command(CAIRN_BINARY, {"check", "--archive", archive});
    EXPECT_EQ(check.status, 0) << check.out << check.err;
}

} // namespace
