#pragma once
// segment_scanner: walks the records of one segment in order, for crash
// recovery (open) and for_each. Reads go through a 1 MiB read-ahead buffer: a
// scan visits every record, and one pread(2) per 64-byte header (about 2 µs
// each) would cost more than the checksums themselves.

#include "store/posix_file.hpp"
#include "store/record_format.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace cairn::index::store_detail {

/// How the record at the scanner's offset looks.
struct scanned_record {
    header_status status = header_status::ok;
    bool truncated = false; ///< header or frame runs past the end of the data
    record_header header;

    /// A whole record with a valid header (its frame not yet checked).
    [[nodiscard]] bool ok() const noexcept { return status == header_status::ok && !truncated; }
};

class segment_scanner {
public:
    /// Scans `file` from offset `start` (a record boundary) up to `end` (the
    /// data the caller trusts to be there: the file size, or the in-process
    /// writer's published end). The file must outlive the scanner.
    segment_scanner(const posix_file& file, std::uint64_t end, std::uint64_t start = 0);

    [[nodiscard]] bool at_end() const noexcept { return offset_ >= end_; }

    [[nodiscard]] std::uint64_t offset() const noexcept { return offset_; }

    /// Reads and checks the header at offset(); reads nothing of the frame.
    [[nodiscard]] scanned_record current();

    /// CRC-32 of the frame of `record` (which current() returned ok()).
    [[nodiscard]] std::uint32_t frame_crc(const scanned_record& record);

    /// Moves past `record` (which current() returned ok()).
    void next(const scanned_record& record) noexcept;

private:
    /// Up to `length` bytes at `offset` (at most the buffer size), fewer only
    /// at `end_`. Valid until the next call.
    std::string_view bytes(std::uint64_t offset, std::size_t length);

    const posix_file& file_;
    std::uint64_t end_;
    std::uint64_t offset_;
    std::vector<char> buffer_;
    std::uint64_t buffer_start_ = 0;
    std::size_t buffer_filled_ = 0;
};

} // namespace cairn::index::store_detail
