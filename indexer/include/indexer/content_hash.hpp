#pragma once
// content_hash: the SHA-256 of a message's raw bytes, cairn's identity for a
// message. The catalog maps content_hash → store location, which is how
// identical messages are archived once; the store records the hash next to
// every frame so that every read is verified.
//
//   auto h = content_hash::of(raw);            // one shot
//   content_hasher hasher;                      // or incrementally, chunk by chunk
//   hasher.update(part1); hasher.update(part2);
//   assert(hasher.finish() == h);
//   auto again = content_hash::from_hex(h.hex()); // std::optional, empty on bad text
//
// content_hash is a 32-byte trivially copyable value: compare, order, hash
// (std::hash) and copy it freely from any thread. content_hasher owns an
// OpenSSL digest context; it is movable, not copyable, and one instance must
// not be used by two threads at once.
//
// Errors: OpenSSL failing to allocate a context throws std::bad_alloc; a
// failing digest call (which OpenSSL documents only for misuse) throws
// std::runtime_error. Nothing here does I/O.

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::index {

class content_hash {
public:
    static constexpr std::size_t size = 32; ///< SHA-256 digest length in bytes.
    using bytes_type = std::array<std::uint8_t, size>;

    /// All zero bytes: no message hashes to this in practice; useful as "unset".
    constexpr content_hash() noexcept = default;

    constexpr explicit content_hash(const bytes_type& bytes) noexcept
        : bytes_(bytes) {}

    /// SHA-256 of `raw`.
    [[nodiscard]] static content_hash of(std::string_view raw);

    /// Parses 64 hex digits (either case). Returns std::nullopt for any other
    /// length or a non-hex character: text from a user is not an error.
    [[nodiscard]] static std::optional<content_hash> from_hex(std::string_view text) noexcept;

    /// 64 lowercase hex digits.
    [[nodiscard]] std::string hex() const;

    [[nodiscard]] constexpr const bytes_type& bytes() const noexcept { return bytes_; }

    friend constexpr bool operator==(const content_hash&, const content_hash&) noexcept = default;
    friend constexpr std::strong_ordering operator<=>(const content_hash&,
                                                      const content_hash&) noexcept = default;

private:
    bytes_type bytes_{};
};

/// Incremental SHA-256: update() with the message in any number of chunks, then
/// finish() once. After finish() the hasher is reset and can hash again.
class content_hasher {
public:
    content_hasher();
    ~content_hasher();
    content_hasher(content_hasher&& other) noexcept;
    content_hasher& operator=(content_hasher&& other) noexcept;
    content_hasher(const content_hasher&) = delete;
    content_hasher& operator=(const content_hasher&) = delete;

    void update(std::string_view bytes);

    /// The hash of everything passed to update() since construction or the
    /// last finish().
    [[nodiscard]] content_hash finish();

    /// Lets a content_hasher be a byte sink (mime::byte_sink) directly.
    void write(std::string_view bytes) { update(bytes); }

private:
    void* context_ = nullptr; // EVP_MD_CTX*, kept opaque so OpenSSL stays a private dependency
};

/// A byte sink that hashes and counts what passes through it: the SHA-256 and
/// decoded size of an attachment in one pass.
struct measuring_sink {
    content_hasher hasher;
    std::uint64_t bytes = 0;

    void write(std::string_view chunk) {
        hasher.update(chunk);
        bytes += chunk.size();
    }
};

} // namespace cairn::index

template <>
struct std::hash<cairn::index::content_hash> {
    /// The digest is uniformly distributed already: its first 8 bytes are a hash.
    std::size_t operator()(const cairn::index::content_hash& h) const noexcept {
        std::size_t value = 0;
        std::memcpy(&value, h.bytes().data(), sizeof value);
        return value;
    }
};
