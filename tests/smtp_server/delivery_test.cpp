// What a live listener stores: byte-exact content (dot-unstuffed), the
// envelope, full-text search after index_pending, nothing for refused or
// abandoned messages; STARTTLS, LMTP (TCP and unix socket), recipient policy,
// the connection limits, timeouts and the session limit, and a graceful stop.
#include "smtp_server/server_testing.hpp"

#include <poll.h>

#include <chrono>

namespace {

using namespace cairn;
using test::live_server;
using test::smtp_client;

const std::string ehlo = "EHLO client.example\r\n";

// One message through an open session (after EHLO); returns the DATA reply code.
int send_message(smtp_client& c, const std::string& from, const std::vector<std::string>& rcpts,
                 const std::string& content) {
    c.send("MAIL FROM:<" + from + ">\r\n");
    if (c.reply()->code != 250) {
        return 0;
    }
    for (const auto& r : rcpts) {
        c.send("RCPT TO:<" + r + ">\r\n");
        (void)c.reply();
    }
    c.send("DATA\r\n");
    if (c.reply()->code != 354) {
        return 0;
    }
    c.send(content + ".\r\n");
    const auto r = c.reply();
    return r ? r->code : -1;
}

TEST(delivery, stored_byte_exact_with_envelope_and_searchable) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo);
    ASSERT_EQ(c.reply()->code, 250);
    const std::string wire = "Subject: dots\r\n\r\n..leading dot\r\nquokka words\r\n...\r\n";
    ASSERT_EQ(send_message(c, "alice@example.com", {"archive@example.org", "b@example.org"}, wire),
              250);
    c.send("QUIT\r\n");
    s.stop();
    auto a = s.archive();
    const auto stored = test::stored_messages(a);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0], "Subject: dots\r\n\r\n.leading dot\r\nquokka words\r\n..\r\n");
    const auto sources = a.messages().sources(1);
    ASSERT_EQ(sources.size(), 1u);
    EXPECT_EQ(sources[0].kind, index::source_kind::smtp);
    EXPECT_EQ(sources[0].mail_from, "alice@example.com");
    EXPECT_EQ(sources[0].rcpt_to,
              (std::vector<std::string>{"archive@example.org", "b@example.org"}));
    EXPECT_EQ(sources[0].helo, "client.example");
    EXPECT_EQ(sources[0].client_address, "127.0.0.1");
    EXPECT_FALSE(sources[0].tls);
    EXPECT_GT(sources[0].received_at, 0);
    index::search_options all;
    EXPECT_EQ(a.text().search("quokka", all).total, 1u);
}

TEST(delivery, searchable_while_the_server_runs) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo);
    (void)c.reply();
    ASSERT_EQ(send_message(c, "a@example.com", {"x@example.org"}, "Subject: s\r\n\r\nwombat\r\n"),
              250);
    // The indexer thread follows the group: poll a reader (bounded, no fixed sleep).
    bool found = false;
    for (int i = 0; i < 600 && !found; ++i) {
        auto a = s.archive();
        found = a.text().search("wombat", {}).total == 1;
        if (!found) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    EXPECT_TRUE(found);
}

// With a backlog of one, every group after a handover waits for the indexer:
// mail is still accepted, stored once and indexed.
TEST(delivery, clients_wait_for_a_busy_indexer_and_nothing_is_lost) {
    live_server s([](smtp::server_config& c) {
        c.index_backlog = 1;
        c.index_delay = std::chrono::milliseconds(0);
    });
    constexpr int clients = 6;
    constexpr int each = 5;
    std::vector<std::thread> senders;
    std::vector<int> accepted(clients, 0);
    for (int k = 0; k < clients; ++k) {
        senders.emplace_back([&s, &accepted, k] {
            auto c = s.connect();
            c.send(ehlo);
            (void)c.reply();
            for (int i = 0; i < each; ++i) {
                const std::string body = "Subject: backlog\r\n\r\nnumbat" +
                                         std::to_string(k * each + i) + " backlogged\r\n";
                accepted[k] += send_message(c, "a@example.com", {"x@example.org"}, body) == 250;
            }
        });
    }
    for (auto& t : senders) {
        t.join();
    }
    EXPECT_EQ(accepted, std::vector<int>(clients, each));
    s.stop();
    auto a = s.archive();
    EXPECT_EQ(test::stored_messages(a).size(), std::size_t{clients * each});
    EXPECT_EQ(a.text().search("backlogged", {}).total, std::uint64_t{clients * each});
    EXPECT_EQ(a.messages().indexed_through(), a.messages().max_id());
}

TEST(delivery, one_hundred_recipients_then_452) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo);
    (void)c.reply();
    c.send("MAIL FROM:<a@example.com>\r\n");
    (void)c.reply();
    std::string rcpts;
    for (int i = 0; i < 101; ++i) {
        rcpts += "RCPT TO:<r" + std::to_string(i) + "@example.org>\r\n";
    }
    c.send(rcpts);
    for (int i = 0; i < 100; ++i) {
        ASSERT_EQ(c.reply()->code, 250) << i;
    }
    EXPECT_EQ(c.reply()->code, 452);
    c.send("DATA\r\nSubject: many\r\n\r\nx\r\n.\r\n");
    EXPECT_EQ(c.codes(2), "354 250");
    s.stop();
    auto a = s.archive();
    EXPECT_EQ(a.messages().sources(1).at(0).rcpt_to.size(), 100u);
}

TEST(delivery, refused_and_abandoned_messages_store_nothing) {
    live_server s([](smtp::server_config& c) {
        c.session.max_message_size = 1000;
        c.session.accept_domains = {"example.org"};
    });
    {
        auto c = s.connect();
        c.send(ehlo);
        (void)c.reply();
        c.send("MAIL FROM:<a@example.com>\r\nRCPT TO:<x@elsewhere.example>\r\n");
        EXPECT_EQ(c.codes(2), "250 550");
        c.send("RCPT TO:<x@EXAMPLE.org>\r\nDATA\r\n" + std::string(2000, 'y') + "\r\n.\r\n");
        EXPECT_EQ(c.codes(3), "250 354 552"); // over --max-size
        c.send("MAIL FROM:<a@example.com>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n"
               "Subject: half\r\n\r\nnever finished\r\n");
        EXPECT_EQ(c.codes(3), "250 250 354");
        c.close(); // gone mid-DATA
    }
    {
        auto c = s.connect(); // the server is still fine
        c.send("NOOP\r\n");
        EXPECT_EQ(c.reply()->code, 250);
    }
    s.stop();
    EXPECT_TRUE(test::stored_messages(s.archive()).empty());
}

TEST(delivery, same_bytes_twice_one_copy_two_sources) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo);
    (void)c.reply();
    const std::string m = test::test_message("dup", "same body");
    EXPECT_EQ(send_message(c, "a@example.com", {"x@example.org"}, m), 250);
    EXPECT_EQ(send_message(c, "b@example.com", {"y@example.org"}, m), 250);
    s.stop();
    auto a = s.archive();
    ASSERT_EQ(test::stored_messages(a).size(), 1u);
    EXPECT_EQ(a.messages().sources(1).size(), 2u);
}

TEST(delivery, bdat_chunks_stored_concatenated) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo + "MAIL FROM:<a@example.com>\r\nRCPT TO:<x@example.org>\r\n");
    EXPECT_EQ(c.codes(3), "250 250 250");
    c.send("BDAT 15\r\nSubject: bdat\r\n");
    c.send("BDAT 9 LAST\r\n\r\n.body\r\n");
    EXPECT_EQ(c.codes(2), "250 250");
    s.stop();
    const auto stored = test::stored_messages(s.archive());
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0], "Subject: bdat\r\n\r\n.body\r\n");
}

TEST(delivery, smuggled_separator_stays_inside_the_message) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo);
    (void)c.reply();
    const std::string wire = "Subject: smuggle\r\n\r\nA\n.\nMAIL FROM:<evil@x.example>\r\n";
    EXPECT_EQ(send_message(c, "a@example.com", {"x@example.org"}, wire), 250);
    s.stop();
    const auto stored = test::stored_messages(s.archive());
    ASSERT_EQ(stored.size(), 1u); // one message, not two
    EXPECT_EQ(stored[0], wire);
}

TEST(delivery, starttls_upgrade_and_pipelined_plaintext_dropped) {
    live_server s([](smtp::server_config& c) {
        c.tls_cert = test::tls_cert();
        c.tls_key = test::tls_key();
    });
    auto c = s.connect();
    c.send(ehlo);
    const auto caps = c.reply();
    ASSERT_TRUE(caps);
    EXPECT_NE(caps->text.find("STARTTLS"), std::string::npos);
    // The MAIL in the same packet must not survive the upgrade (CVE-2011-0411).
    c.send("STARTTLS\r\nMAIL FROM:<evil@x.example>\r\n");
    ASSERT_EQ(c.reply()->code, 220);
    ASSERT_TRUE(test::start_tls(c));
    c.send("MAIL FROM:<a@example.com>\r\n"); // no EHLO after TLS yet: 503
    EXPECT_EQ(c.reply()->code, 503);
    c.send(ehlo);
    const auto caps_tls = c.reply();
    ASSERT_TRUE(caps_tls);
    EXPECT_EQ(caps_tls->text.find("STARTTLS"), std::string::npos);
    EXPECT_EQ(send_message(c, "a@example.com", {"x@example.org"}, "Subject: tls\r\n\r\nsecret\r\n"),
              250);
    s.stop();
    auto a = s.archive();
    ASSERT_EQ(test::stored_messages(a).size(), 1u);
    EXPECT_TRUE(a.messages().sources(1).at(0).tls);
    EXPECT_EQ(a.messages().sources(1).at(0).mail_from, "a@example.com");
}

TEST(delivery, starttls_before_ehlo_is_503) {
    live_server s([](smtp::server_config& c) {
        c.tls_cert = test::tls_cert();
        c.tls_key = test::tls_key();
    });
    auto c = s.connect();
    c.send("STARTTLS\r\n");
    EXPECT_EQ(c.reply()->code, 503);
}

TEST(delivery, lmtp_one_reply_per_recipient_over_tcp_and_unix_socket) {
    std::string unix_path;
    live_server s([&](smtp::server_config& c) {
        c.listeners = {{smtp::protocol::lmtp, "127.0.0.1:0"}};
        unix_path = (std::filesystem::temp_directory_path() /
                     ("cairn-lmtp-" + std::to_string(::getpid()) + ".sock"))
                        .string();
        c.listeners.push_back({smtp::protocol::lmtp, "unix:" + unix_path});
        c.session.accept_domains = {"example.org"};
    });
    EXPECT_EQ(s.server().bound().at(1), "lmtp unix:" + unix_path);
    auto tcp = s.connect(0);
    auto local = smtp_client::unix_socket(unix_path);
    ASSERT_EQ(local.reply()->code, 220);
    tcp.send("HELO client.example\r\n");
    EXPECT_EQ(tcp.reply()->code, 500); // LMTP knows only LHLO
    int n = 0;
    for (smtp_client* c : {&tcp, &local}) {
        ++n;
        c->send("LHLO client.example\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<one@example.org>\r\n"
                "RCPT TO:<nobody@elsewhere.example>\r\nRCPT TO:<two@example.org>\r\nDATA\r\n");
        EXPECT_EQ(c->codes(6), "250 250 250 550 250 354");
        c->send(test::test_message("lmtp" + std::to_string(n), "body") + ".\r\n");
        EXPECT_EQ(c->codes(2), "250 250"); // one per accepted recipient
    }
    s.stop();
    auto a = s.archive();
    ASSERT_EQ(test::stored_messages(a).size(), 2u);
    EXPECT_EQ(a.messages().sources(1).at(0).kind, index::source_kind::lmtp);
    EXPECT_EQ(a.messages().sources(2).at(0).client_address, "unix");
}

/// A limit is full: the next connection is told 421 4.7.0.
void expect_refused_with_421(const live_server& s) {
    auto over = smtp_client::tcp(s.port());
    const auto r = over.reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 421);
    EXPECT_NE(r->text.find("4.7.0"), std::string::npos);
}

/// `one` quits; once the server has seen the QUIT through, a new connection
/// gets 220 again.
void expect_slot_freed_by_quit(smtp_client& one, const live_server& s) {
    one.send("QUIT\r\n");
    EXPECT_EQ(one.reply()->code, 221);
    EXPECT_TRUE(one.closed_by_server());
    for (int i = 0; i < 200; ++i) {
        auto again = smtp_client::tcp(s.port());
        if (again.reply()->code == 220) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no connection was admitted within 10 s of the QUIT";
}

TEST(delivery, connection_over_the_limit_gets_421) {
    live_server s([](smtp::server_config& c) { c.max_connections = 2; });
    auto one = s.connect();
    auto two = s.connect();
    expect_refused_with_421(s);
    expect_slot_freed_by_quit(one, s);
}

TEST(delivery, one_address_over_its_limit_gets_421_while_others_are_served) {
    const std::string unix_path = (std::filesystem::temp_directory_path() /
                                   ("cairn-limit-" + std::to_string(::getpid()) + ".sock"))
                                      .string();
    live_server s([&](smtp::server_config& c) {
        c.max_connections_per_client = 2;
        c.listeners.push_back({smtp::protocol::lmtp, "unix:" + unix_path});
    });
    auto one = s.connect();
    auto two = s.connect();
    expect_refused_with_421(s);
    // Local (unix socket) clients are not counted against an address.
    for (int i = 0; i < 3; ++i) {
        auto local = smtp_client::unix_socket(unix_path);
        EXPECT_EQ(local.reply()->code, 220);
    }
    expect_slot_freed_by_quit(one, s);
}

TEST(delivery, idle_client_times_out_with_421) {
    live_server s(
        [](smtp::server_config& c) { c.command_timeout = std::chrono::milliseconds(300); });
    auto c = s.connect();
    const auto r = c.reply(); // nothing sent: the server gives up
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 421);
    EXPECT_NE(r->text.find("4.4.2"), std::string::npos);
    EXPECT_TRUE(c.closed_by_server());
}

// The data timeout starts while the watchdog is still waiting for the longer
// command timeout armed before DATA: the shorter one must win.
TEST(delivery, a_data_timeout_shorter_than_the_command_timeout_is_kept) {
    using namespace std::chrono_literals;
    live_server s([](smtp::server_config& c) {
        c.command_timeout = 30s;
        c.data_timeout = 300ms;
    });
    auto c = s.connect();
    c.send(ehlo + "MAIL FROM:<a@example.com>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n");
    ASSERT_EQ(c.codes(4), "250 250 250 354");
    const auto start = std::chrono::steady_clock::now();
    const auto r = c.reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 421);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
}

// Each line comes well within the data timeout, which restarts with every
// read; only the session's whole-life limit can end this.
TEST(delivery, a_client_trickling_data_is_cut_off_at_the_session_limit) {
    using namespace std::chrono_literals;
    live_server s([](smtp::server_config& c) {
        c.command_timeout = 30s;
        c.data_timeout = 30s;
        c.session_limit = 500ms;
    });
    const auto start = std::chrono::steady_clock::now();
    auto c = s.connect();
    c.send(ehlo + "MAIL FROM:<a@example.com>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n");
    ASSERT_EQ(c.codes(4), "250 250 250 354");
    pollfd ready{c.fd(), POLLIN, 0};
    while (::poll(&ready, 1, 50) == 0 && std::chrono::steady_clock::now() - start < 20s) {
        ASSERT_TRUE(c.send("a slow line\r\n"));
    }
    const auto r = c.reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 421);
    EXPECT_NE(r->text.find("4.4.2"), std::string::npos);
    EXPECT_NE(r->text.find("session time limit"), std::string::npos) << r->text;
    EXPECT_GE(std::chrono::steady_clock::now() - start, 500ms);
    EXPECT_TRUE(c.closed_by_server());
    EXPECT_TRUE(test::stored_messages(s.archive()).empty()); // the partial message is dropped
}

TEST(delivery, stop_closes_idle_sessions_and_lets_a_transaction_finish) {
    live_server s;
    auto idle = s.connect();
    auto busy = s.connect();
    busy.send(ehlo + "MAIL FROM:<a@example.com>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n");
    EXPECT_EQ(busy.codes(4), "250 250 250 354");
    std::thread stopper([&] { s.stop(); });
    const auto r = idle.reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 421);
    busy.send("Subject: late\r\n\r\nfinished during the grace period\r\n.\r\n");
    EXPECT_EQ(busy.reply()->code, 250);
    busy.send("QUIT\r\n");
    stopper.join();
    EXPECT_EQ(test::stored_messages(s.archive()).size(), 1u);
}

TEST(delivery, log_has_one_line_per_message) {
    live_server s;
    auto c = s.connect();
    c.send(ehlo);
    (void)c.reply();
    ASSERT_EQ(send_message(c, "a@example.com", {"x@example.org", "y@example.org"},
                           "Subject: log\r\n\r\nx\r\n"),
              250);
    s.stop();
    const std::string log = test::read_file(s.dir() / "serve.log");
    EXPECT_NE(log.find("from=<a@example.com> rcpt=2"), std::string::npos) << log;
    EXPECT_NE(log.find("result=250 message=1"), std::string::npos) << log;
}

} // namespace
