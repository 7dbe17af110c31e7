#pragma once
// parallel_for: run fn(i) for i in [0, n) on `threads` threads (the caller's
// included). The first exception thrown by any call is rethrown after all join.
// worker_threads: what a `threads` option of 0 ("one per core") means here.

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cairn::index {

[[nodiscard]] inline unsigned worker_threads(unsigned requested) noexcept {
    return requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
}

template <class Fn>
void parallel_for(std::size_t n, unsigned threads, Fn fn) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const auto work = [&] {
        for (std::size_t i = next++; i < n; i = next++) {
            try {
                fn(i);
            } catch (...) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) {
                    failure = std::current_exception();
                }
            }
        }
    };
    const unsigned helpers = std::min<std::size_t>(threads, n) > 1
                                 ? static_cast<unsigned>(std::min<std::size_t>(threads, n)) - 1
                                 : 0;
    {
        std::vector<std::jthread> pool;
        pool.reserve(helpers);
        for (unsigned t = 0; t < helpers; ++t) {
            pool.emplace_back(work);
        }
        work();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

} // namespace cairn::index
