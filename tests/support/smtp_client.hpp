#pragma once
// A raw SMTP/LMTP client for tests: blocking sockets (TCP or unix), replies
// read whole (multi-line), a 60 s receive timeout so a broken server fails the
// test instead of hanging it. The byte transport can be swapped (TLS).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::test {

/// Where the bytes go; the default is the socket itself.
class byte_transport {
public:
    virtual ~byte_transport() = default;
    /// Bytes read; 0 at end of input, -1 on an error or timeout.
    virtual long read(char* buffer, std::size_t size) = 0;
    virtual bool write(std::string_view bytes) = 0;
};

struct smtp_reply {
    int code = 0;
    std::string text; ///< every line, CRLFs included
};

class smtp_client {
public:
    /// Connects to 127.0.0.1:port, or to a unix socket; throws on failure.
    [[nodiscard]] static smtp_client tcp(int port);
    [[nodiscard]] static smtp_client unix_socket(const std::string& path);
    ~smtp_client();
    smtp_client(smtp_client&&) noexcept;
    smtp_client& operator=(smtp_client&&) = delete;

    /// Sends bytes as one write; false when the connection is gone.
    bool send(std::string_view bytes);
    /// The next whole reply; nullopt when the server closed (or 60 s passed).
    std::optional<smtp_reply> reply();
    /// The codes of the next `n` replies, space separated ("250 250 354");
    /// "EOF" in place of the ones that never came.
    std::string codes(std::size_t n);
    /// Reads (and drops) until the server closes the connection: true, or
    /// until an error or the 60 s timeout: false.
    bool closed_by_server();
    /// Replies read ahead and not yet returned are dropped when swapping.
    void use_transport(std::unique_ptr<byte_transport> transport);

    [[nodiscard]] int fd() const { return fd_; }

    /// Half-closes or closes the socket abruptly (the client vanishes).
    void close();

private:
    explicit smtp_client(int fd);
    bool fill();
    long last_read_ = 1;

    int fd_ = -1;
    std::unique_ptr<byte_transport> transport_;
    std::string buffer_;
};

/// "From: …\r\nSubject: <subject>\r\nMessage-ID: <id>\r\n\r\n<body>\r\n" with CRLFs.
[[nodiscard]] std::string test_message(const std::string& id, const std::string& body);

} // namespace cairn::test
