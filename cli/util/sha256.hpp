#pragma once
// SHA-256 as a byte sink (OpenSSL EVP), for part hashes and content addresses.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cairn::cli {

class sha256_sink {
public:
    sha256_sink();
    ~sha256_sink();
    sha256_sink(const sha256_sink&) = delete;
    sha256_sink& operator=(const sha256_sink&) = delete;

    void write(std::string_view bytes);
    /// The digest as 64 lowercase hex digits; the sink cannot be written after.
    [[nodiscard]] std::string hex_digest();

    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }

private:
    struct context_deleter {
        void operator()(void* context) const noexcept;
    };

    std::unique_ptr<void, context_deleter> context_;
    std::uint64_t size_ = 0;
};

} // namespace cairn::cli
