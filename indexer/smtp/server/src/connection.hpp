#pragma once
// One client connection: a coroutine that moves bytes between a socket (TCP or
// unix, upgraded to TLS by STARTTLS) and an smtp::session, hands finished
// messages to the archive writer and waits for their verdicts, and a watchdog
// coroutine that enforces the RFC 5321 §4.5.3.2 timeouts.
//
// Everything here runs on the server's single io thread, so the shared state
// (connection registry, counters) needs no locks.

#include "archive_writer.hpp"

#include <smtp/server.hpp>
#include <smtp/session.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace cairn::smtp {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

/// The part of a connection the server can reach for shutdown.
class connection_base {
public:
    virtual ~connection_base() = default;
    /// Shutdown: `force` closes the socket now; otherwise an idle session
    /// (waiting for a command, no transaction) is answered 421 and closed,
    /// and a busy one may finish its transaction first.
    virtual void interrupt(bool force) = 0;
};

/// What every connection shares; owned by the server, outlives them all.
struct connection_shared {
    const server_config& config;
    asio::ssl::context* tls = nullptr; ///< null: no STARTTLS
    archive_writer& writer;
    delivery_log& log;
    std::set<connection_base*> live;
    /// Live connections by peer address ("unix" for local ones, never limited).
    std::map<std::string, std::size_t> per_client;
    bool stopping = false;
    std::function<void()> on_last_closed; ///< called when `live` empties while stopping
    std::uint32_t sequence = 0;

    /// A queue id unique across restarts: microseconds since the epoch and a
    /// per-process counter, in hex (like Postfix's long queue ids).
    std::string next_queue_id() {
        const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        char id[40];
        std::snprintf(id, sizeof id, "%llX.%X", static_cast<unsigned long long>(now), ++sequence);
        return id;
    }
};

template <class Socket>
class connection final : public connection_base,
                         public std::enable_shared_from_this<connection<Socket>> {
public:
    connection(Socket socket, connection_shared& shared, const session_config& config,
               std::string peer)
        : socket_(std::move(socket))
        , shared_(shared)
        , session_(config)
        , peer_(std::move(peer))
        , watchdog_(socket_.get_executor()) {}

    static asio::awaitable<void> run(std::shared_ptr<connection> self) {
        self->shared_.live.insert(self.get());
        ++self->shared_.per_client[self->peer_];
        if (self->shared_.config.session_limit.count() > 0) {
            self->session_end_ = clock_type::now() + self->shared_.config.session_limit;
        }
        self->arm(self->shared_.config.command_timeout);
        asio::co_spawn(self->watchdog_.get_executor(), watch(self), asio::detached);
        co_await self->serve();
        self->finished_ = true;
        self->watchdog_.cancel();
        // close() alone sends the FIN (a shutdown() first only failed with
        // ENOTCONN when the client had closed already, which most have after QUIT).
        boost::system::error_code ignored;
        self->lowest().close(ignored);
        self->shared_.live.erase(self.get());
        if (const auto count = self->shared_.per_client.find(self->peer_); --count->second == 0) {
            self->shared_.per_client.erase(count);
        }
        if (self->shared_.stopping && self->shared_.live.empty() && self->shared_.on_last_closed) {
            self->shared_.on_last_closed();
        }
    }

    void interrupt(bool force) override {
        interrupted_ = true;
        boost::system::error_code ignored;
        if (force) {
            lowest().close(ignored);
        } else if (idle_) {
            lowest().cancel(ignored);
        }
    }

private:
    asio::awaitable<void> serve() {
        session_.greeting();
        std::string in; // received, not yet consumed by the session
        while (!session_.closed()) {
            if (!in.empty()) {
                in.erase(0, session_.feed(in));
            }
            if (!co_await flush()) {
                co_return;
            }
            if (auto m = session_.take_message()) {
                session_.deliver_result(co_await deliver(std::move(*m)));
                continue;
            }
            if (session_.wants_starttls()) {
                // CVE-2011-0411: whatever arrived with or after STARTTLS was
                // fed (and thrown away) by the session; drop our copy too.
                in.clear();
                if (!co_await start_tls()) {
                    co_return;
                }
                session_.tls_started();
                continue;
            }
            if (session_.closed()) {
                break;
            }
            idle_ = !session_.in_transaction() && !session_.reading_content();
            if (interrupted_ && idle_) {
                co_await say("421 4.3.2 " + shared_.config.session.hostname +
                             " Service shutting down, closing connection\r\n");
                co_return;
            }
            arm_read(session_.reading_content() ? shared_.config.data_timeout
                                                : shared_.config.command_timeout);
            const std::size_t n = co_await read_some();
            const bool was_idle = idle_;
            idle_ = false;
            if (n == 0) {
                if (timed_out_) {
                    co_await say("421 4.4.2 " + shared_.config.session.hostname +
                                 (clock_type::now() >= session_end_
                                      ? " Error: session time limit exceeded\r\n"
                                      : " Error: timeout exceeded\r\n"));
                } else if (interrupted_ && was_idle) {
                    co_await say("421 4.3.2 " + shared_.config.session.hostname +
                                 " Service shutting down, closing connection\r\n");
                }
                co_return; // end of input, error or timeout: a partial message is dropped
            }
            in.append(buffer_.data(), n);
        }
        co_await flush();
    }

    Socket& lowest() { return tls_ ? tls_->next_layer() : socket_; }

    void arm(std::chrono::milliseconds timeout) { arm_until(clock_type::now() + timeout); }

    // Waiting for the client is also bounded by the session's whole life, so
    // a client that sends a byte just before each timeout cannot keep its
    // slot forever. A message in the writer's hands is not cut short: its
    // verdict is owed.
    void arm_read(std::chrono::milliseconds timeout) {
        arm_until(std::min(clock_type::now() + timeout, session_end_));
    }

    // The watchdog sleeps until the deadline it last saw: an earlier one (the
    // session limit, a data timeout shorter than the command timeout) must
    // wake it to wait again.
    void arm_until(clock_type::time_point deadline) {
        const bool earlier = deadline < deadline_;
        deadline_ = deadline;
        if (earlier) {
            watchdog_.cancel();
        }
    }

    // Closes the connection when its deadline passes: first by cancelling the
    // pending read (so serve() can say 421), then, if the client does not even
    // take that reply, by closing the socket.
    static asio::awaitable<void> watch(std::shared_ptr<connection> self) {
        while (!self->finished_) {
            self->watchdog_.expires_at(self->deadline_);
            boost::system::error_code ec;
            co_await self->watchdog_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (self->finished_) {
                co_return;
            }
            if (clock_type::now() < self->deadline_) {
                continue; // re-armed meanwhile
            }
            boost::system::error_code ignored;
            if (!self->timed_out_) {
                self->timed_out_ = true;
                self->lowest().cancel(ignored);
                self->deadline_ = clock_type::now() + std::chrono::seconds(10);
            } else {
                self->lowest().close(ignored);
                co_return;
            }
        }
    }

    asio::awaitable<std::size_t> read_some() {
        boost::system::error_code ec;
        std::size_t n = 0;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        if (tls_) {
            n = co_await tls_->async_read_some(asio::buffer(buffer_), token);
        } else {
            n = co_await socket_.async_read_some(asio::buffer(buffer_), token);
        }
        co_return ec ? 0 : n;
    }

    asio::awaitable<bool> say(const std::string& text) {
        arm(shared_.config.command_timeout);
        boost::system::error_code ec;
        auto token = asio::redirect_error(asio::use_awaitable, ec);
        if (tls_) {
            co_await asio::async_write(*tls_, asio::buffer(text), token);
        } else {
            co_await asio::async_write(socket_, asio::buffer(text), token);
        }
        co_return !ec;
    }

    asio::awaitable<bool> flush() {
        const std::string out = session_.take_output();
        if (out.empty()) {
            co_return true;
        }
        co_return co_await say(out);
    }

    asio::awaitable<bool> start_tls() {
        if (shared_.tls == nullptr) {
            co_return false; // the session offers STARTTLS only with a context
        }
        tls_.emplace(std::move(socket_), *shared_.tls);
        arm(shared_.config.command_timeout);
        boost::system::error_code ec;
        co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                       asio::redirect_error(asio::use_awaitable, ec));
        co_return !ec;
    }

    asio::awaitable<verdict> deliver(message_ready m) {
        auto ticket = std::make_shared<delivery_ticket>(watchdog_.get_executor());
        ticket->raw = std::move(m.data);
        index::envelope& env = ticket->env;
        env.kind =
            m.env.mode == protocol::lmtp ? index::source_kind::lmtp : index::source_kind::smtp;
        env.path = shared_.next_queue_id();
        env.client_address = peer_;
        env.helo = std::move(m.env.helo);
        env.mail_from = std::move(m.env.mail_from);
        env.rcpt_to = std::move(m.env.rcpt_to);
        env.tls = m.env.tls;
        env.received_at = std::time(nullptr);
        const auto limit = shared_.config.verdict_timeout;
        arm(limit + shared_.config.command_timeout); // the verdict's own timer comes first
        ticket->wake.expires_after(limit);
        shared_.writer.submit(ticket);
        while (!ticket->done) {
            boost::system::error_code ec;
            co_await ticket->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (!ec && !ticket->done) {
                shared_.log.line("id=" + env.path + " result=451 (no verdict within the timeout)");
                co_return verdict{451, "4.3.0", "Error: timeout while storing, try again later"};
            }
        }
        co_return ticket->result;
    }

    Socket socket_;
    std::optional<asio::ssl::stream<Socket>> tls_;
    connection_shared& shared_;
    session session_;
    std::string peer_;
    asio::steady_timer watchdog_;
    clock_type::time_point deadline_{};
    clock_type::time_point session_end_ = clock_type::time_point::max(); ///< session_limit
    std::array<char, 16384> buffer_{};
    bool timed_out_ = false;
    bool interrupted_ = false;
    bool idle_ = false;
    bool finished_ = false;
};

} // namespace cairn::smtp
