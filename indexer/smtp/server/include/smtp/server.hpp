#pragma once
// `cairn serve` without its command line: SMTP and LMTP listeners that deliver
// into an archive (docs/serve.md).
//
//   * One io_context thread runs every connection as a coroutine driving an
//     smtp::session; the sessions only move bytes and verdicts.
//   * One writer thread owns the writable archive. Connections hand it a
//     finished message and suspend; it takes everything pending, calls
//     archive::deliver() once (one store sync, one catalog transaction),
//     and resumes each connection with its verdict — 250 only
//     after that commit, 451 4.3.0 when it failed. After a group (at most
//     index_delay later when more mail keeps coming) it hands the deferred
//     full-text work to an indexer thread, so mail is searchable within about
//     a second and group commits never wait for a Xapian commit.
//   * Timeouts follow RFC 5321 §4.5.3.2; max_connections bounds the sessions
//     and max_connections_per_client those of one address (the one over
//     gets 421 4.7.0); SIGTERM/SIGINT stop accepting and let
//     sessions finish within `grace`; SIGHUP reopens the log file.
//
// Thread-safety: construct, then run() on one thread; stop() and reopen_log()
// may be called from any thread.

#include <smtp/session.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cairn::smtp {

/// A listener could not be set up (bad address, bind failure, bad certificate).
class server_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct listen_spec {
    protocol mode = protocol::smtp;
    /// "HOST:PORT" ("[::1]:25" for IPv6; port 0 picks a free port) or "unix:PATH".
    std::string address;
};

struct server_config {
    std::vector<listen_spec> listeners;
    /// Session settings shared by every listener (mode is set per listener;
    /// tls_available is set when a certificate is given).
    session_config session;
    std::filesystem::path archive_dir;
    std::filesystem::path tls_cert; ///< PEM chain; with tls_key, enables STARTTLS
    std::filesystem::path tls_key;  ///< PEM private key
    std::size_t max_connections = 100;
    /// Connections from one TCP client address at once (Postfix's
    /// smtpd_client_connection_count_limit, same default); 0 = no limit.
    /// Unix-socket clients are local and not counted.
    std::size_t max_connections_per_client = 50;
    /// RFC 5321 §4.5.3.2.7: at least 5 minutes waiting for a command.
    std::chrono::milliseconds command_timeout = std::chrono::minutes(5);
    /// §4.5.3.2.5: at least 3 minutes waiting for each block of content.
    std::chrono::milliseconds data_timeout = std::chrono::minutes(3);
    /// §4.5.3.2.6: the client waits 10 minutes for the reply after the data;
    /// a verdict that takes longer is answered 451 4.3.0 (the message may still
    /// be archived; the client's retry is then recorded as a duplicate).
    std::chrono::milliseconds verdict_timeout = std::chrono::minutes(10);
    /// The whole life of a session, so that a client sending a byte just
    /// before each timeout cannot hold a connection slot forever (the
    /// timeouts above restart with every read). When it passes, the next
    /// wait for the client ends with 421 4.4.2; a message already received
    /// still gets its verdict. 0 = no limit. An hour carries the default
    /// 50 MiB maximum at 15 KiB/s.
    std::chrono::milliseconds session_limit = std::chrono::hours(1);
    /// SIGTERM / stop(): how long sessions in a transaction may still run.
    std::chrono::milliseconds grace = std::chrono::seconds(30);
    /// Longest wait between a delivery and its full-text indexing while more
    /// mail keeps arriving.
    std::chrono::milliseconds index_delay = std::chrono::seconds(1);
    /// While the indexer thread is busy, at most this many delivered
    /// messages wait (parsed, in memory) for the next handover; then the
    /// writer takes no more mail until the indexer is done, so a flood slows
    /// the 250s instead of growing memory without bound.
    std::size_t index_backlog = 5000;
    std::filesystem::path log_file; ///< one line per message; empty: stderr
    bool handle_signals = true;     ///< SIGTERM/SIGINT stop, SIGHUP reopens the log
};

class server {
public:
    /// Opens the archive for writing and binds every listener. Throws
    /// server_error, index::archive_error or index::io_error.
    explicit server(server_config config);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// What is listening, one entry per listener: "smtp 127.0.0.1:2525",
    /// "lmtp unix:/run/cairn.sock" (real ports when 0 was asked for).
    [[nodiscard]] std::vector<std::string> bound() const;

    /// Serves until stop() (or SIGTERM) and every session has ended; then
    /// flushes the archive (full-text index included) and returns.
    void run();

    /// Stops accepting; idle sessions get 421 4.3.2, others may finish their
    /// transaction within `grace`. Thread-safe, idempotent.
    void stop();

    /// Reopens the log file (after rotation). Thread-safe.
    void reopen_log();

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

} // namespace cairn::smtp
