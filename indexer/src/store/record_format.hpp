#pragma once
// The on-disk record header of a store segment (layout table in
// <indexer/store.hpp>): encoding, decoding and its checks, plus the CRC-32
// used for both the header and the frame.

#include <indexer/content_hash.hpp>
#include <indexer/store.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cairn::index::store_detail {

inline constexpr std::size_t record_header_size = 64;
inline constexpr std::uint8_t record_version = 1;

/// The fields of a record header that vary per record.
struct record_header {
    std::uint64_t raw_length = 0;
    std::uint64_t stored_length = 0;
    content_hash hash;
    std::uint32_t frame_crc = 0;
    record_kind kind = record_kind::message;
};

/// Why a header was rejected; `ok` when it was not.
enum class header_status {
    ok,
    bad_magic,    ///< not a record start: garbage, zeros, or a torn header
    bad_version,  ///< written by a newer cairn
    bad_flags,    ///< a flag this version does not know
    bad_size,     ///< header size field is not 64
    bad_checksum, ///< header bytes damaged or torn
};

/// Writes the 64-byte header (checksum included) to `out`.
void encode_header(const record_header& header, char* out) noexcept;

/// Checks and reads 64 bytes at `in` into `header`.
[[nodiscard]] header_status decode_header(const char* in, record_header& header) noexcept;

/// A phrase for error messages ("bad header checksum").
[[nodiscard]] const char* describe(header_status status) noexcept;

/// zlib CRC-32 of `bytes`, continuing from `crc` (start with 0).
[[nodiscard]] std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) noexcept;

} // namespace cairn::index::store_detail
