// Charset conversion to UTF-8 through ICU (charset_decoder), one chunk.

#include "inputs.hpp"

#include <mime/charset.hpp>
#include <mime/sink.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

namespace {

using namespace cairn;

void convert(benchmark::State& state, std::string_view label, const std::string& input) {
    for (auto _ : state) {
        mime::charset_decoder decoder(label);
        mime::counting_sink out;
        decoder.step(input, out);
        decoder.finish(out);
        benchmark::DoNotOptimize(out.count);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(input.size()));
}

void charset_latin1(benchmark::State& state) {
    convert(state, "iso-8859-1", bench::latin1_text());
}

void charset_shift_jis(benchmark::State& state) {
    convert(state, "shift_jis", bench::shift_jis_text());
}

BENCHMARK(charset_latin1);
BENCHMARK(charset_shift_jis);

} // namespace
