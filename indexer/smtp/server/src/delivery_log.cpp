#include "delivery_log.hpp"

#include <cerrno>
#include <ctime>
#include <system_error>

namespace cairn::smtp {
namespace {

std::FILE* open_append(const std::filesystem::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "ae"); // e: O_CLOEXEC
    if (f == nullptr) {
        throw std::system_error(errno, std::generic_category(),
                                "cannot open the log file " + path.string());
    }
    return f;
}

} // namespace

delivery_log::delivery_log(std::filesystem::path path)
    : path_(std::move(path))
    , file_(path_.empty() ? stderr : open_append(path_)) {}

delivery_log::~delivery_log() {
    if (file_ != stderr && file_ != nullptr) {
        std::fclose(file_);
    }
}

void delivery_log::line(std::string_view text) {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    const std::size_t n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    const std::lock_guard lock(mutex_);
    std::fwrite(stamp, 1, n, file_);
    std::fputc(' ', file_);
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fputc('\n', file_);
    std::fflush(file_);
}

void delivery_log::reopen() {
    if (path_.empty()) {
        return;
    }
    std::FILE* fresh = std::fopen(path_.c_str(), "ae");
    const std::lock_guard lock(mutex_);
    if (fresh != nullptr) {
        std::fclose(file_);
        file_ = fresh;
    }
}

} // namespace cairn::smtp
