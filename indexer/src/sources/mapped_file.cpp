// mapped_file: read-only maps with errno-text failures and page release.

#include "sources/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace cairn::index::sources_detail {
namespace {

/// Release pages in steps of this much, so a file of many small messages does
/// not make one madvise(2) call per message.
constexpr std::uint64_t release_step = 16U << 20U;

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

} // namespace

std::string mapped_file::open(const std::filesystem::path& path) {
    // open(2) first: Boost reports failures as an exception whose text is not
    // the plain errno message, and an empty file must be told apart before
    // mapping (mmap(2) fails with EINVAL on length 0).
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        return errno_text(errno);
    }

    struct stat facts {};

    const int stat_result = ::fstat(fd, &facts);
    const int stat_error = errno;
    ::close(fd);
    if (stat_result != 0) {
        return errno_text(stat_error);
    }
    if (!S_ISREG(facts.st_mode)) {
        return "not a regular file";
    }
    if (facts.st_size == 0) {
        return std::string(empty_file_reason);
    }
    try {
        source_.open(path.string());
    } catch (const std::exception& error) {
        return error.what();
    }
    released_ = 0;
    return {};
}

void mapped_file::release_before(std::uint64_t offset) noexcept {
    if (!source_.is_open() || offset < released_ + release_step) {
        return;
    }
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    const std::uint64_t end = offset / page * page;
    // The map starts on a page boundary, so [released_, end) is whole pages.
    auto* base = const_cast<char*>(source_.data()); // NOLINT: madvise takes void*
    ::madvise(base + released_, end - released_, MADV_DONTNEED);
    released_ = end;
}

} // namespace cairn::index::sources_detail
