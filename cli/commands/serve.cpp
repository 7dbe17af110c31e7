// `cairn serve`: the SMTP/LMTP listener that delivers into the archive
// (docs/serve.md). The server itself is cairn::smtp::server.

#include "commands/commands.hpp"
#include "commands/common.hpp"

#include <smtp/server.hpp>

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

namespace cairn::cli {

namespace {

const std::map<std::string, smtp::bare_lf_policy> bare_lf_policies{
    {"keep", smtp::bare_lf_policy::keep_with_defect},
    {"normalise", smtp::bare_lf_policy::normalise},
    {"reject", smtp::bare_lf_policy::reject}};

} // namespace

void add_serve_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::vector<std::string> smtp;
        std::vector<std::string> lmtp;
        std::vector<std::string> domains;
        std::vector<std::string> recipients;
        std::string tls_cert;
        std::string tls_key;
        std::uint64_t max_size = 50ULL * 1024 * 1024;
        std::size_t max_connections = 100;
        std::size_t max_connections_per_client = 50;
        std::string hostname;
        std::string bare_lf = "keep";
        std::string log;
        double command_timeout = 300;
        double data_timeout = 180;
        double session_limit = 3600;
        double grace = 30;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand(
        "serve", "Receive mail over SMTP and/or LMTP and archive it (see docs/serve.md)");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("--smtp", opts->smtp, "SMTP listener, HOST:PORT (port 0: any free port)");
    cmd->add_option("--lmtp", opts->lmtp, "LMTP listener, HOST:PORT or unix:PATH");
    cmd->add_option("--accept-domain", opts->domains,
                    "Accept every recipient in this domain (repeatable)");
    cmd->add_option("--accept-rcpt", opts->recipients,
                    "Accept this recipient address (repeatable; no lists: accept all)");
    auto* cert = cmd->add_option("--tls-cert", opts->tls_cert, "PEM certificate chain (STARTTLS)")
                     ->check(CLI::ExistingFile);
    auto* key = cmd->add_option("--tls-key", opts->tls_key, "PEM private key (STARTTLS)")
                    ->check(CLI::ExistingFile);
    cert->needs(key);
    key->needs(cert);
    cmd->add_option("--max-size", opts->max_size, "Largest message in octets (default 50 MiB)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--max-connections", opts->max_connections,
                    "Concurrent sessions; more get 421 (default 100)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--max-connections-per-client", opts->max_connections_per_client,
                    "Concurrent sessions from one TCP address; more get 421 "
                    "(default 50, 0 = no limit)");
    cmd->add_option("--hostname", opts->hostname, "Name in the greeting (default: this host)");
    cmd->add_option("--bare-lf", opts->bare_lf,
                    "Bare LF/CR in DATA: keep (default), normalise or reject")
        // A check of the names, not CLI11's map transformer: that one lists the
        // map's values in --help and its errors, and it cannot print them.
        ->check(CLI::IsMember(bare_lf_policies));
    cmd->add_option("--log", opts->log, "Log file (default: stderr); SIGHUP reopens it");
    cmd->add_option("--command-timeout", opts->command_timeout,
                    "Seconds to wait for a command (RFC 5321: at least 300)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--data-timeout", opts->data_timeout,
                    "Seconds to wait for each block of data (RFC 5321: at least 180)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--session-limit", opts->session_limit,
                    "Seconds a session may last in all (0: no limit)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--grace", opts->grace, "Seconds sessions may finish after SIGTERM")
        ->check(CLI::NonNegativeNumber);
    cmd->callback([opts] {
        if (opts->smtp.empty() && opts->lmtp.empty()) {
            throw failure(exit_usage,
                          "serve: give --smtp HOST:PORT and/or --lmtp HOST:PORT|unix:PATH");
        }
        smtp::server_config config;
        for (const auto& a : opts->smtp) {
            config.listeners.push_back({smtp::protocol::smtp, a});
        }
        for (const auto& a : opts->lmtp) {
            config.listeners.push_back({smtp::protocol::lmtp, a});
        }
        config.archive_dir = opts->archive.empty() ? index::archive::default_dir()
                                                   : std::filesystem::path(opts->archive);
        auto& session = config.session;
        session.accept_domains = opts->domains;
        session.accept_recipients = opts->recipients;
        session.max_message_size = opts->max_size;
        session.bare_lf = bare_lf_policies.at(opts->bare_lf); // checked by the option
        if (!opts->hostname.empty()) {
            session.hostname = opts->hostname;
        } else {
            char name[256] = {};
            if (::gethostname(name, sizeof name - 1) == 0 && name[0] != '\0') {
                session.hostname = name;
            }
        }
        config.tls_cert = opts->tls_cert;
        config.tls_key = opts->tls_key;
        config.max_connections = opts->max_connections;
        config.max_connections_per_client = opts->max_connections_per_client;
        config.log_file = opts->log;
        const auto millis = [](double seconds) {
            return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
        };
        config.command_timeout = millis(opts->command_timeout);
        config.data_timeout = millis(opts->data_timeout);
        config.session_limit = millis(opts->session_limit);
        config.grace = millis(opts->grace);

        std::unique_ptr<smtp::server> server;
        try {
            server = std::make_unique<smtp::server>(std::move(config));
        } catch (const index::archive_error& e) {
            throw failure(exit_archive, e.what());
        } catch (const smtp::server_error& e) {
            throw failure(exit_usage, e.what());
        }
        for (const auto& name : server->bound()) {
            fmt::print(stderr, "listening {}\n", name);
        }
        std::fflush(stderr);
        server->run();
    });
}

} // namespace cairn::cli
