// Record header encoding. Integers are little-endian whatever the host, so a
// store copied between machines stays readable.
//
// Why CRC-32 (zlib's crc32_z) for the checksums: it detects every burst error
// up to 32 bits and all torn writes we care about, zlib's implementation runs
// at several GB/s (the whole last segment is checked on open), and zlib is on
// every machine already (Boost.Iostreams links it). A cryptographic hash is
// not needed here: the SHA-256 of the message covers malice and the rest.
#include "store/record_format.hpp"

#include "store/little_endian.hpp"

#include <zlib.h>

#include <cstring>

namespace cairn::index::store_detail {
namespace {

constexpr char magic[4] = {'C', 'Z', 'S', 'R'};
constexpr std::size_t checksummed_bytes = 60; // everything before the header CRC
constexpr char envelope_flag = 0x01;

} // namespace

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) noexcept {
    if (bytes.empty()) {
        return crc;
    }
    return static_cast<std::uint32_t>(
        ::crc32_z(crc, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

void encode_header(const record_header& header, char* out) noexcept {
    std::memcpy(out, magic, sizeof magic);
    out[4] = static_cast<char>(record_version);
    out[5] = header.kind == record_kind::envelope ? envelope_flag : 0;
    put_le(out + 6, static_cast<std::uint16_t>(record_header_size));
    put_le(out + 8, header.raw_length);
    put_le(out + 16, header.stored_length);
    std::memcpy(out + 24, header.hash.bytes().data(), content_hash::size);
    put_le(out + 56, header.frame_crc);
    put_le(out + 60, crc32(0, std::string_view(out, checksummed_bytes)));
}

header_status decode_header(const char* in, record_header& header) noexcept {
    if (std::memcmp(in, magic, sizeof magic) != 0) {
        return header_status::bad_magic;
    }
    // Checksum before the other fields: a torn header may have any values in
    // them, and "damaged" is the truer diagnosis than "newer version".
    if (get_le<std::uint32_t>(in + 60) != crc32(0, std::string_view(in, checksummed_bytes))) {
        return header_status::bad_checksum;
    }
    if (static_cast<std::uint8_t>(in[4]) != record_version) {
        return header_status::bad_version;
    }
    if ((in[5] & ~envelope_flag) != 0) {
        return header_status::bad_flags;
    }
    if (get_le<std::uint16_t>(in + 6) != record_header_size) {
        return header_status::bad_size;
    }
    header.raw_length = get_le<std::uint64_t>(in + 8);
    header.stored_length = get_le<std::uint64_t>(in + 16);
    content_hash::bytes_type digest{};
    std::memcpy(digest.data(), in + 24, content_hash::size);
    header.hash = content_hash(digest);
    header.frame_crc = get_le<std::uint32_t>(in + 56);
    header.kind = (in[5] & envelope_flag) != 0 ? record_kind::envelope : record_kind::message;
    return header_status::ok;
}

const char* describe(header_status status) noexcept {
    switch (status) {
    case header_status::ok:
        return "valid record header";
    case header_status::bad_magic:
        return "no record header (bad magic)";
    case header_status::bad_version:
        return "record format version not supported";
    case header_status::bad_flags:
        return "record flags not supported";
    case header_status::bad_size:
        return "record header size not supported";
    case header_status::bad_checksum:
        return "record header checksum mismatch";
    }
    return "invalid record header";
}

} // namespace cairn::index::store_detail
