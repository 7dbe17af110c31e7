#pragma once
// A live `cairn serve` in the test process: an archive in a scratch folder, a
// server on 127.0.0.1 port 0 run on its own thread, raw clients, and a TLS
// transport for STARTTLS. stop() waits for the server to flush (group commit
// and full-text index), after which the archive can be inspected.

#include "support/smtp_client.hpp"
#include "support/temp_dir.hpp"
#include "support/test_data.hpp"

#include <indexer/archive.hpp>
#include <smtp/server.hpp>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace cairn::test {

class live_server {
public:
    /// `tune` adjusts the configuration (listeners default to one SMTP on port 0).
    template <class Tune>
    explicit live_server(Tune tune)
        : dir_("cairn-serve") {
        (void)index::archive::init(archive_dir());
        smtp::server_config config;
        config.archive_dir = archive_dir();
        config.session.hostname = "mx.test";
        config.handle_signals = false;
        config.log_file = dir_.path() / "serve.log";
        config.listeners.push_back({smtp::protocol::smtp, "127.0.0.1:0"});
        tune(config);
        server_ = std::make_unique<smtp::server>(std::move(config));
        thread_ = std::thread([this] { server_->run(); });
    }

    live_server()
        : live_server([](smtp::server_config&) {}) {}

    ~live_server() { stop(); }

    /// The port of the n-th TCP listener ("smtp 127.0.0.1:PORT").
    [[nodiscard]] int port(std::size_t n = 0) const {
        const std::string name = server_->bound().at(n);
        return std::stoi(name.substr(name.rfind(':') + 1));
    }

    /// A connected client whose 220 greeting has been read.
    [[nodiscard]] smtp_client connect(std::size_t listener = 0) const {
        auto c = smtp_client::tcp(port(listener));
        const auto greeting = c.reply();
        EXPECT_TRUE(greeting && greeting->code == 220);
        return c;
    }

    void stop() {
        if (thread_.joinable()) {
            server_->stop();
            thread_.join();
        }
    }

    /// After stop(): the archive, read-only.
    [[nodiscard]] index::archive archive() const {
        return index::archive::open(archive_dir(), false);
    }

    [[nodiscard]] std::filesystem::path archive_dir() const { return dir_.path() / "archive"; }

    [[nodiscard]] const std::filesystem::path& dir() const { return dir_.path(); }

    [[nodiscard]] smtp::server& server() { return *server_; }

private:
    scratch_dir dir_;
    std::unique_ptr<smtp::server> server_;
    std::thread thread_;
};

inline std::filesystem::path tls_cert() {
    return source_dir() / "tests" / "data" / "tls" / "cert.pem";
}

inline std::filesystem::path tls_key() {
    return source_dir() / "tests" / "data" / "tls" / "key.pem";
}

/// OpenSSL client side over the client's socket (the test certificate is
/// self-signed, so it is not verified).
class tls_transport final : public byte_transport {
public:
    explicit tls_transport(int fd)
        : ctx_(SSL_CTX_new(TLS_client_method()))
        , ssl_(SSL_new(ctx_)) {
        SSL_set_fd(ssl_, fd);
        ok_ = SSL_connect(ssl_) == 1;
    }

    ~tls_transport() override {
        SSL_free(ssl_);
        SSL_CTX_free(ctx_);
    }

    tls_transport(const tls_transport&) = delete;
    tls_transport& operator=(const tls_transport&) = delete;

    [[nodiscard]] bool handshake_ok() const { return ok_; }

    long read(char* buffer, std::size_t size) override {
        const int n = SSL_read(ssl_, buffer, static_cast<int>(size));
        if (n > 0) {
            return n;
        }
        return SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    }

    bool write(std::string_view bytes) override {
        return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
               static_cast<int>(bytes.size());
    }

private:
    SSL_CTX* ctx_;
    SSL* ssl_;
    bool ok_ = false;
};

/// Runs the handshake on `c`; false when it failed.
inline bool start_tls(smtp_client& c) {
    auto t = std::make_unique<tls_transport>(c.fd());
    const bool ok = t->handshake_ok();
    c.use_transport(std::move(t));
    return ok;
}

/// Every stored message's raw bytes, in id order.
inline std::vector<std::string> stored_messages(const index::archive& a) {
    std::vector<std::string> out;
    const_cast<index::archive&>(a).messages().for_each(
        [&](const index::message_row& row) { out.push_back(a.raw(row.id)); });
    return out;
}

} // namespace cairn::test
