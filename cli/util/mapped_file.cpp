#include "util/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace cairn::cli {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path) {
    throw std::system_error(errno, std::generic_category(), path.string());
}

void read_all(int fd, std::string& out, const std::filesystem::path& path) {
    char chunk[65536];
    while (true) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n == 0) {
            return;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail(path);
        }
        out.append(chunk, static_cast<std::size_t>(n));
    }
}

} // namespace

mapped_file::mapped_file(const std::filesystem::path& path) {
    if (path == "-") {
        read_all(STDIN_FILENO, buffer_, "standard input");
        view_ = buffer_;
        return;
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(path);
    }

    struct stat info {};

    if (::fstat(fd, &info) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        fail(path);
    }
    if (S_ISDIR(info.st_mode)) {
        ::close(fd);
        throw std::system_error(EISDIR, std::generic_category(), path.string());
    }
    if (S_ISREG(info.st_mode) && info.st_size > 0) {
        map_size_ = static_cast<std::size_t>(info.st_size);
        map_ = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map_ == MAP_FAILED) {
            map_ = nullptr;
        } else {
            ::close(fd);
            view_ = {static_cast<const char*>(map_), map_size_};
            return;
        }
    }
    read_all(fd, buffer_, path);
    ::close(fd);
    view_ = buffer_;
}

mapped_file::~mapped_file() {
    if (map_ != nullptr) {
        ::munmap(map_, map_size_);
    }
}

} // namespace cairn::cli
