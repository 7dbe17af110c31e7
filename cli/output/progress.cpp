#include "output/progress.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cstdio>

namespace cairn::cli {

progress_line::progress_line(std::uint64_t total_bytes)
    : enabled_(::isatty(STDERR_FILENO) == 1)
    , total_bytes_(total_bytes) {}

progress_line::~progress_line() {
    if (drawn_) {
        fmt::print(stderr, "\n");
    }
}

void progress_line::update(const index::index_progress& p) {
    if (!enabled_ || p.seconds <= 0) {
        return;
    }
    const double rate = static_cast<double>(p.messages) / p.seconds;
    std::string eta;
    if (total_bytes_ > p.bytes && p.bytes > 0) {
        const double byte_rate = static_cast<double>(p.bytes) / p.seconds;
        const auto left =
            static_cast<long>(static_cast<double>(total_bytes_ - p.bytes) / byte_rate);
        eta = fmt::format("  ETA {}:{:02}", left / 60, left % 60);
    }
    const double percent =
        total_bytes_ > 0 ? 100.0 * static_cast<double>(p.bytes) / static_cast<double>(total_bytes_)
                         : 0.0;
    fmt::print(stderr, "\r\033[K{:>3.0f}%  {} messages ({} new)  {:.0f}/s{}", percent, p.messages,
               p.added, rate, eta);
    std::fflush(stderr);
    drawn_ = true;
}

} // namespace cairn::cli
