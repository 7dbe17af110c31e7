// The physical floor: memchr for '\n' over the same bytes the other benchmarks
// read (every byte touched once). A parser stage close to its memchr figure is
// bound by memory, not by its own logic.

#include "inputs.hpp"

#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <string_view>

namespace {

std::size_t count_lines(std::string_view bytes) {
    std::size_t lines = 0;
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (p < end) {
        const void* hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        if (hit == nullptr) {
            break;
        }
        p = static_cast<const char*>(hit) + 1;
        ++lines;
    }
    return lines;
}

void memchr_over(benchmark::State& state, const std::string& input) {
    for (auto _ : state) {
        benchmark::DoNotOptimize(count_lines(input));
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(input.size()));
}

std::string joined_messages() {
    std::string all;
    for (const std::string& m : cairn::bench::sample_messages()) {
        all += m;
    }
    return all;
}

void memchr_base64(benchmark::State& state) {
    memchr_over(state, cairn::bench::base64_body());
}

void memchr_qp(benchmark::State& state) {
    memchr_over(state, cairn::bench::qp_body());
}

void memchr_headers(benchmark::State& state) {
    memchr_over(state, cairn::bench::header_only_message());
}

void memchr_messages(benchmark::State& state) {
    static const std::string all = joined_messages();
    memchr_over(state, all);
}

BENCHMARK(memchr_base64);
BENCHMARK(memchr_qp);
BENCHMARK(memchr_headers);
BENCHMARK(memchr_messages);

} // namespace
