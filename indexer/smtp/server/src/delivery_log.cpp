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

namespace {

/// "2026-12-02T15:49:07Z": the time every line starts with.
struct utc_stamp {
    char text[32];
    std::size_t size;

    utc_stamp() {
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    }

    [[nodiscard]] std::string_view view() const { return {text, size}; }
};

} // namespace

void delivery_log::put(std::string_view stamp, std::string_view text) {
    std::fwrite(stamp.data(), 1, stamp.size(), file_);
    std::fputc(' ', file_);
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fputc('\n', file_);
}

void delivery_log::line(std::string_view text) {
    const utc_stamp stamp;
    const std::lock_guard lock(mutex_);
    put(stamp.view(), text);
    std::fflush(file_);
}

void delivery_log::lines(std::span<const std::string> texts) {
    const utc_stamp stamp;
    const std::lock_guard lock(mutex_);
    for (const auto& text : texts) {
        put(stamp.view(), text);
    }
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
