#pragma once
// One line per message (and per storage problem) to stderr or a file that can
// be reopened after rotation (SIGHUP). Lines are written whole under a mutex,
// so the writer thread and the io thread may both log.

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

namespace cairn::smtp {

class delivery_log {
public:
    /// Empty path: stderr. Throws std::system_error when the file cannot be opened.
    explicit delivery_log(std::filesystem::path path);
    ~delivery_log();
    delivery_log(const delivery_log&) = delete;
    delivery_log& operator=(const delivery_log&) = delete;

    /// Writes "<UTC time> <text>\n" and flushes.
    void line(std::string_view text);
    /// line() for each text, flushed once (a group commit's messages: one
    /// write(2) for the group instead of one per message).
    void lines(std::span<const std::string> texts);
    /// Closes and opens the file again (append); keeps the old one on failure.
    void reopen();

private:
    void put(std::string_view stamp, std::string_view text); // mutex_ held

    std::filesystem::path path_;
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
};

} // namespace cairn::smtp
