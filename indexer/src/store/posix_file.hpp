#pragma once
// posix_file: an owned file descriptor with the few positioned I/O calls the
// store needs, each throwing io_error with the file's path on failure.
//
// Positioned I/O (pread/pwrite) keeps no file position, so any number of
// threads may read through one descriptor at once (POSIX pread(2)).

#include <indexer/error.hpp>

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace cairn::index::store_detail {

class posix_file {
public:
    posix_file() = default;
    ~posix_file();
    posix_file(posix_file&& other) noexcept;
    posix_file& operator=(posix_file&& other) noexcept;
    posix_file(const posix_file&) = delete;
    posix_file& operator=(const posix_file&) = delete;

    /// open(2) with O_CLOEXEC added; throws io_error("cannot open …").
    [[nodiscard]] static posix_file open(const std::filesystem::path& path, int flags,
                                         mode_t mode = 0644);

    [[nodiscard]] bool is_open() const noexcept { return fd_ >= 0; }

    [[nodiscard]] int fd() const noexcept { return fd_; }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// Current size from fstat(2).
    [[nodiscard]] std::uint64_t size() const;

    /// Reads up to `length` bytes at `offset`, retrying short reads and EINTR;
    /// returns fewer only at end of file.
    [[nodiscard]] std::size_t read_at(char* out, std::size_t length, std::uint64_t offset) const;

    /// Writes all `length` bytes at `offset` (retrying short writes and EINTR).
    void write_at(const char* data, std::size_t length, std::uint64_t offset) const;

    void truncate(std::uint64_t length) const;
    void datasync() const;

    /// flock(LOCK_EX | LOCK_NB); false when another open file holds it.
    [[nodiscard]] bool try_lock_exclusive() const;

private:
    posix_file(int fd, std::filesystem::path path) noexcept
        : fd_(fd)
        , path_(std::move(path)) {}

    int fd_ = -1;
    std::filesystem::path path_;
};

/// fsync(2) on a folder, so that files created or renamed in it survive a
/// crash (a new file's data being synced does not make its name durable).
void sync_directory(const std::filesystem::path& dir);

/// io_error for the current errno.
[[noreturn]] void throw_errno(const std::string& message, const std::filesystem::path& path);

} // namespace cairn::index::store_detail
