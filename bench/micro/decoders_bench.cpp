// Transfer decoders (RFC 2045 §6.7, §6.8) over in-memory bodies, fed in 64 KiB
// chunks as decode_body feeds a memory-mapped part.

#include "inputs.hpp"

#include <mime/decoders.hpp>
#include <mime/sink.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string_view>

namespace {

using namespace cairn;

template <class Decoder>
void run_decoder(benchmark::State& state, const std::string& input) {
    for (auto _ : state) {
        Decoder decoder;
        mime::counting_sink out;
        std::string_view rest = input;
        while (!rest.empty()) {
            const std::size_t n = std::min<std::size_t>(rest.size(), 64 * 1024);
            decoder.step(rest.substr(0, n), out);
            rest.remove_prefix(n);
        }
        decoder.finish(out);
        benchmark::DoNotOptimize(out.count);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(input.size()));
}

void base64_decode(benchmark::State& state) {
    run_decoder<mime::base64_decoder>(state, bench::base64_body());
}

void qp_decode(benchmark::State& state) {
    run_decoder<mime::quoted_printable_decoder>(state, bench::qp_body());
}

BENCHMARK(base64_decode);
BENCHMARK(qp_decode);

} // namespace
