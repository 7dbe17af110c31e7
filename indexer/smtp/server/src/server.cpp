// The server: listeners and their accept loops, the connection limit, signals
// and the graceful stop. Connections are in connection.hpp, the archive writer
// thread in archive_writer.cpp.

#include "archive_writer.hpp"
#include "connection.hpp"
#include "delivery_log.hpp"

#include <indexer/archive.hpp>
#include <smtp/server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <list>
#include <optional>
#include <variant>

namespace cairn::smtp {
namespace {

using tcp = asio::ip::tcp;
using unix_socket = asio::local::stream_protocol;

const char* mode_name(protocol p) {
    return p == protocol::lmtp ? "lmtp" : "smtp";
}

tcp::endpoint resolve(asio::io_context& io, const std::string& address) {
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) {
        throw server_error("listen address " + address + " is not HOST:PORT or unix:PATH");
    }
    std::string host = address.substr(0, colon);
    const std::string port = address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host.empty() || host == "*") {
        host = "0.0.0.0";
    }
    boost::system::error_code ec;
    tcp::resolver resolver(io);
    const auto results = resolver.resolve(host, port, tcp::resolver::passive, ec);
    if (ec || results.empty()) {
        throw server_error("cannot resolve listen address " + address + ": " + ec.message());
    }
    return results.begin()->endpoint();
}

// Sessions wait on every group commit, so none of them may pay for a
// catalog checkpoint (catalog::checkpoint_in_background).
index::archive open_archive(const std::filesystem::path& dir) {
    auto archive = index::archive::open(dir, true);
    // Every group commit syncs a few records: see segment_store::zero_fill_ahead.
    constexpr std::uint64_t store_zeros_ahead = std::uint64_t{8} << 20;
    archive.store().zero_fill_ahead(store_zeros_ahead);
    archive.messages().checkpoint_in_background();
    return archive;
}

std::string endpoint_text(const tcp::endpoint& e) {
    const auto a = e.address();
    return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

template <class Acceptor, class Endpoint>
void open_acceptor(Acceptor& acceptor, const Endpoint& endpoint, const std::string& address) {
    boost::system::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec && std::is_same_v<Acceptor, tcp::acceptor>) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw server_error("cannot listen on " + address + ": " + ec.message());
    }
}

// Accepted over the connection limit: one 421 (RFC 5321 §3.1 allows it as the
// greeting) and close. A fresh socket's send buffer takes 60 octets at once.
template <class Socket>
asio::awaitable<void> refuse(Socket socket, std::string reply) {
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(reply),
                               asio::redirect_error(asio::use_awaitable, ec));
    socket.shutdown(asio::socket_base::shutdown_both, ec);
}

} // namespace

struct server::impl {
    struct listener {
        session_config session;
        std::variant<tcp::acceptor, unix_socket::acceptor> acceptor;
        std::string name;      ///< "smtp 127.0.0.1:2525"
        std::string unix_path; ///< removed at the end
    };

    explicit impl(server_config c)
        : config(std::move(c))
        , archive(open_archive(config.archive_dir))
        , log(config.log_file)
        , writer(archive, log, config.index_delay, config.index_backlog)
        , shared{config, nullptr, writer, log, {}, {}, false, {}, 0}
        , grace_timer(io) {
        if (!config.tls_cert.empty() || !config.tls_key.empty()) {
            load_tls();
        }
        for (const listen_spec& spec : config.listeners) {
            add_listener(spec);
        }
        if (listeners.empty()) {
            throw server_error("nothing to listen on (give --smtp or --lmtp)");
        }
        shared.on_last_closed = [this] { grace_timer.cancel(); };
    }

    void load_tls() {
        tls.emplace(asio::ssl::context::tls_server);
        try {
            tls->set_options(asio::ssl::context::default_workarounds |
                             asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                             asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                             asio::ssl::context::single_dh_use);
            tls->use_certificate_chain_file(config.tls_cert.string());
            tls->use_private_key_file(config.tls_key.string(), asio::ssl::context::pem);
        } catch (const boost::system::system_error& e) {
            throw server_error("cannot load the TLS certificate " + config.tls_cert.string() +
                               " / key " + config.tls_key.string() + ": " + e.what());
        }
        shared.tls = &*tls;
        config.session.tls_available = true;
    }

    void add_listener(const listen_spec& spec) {
        session_config session = config.session;
        session.mode = spec.mode;
        session.tls_available = tls.has_value();
        if (spec.address.starts_with("unix:")) {
            const std::string path = spec.address.substr(5);
            std::error_code ignored;
            if (std::filesystem::is_socket(path, ignored)) {
                std::filesystem::remove(path, ignored); // left by an earlier run
            }
            unix_socket::acceptor acceptor(io);
            open_acceptor(acceptor, unix_socket::endpoint(path), spec.address);
            listeners.push_back({session, std::move(acceptor),
                                 std::string(mode_name(spec.mode)) + " " + spec.address, path});
            return;
        }
        tcp::acceptor acceptor(io);
        open_acceptor(acceptor, resolve(io, spec.address), spec.address);
        const std::string name =
            std::string(mode_name(spec.mode)) + " " + endpoint_text(acceptor.local_endpoint());
        listeners.push_back({session, std::move(acceptor), name, {}});
    }

    /// Why a new connection from `peer` is one too many, if it is.
    std::optional<std::string> over_limit(const std::string& peer, bool counted) const {
        if (shared.live.size() >= config.max_connections) {
            return std::to_string(shared.live.size()) + " connections already";
        }
        if (counted && config.max_connections_per_client != 0) {
            const auto found = shared.per_client.find(peer);
            if (found != shared.per_client.end() &&
                found->second >= config.max_connections_per_client) {
                return std::to_string(found->second) + " connections from this address already";
            }
        }
        return std::nullopt;
    }

    template <class Acceptor>
    asio::awaitable<void> accept_loop(Acceptor& acceptor, const session_config& session) {
        using socket_type = typename Acceptor::protocol_type::socket;
        for (;;) {
            boost::system::error_code ec;
            // accept() fills in the peer's address: no getpeername() per connection
            typename Acceptor::endpoint_type remote;
            socket_type socket = co_await acceptor.async_accept(
                remote, asio::redirect_error(asio::use_awaitable, ec));
            if (shared.stopping) {
                co_return;
            }
            if (ec) {
                // EMFILE and the like: wait a little instead of spinning.
                asio::steady_timer pause(io, std::chrono::milliseconds(100));
                co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            std::string peer = "unix";
            if constexpr (std::is_same_v<socket_type, tcp::socket>) {
                peer = remote.address().to_string();
            }
            if (auto why = over_limit(peer, std::is_same_v<socket_type, tcp::socket>)) {
                log.line("refused a connection from " + peer + ": " + *why + " (421)");
                asio::co_spawn(io,
                               refuse(std::move(socket),
                                      "421 4.7.0 " + session.hostname +
                                          " Error: too many connections, try again later\r\n"),
                               asio::detached);
                continue;
            }
            auto c = std::make_shared<connection<socket_type>>(std::move(socket), shared, session,
                                                               std::move(peer));
            asio::co_spawn(io, connection<socket_type>::run(std::move(c)), asio::detached);
        }
    }

    void begin_stop() {
        if (shared.stopping) {
            return;
        }
        shared.stopping = true;
        for (auto& l : listeners) {
            std::visit(
                [](auto& a) {
                    boost::system::error_code ignored;
                    a.close(ignored);
                },
                l.acceptor);
        }
        if (signals) {
            boost::system::error_code ignored;
            signals->cancel(ignored);
        }
        const std::set<connection_base*> now = shared.live; // interrupt() may not erase, but copy
        for (auto* c : now) {
            c->interrupt(false);
        }
        if (shared.live.empty()) {
            return;
        }
        grace_timer.expires_after(config.grace);
        grace_timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec) {
                return; // every session ended in time
            }
            const std::set<connection_base*> left = shared.live;
            for (auto* c : left) {
                c->interrupt(true);
            }
        });
    }

    void wait_for_signal() {
        signals->async_wait([this](const boost::system::error_code& ec, int number) {
            if (ec) {
                return;
            }
            if (number == SIGHUP) {
                log.reopen();
                wait_for_signal();
                return;
            }
            log.line(std::string("stopping (") + (number == SIGINT ? "SIGINT" : "SIGTERM") + ")");
            begin_stop();
        });
    }

    server_config config;
    asio::io_context io{1};
    std::optional<asio::ssl::context> tls;
    index::archive archive;
    delivery_log log;
    archive_writer writer;
    connection_shared shared;
    asio::steady_timer grace_timer;
    std::optional<asio::signal_set> signals;
    std::list<listener> listeners; // stable addresses for the accept loops
};

server::server(server_config config)
    : impl_(std::make_unique<impl>(std::move(config))) {}

server::~server() {
    for (auto& l : impl_->listeners) {
        if (!l.unix_path.empty()) {
            std::error_code ignored;
            std::filesystem::remove(l.unix_path, ignored);
        }
    }
}

std::vector<std::string> server::bound() const {
    std::vector<std::string> names;
    for (const auto& l : impl_->listeners) {
        names.push_back(l.name);
    }
    return names;
}

void server::run() {
    impl& s = *impl_;
    if (s.config.handle_signals) {
        s.signals.emplace(s.io, SIGTERM, SIGINT, SIGHUP);
        s.wait_for_signal();
    }
    for (auto& l : s.listeners) {
        std::visit(
            [&](auto& acceptor) {
                asio::co_spawn(s.io, s.accept_loop(acceptor, l.session), asio::detached);
            },
            l.acceptor);
    }
    s.io.run();
    s.writer.stop(); // the last group, then the full-text index
}

void server::stop() {
    asio::post(impl_->io, [this] { impl_->begin_stop(); });
}

void server::reopen_log() {
    impl_->log.reopen();
}

} // namespace cairn::smtp
