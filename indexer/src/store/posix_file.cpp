// posix_file: owned descriptor, positioned reads and writes, fdatasync, flock.
#include "store/posix_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace cairn::index::store_detail {

void throw_errno(const std::string& message, const std::filesystem::path& path) {
    throw io_error(message, path, std::error_code(errno, std::generic_category()));
}

posix_file::~posix_file() {
    if (fd_ >= 0) {
        ::close(fd_); // nothing useful to do with a close error on a destructor path
    }
}

posix_file::posix_file(posix_file&& other) noexcept
    : fd_(std::exchange(other.fd_, -1))
    , path_(std::move(other.path_)) {}

posix_file& posix_file::operator=(posix_file&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

posix_file posix_file::open(const std::filesystem::path& path, int flags, mode_t mode) {
    int fd = -1;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        throw_errno("cannot open", path);
    }
    return posix_file(fd, path);
}

std::uint64_t posix_file::size() const {
    struct stat info {};

    if (::fstat(fd_, &info) != 0) {
        throw_errno("cannot stat", path_);
    }
    return static_cast<std::uint64_t>(info.st_size);
}

namespace {

/// Calls `call` (a system call returning 0 or -1) again while it fails with
/// EINTR; returns its last result.
template <class Call>
int retry_interrupted(const Call& call) {
    int rc = 0;
    do {
        rc = call();
    } while (rc != 0 && errno == EINTR);
    return rc;
}

/// Calls `io(done)` (a pread or pwrite of what is left) until `length` bytes
/// are done or it returns 0 (end of file), retrying EINTR. Returns bytes done.
template <class Io>
std::size_t positioned_loop(std::size_t length, const Io& io, const char* what,
                            const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < length) {
        const ssize_t n = io(done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw_errno(what, path);
        }
        if (n == 0) {
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    return done;
}

} // namespace

std::size_t posix_file::read_at(char* out, std::size_t length, std::uint64_t offset) const {
    return positioned_loop(
        length,
        [&](std::size_t done) {
            return ::pread(fd_, out + done, length - done, static_cast<off_t>(offset + done));
        },
        "cannot read", path_);
}

void posix_file::write_at(const char* data, std::size_t length, std::uint64_t offset) const {
    const std::size_t written = positioned_loop(
        length,
        [&](std::size_t done) {
            return ::pwrite(fd_, data + done, length - done, static_cast<off_t>(offset + done));
        },
        "cannot write", path_);
    if (written < length) { // pwrite returning 0 for a non-zero length: treat as a full disk
        throw io_error("cannot write", path_, std::make_error_code(std::errc::no_space_on_device));
    }
}

void posix_file::truncate(std::uint64_t length) const {
    if (retry_interrupted([&] { return ::ftruncate(fd_, static_cast<off_t>(length)); }) != 0) {
        throw_errno("cannot truncate", path_);
    }
}

void posix_file::datasync() const {
    // No EINTR retry: after a failed fdatasync the kernel may already have
    // dropped the dirty pages (the 2018 "fsyncgate"), so a retry could report
    // success for data that is gone. The caller must treat this as fatal.
    if (::fdatasync(fd_) != 0) {
        throw_errno("cannot sync", path_);
    }
}

bool posix_file::try_lock_exclusive() const {
    const int rc = retry_interrupted([&] { return ::flock(fd_, LOCK_EX | LOCK_NB); });
    if (rc == 0) {
        return true;
    }
    if (errno == EWOULDBLOCK) {
        return false;
    }
    throw_errno("cannot lock", path_);
}

void sync_directory(const std::filesystem::path& dir) {
    const posix_file folder = posix_file::open(dir, O_RDONLY | O_DIRECTORY);
    if (::fsync(folder.fd()) != 0) {
        throw_errno("cannot sync folder", dir);
    }
}

} // namespace cairn::index::store_detail
