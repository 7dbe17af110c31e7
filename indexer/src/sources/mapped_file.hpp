#pragma once
// mapped_file: a read-only memory map of one mail file (Boost.Iostreams
// mapped_file_source), with the two things the sources need beyond the map:
//
//   * errors as a reason string (errno text) instead of an exception, because a
//     file that cannot be read is reported through on_skipped, never thrown;
//   * release_before(offset), so a 1 GB mbox read front to back keeps only the
//     pages of the message at hand resident (madvise(2) MADV_DONTNEED on the
//     pages already passed; the map is read-only and file-backed, so dropped
//     pages are simply read again if touched).
//
// An empty file cannot be mapped (mmap(2) rejects length 0): open() reports
// it as "empty file". Not thread-safe; one map per file being read.

#include <boost/iostreams/device/mapped_file.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace cairn::index::sources_detail {

/// open()'s reason for a file of zero bytes.
inline constexpr std::string_view empty_file_reason = "empty file";

class mapped_file {
public:
    /// Maps `path` for reading. Returns an empty string on success, otherwise
    /// why it failed ("Permission denied", "empty file", …).
    [[nodiscard]] std::string open(const std::filesystem::path& path);

    /// The file's bytes; valid until this object is destroyed.
    [[nodiscard]] std::string_view bytes() const noexcept {
        return source_.is_open() ? std::string_view(source_.data(), source_.size())
                                 : std::string_view();
    }

    /// Tells the kernel the pages before `offset` are no longer needed. Cheap
    /// to call often: it acts only once a sizeable stretch has been passed.
    void release_before(std::uint64_t offset) noexcept;

private:
    boost::iostreams::mapped_file_source source_;
    std::uint64_t released_ = 0;
};

} // namespace cairn::index::sources_detail
