// segment_scanner: sequential record walk through a read-ahead buffer.
#include "store/segment_scanner.hpp"

#include <algorithm>

namespace cairn::index::store_detail {
namespace {

constexpr std::size_t read_ahead = std::size_t{1} << 20;

} // namespace

segment_scanner::segment_scanner(const posix_file& file, std::uint64_t end, std::uint64_t start)
    : file_(file)
    , end_(end)
    , offset_(start) {}

std::string_view segment_scanner::bytes(std::uint64_t offset, std::size_t length) {
    const bool inside = offset >= buffer_start_ && offset - buffer_start_ <= buffer_filled_ &&
                        buffer_filled_ - (offset - buffer_start_) >= length;
    if (!inside) {
        if (buffer_.empty()) {
            buffer_.resize(read_ahead);
        }
        const auto want = static_cast<std::size_t>(
            std::min<std::uint64_t>(buffer_.size(), end_ > offset ? end_ - offset : 0));
        buffer_start_ = offset;
        buffer_filled_ = file_.read_at(buffer_.data(), want, offset);
    }
    const std::size_t skip = static_cast<std::size_t>(offset - buffer_start_);
    return {buffer_.data() + skip, std::min(length, buffer_filled_ - skip)};
}

scanned_record segment_scanner::current() {
    scanned_record record;
    const std::string_view header = bytes(offset_, record_header_size);
    if (header.size() < record_header_size) {
        record.truncated = true;
        return record;
    }
    record.status = decode_header(header.data(), record.header);
    // Compared by subtraction: a damaged length must not overflow the sum.
    if (record.status == header_status::ok &&
        record.header.stored_length > end_ - offset_ - record_header_size) {
        record.truncated = true;
    }
    return record;
}

std::uint32_t segment_scanner::frame_crc(const scanned_record& record) {
    const std::uint64_t start = offset_ + record_header_size;
    std::uint32_t crc = 0;
    for (std::uint64_t done = 0; done < record.header.stored_length;) {
        const auto want = static_cast<std::size_t>(
            std::min<std::uint64_t>(read_ahead, record.header.stored_length - done));
        const std::string_view piece = bytes(start + done, want);
        if (piece.empty()) {
            throw io_error("segment ended inside a record", file_.path());
        }
        crc = crc32(crc, piece);
        done += piece.size();
    }
    return crc;
}

void segment_scanner::next(const scanned_record& record) noexcept {
    offset_ += record_header_size + record.header.stored_length;
}

} // namespace cairn::index::store_detail
