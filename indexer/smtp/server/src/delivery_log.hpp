#pragma once
// One line per message (and per storage problem) to stderr or a file that can
// be reopened after rotation (SIGHUP). Lines are written whole under a mutex,
// so the writer thread and the io thread may both log.

#include <cstdio>
#include <filesystem>
#include <mutex>
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
    /// Closes and opens the file again (append); keeps the old one on failure.
    void reopen();

private:
    std::filesystem::path path_;
    std::mutex mutex_;
    std::FILE* file_ = nullptr;
};

} // namespace cairn::smtp
