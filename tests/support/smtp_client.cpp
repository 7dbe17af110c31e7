#include "support/smtp_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace cairn::test {
namespace {

class socket_transport final : public byte_transport {
public:
    explicit socket_transport(int fd)
        : fd_(fd) {}

    long read(char* buffer, std::size_t size) override {
        for (;;) {
            const ssize_t n = ::recv(fd_, buffer, size, 0);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return n < 0 ? -1 : static_cast<long>(n);
        }
    }

    bool write(std::string_view bytes) override {
        while (!bytes.empty()) {
            const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

private:
    int fd_;
};

int with_timeout(int fd) {
    timeval tv{};
    tv.tv_sec = 60;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

} // namespace

smtp_client::smtp_client(int fd)
    : fd_(with_timeout(fd))
    , transport_(std::make_unique<socket_transport>(fd)) {}

smtp_client::smtp_client(smtp_client&& other) noexcept
    : fd_(std::exchange(other.fd_, -1))
    , transport_(std::move(other.transport_))
    , buffer_(std::move(other.buffer_)) {}

smtp_client::~smtp_client() {
    close();
}

void smtp_client::close() {
    transport_.reset();
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

namespace {

/// A socket of `family` connected to `addr`; throws with errno's text.
template <typename Address>
int connected(int family, const Address& addr) {
    const int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        if (fd >= 0) {
            ::close(fd);
        }
        throw std::runtime_error(std::string("connect: ") + std::strerror(err));
    }
    return fd;
}

} // namespace

smtp_client smtp_client::tcp(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return smtp_client(connected(AF_INET, addr));
}

smtp_client smtp_client::unix_socket(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    return smtp_client(connected(AF_UNIX, addr));
}

bool smtp_client::send(std::string_view bytes) {
    return transport_ && transport_->write(bytes);
}

bool smtp_client::fill() {
    char chunk[4096];
    last_read_ = transport_ ? transport_->read(chunk, sizeof chunk) : -1;
    if (last_read_ > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(last_read_));
    }
    return last_read_ > 0;
}

std::optional<smtp_reply> smtp_client::reply() {
    smtp_reply r;
    std::size_t start = 0; // of the current line in buffer_
    for (;;) {
        const auto end = buffer_.find("\r\n", start);
        if (end == std::string::npos) {
            if (!fill()) {
                return std::nullopt;
            }
            continue;
        }
        const std::string_view line(buffer_.data() + start, end - start);
        const bool last = line.size() < 4 || line[3] != '-';
        start = end + 2;
        if (last) {
            r.code = line.size() >= 3 ? std::atoi(std::string(line.substr(0, 3)).c_str()) : 0;
            r.text = buffer_.substr(0, start);
            buffer_.erase(0, start);
            return r;
        }
    }
}

std::string smtp_client::codes(std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        const auto r = reply();
        out += (i == 0 ? "" : " ") + (r ? std::to_string(r->code) : std::string("EOF"));
    }
    return out;
}

bool smtp_client::closed_by_server() {
    while (fill()) {
        buffer_.clear();
    }
    return last_read_ == 0;
}

void smtp_client::use_transport(std::unique_ptr<byte_transport> transport) {
    buffer_.clear();
    transport_ = std::move(transport);
}

std::string test_message(const std::string& id, const std::string& body) {
    return "From: Sender <sender@example.com>\r\nTo: archive@example.org\r\nSubject: test " + id +
           "\r\nMessage-ID: <" + id + "@example.com>\r\n\r\n" + body + "\r\n";
}

} // namespace cairn::test
