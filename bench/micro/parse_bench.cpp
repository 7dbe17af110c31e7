// Whole-message parse: the header-block scan alone (a header-only message),
// parse of a few messages, and parse plus decoding every leaf as cairn-bench does.

#include "inputs.hpp"

#include <mime/body.hpp>
#include <mime/message.hpp>
#include <mime/sink.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace cairn;

std::int64_t total_size(const std::vector<std::string>& messages) {
    std::int64_t n = 0;
    for (const std::string& m : messages) {
        n += static_cast<std::int64_t>(m.size());
    }
    return n;
}

void header_scan(benchmark::State& state) {
    const std::string& input = bench::header_only_message();
    for (auto _ : state) {
        const mime::message msg = mime::parse(std::string_view(input));
        benchmark::DoNotOptimize(msg.parts().data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(input.size()));
}

void parse_messages(benchmark::State& state) {
    const std::vector<std::string>& messages = bench::sample_messages();
    for (auto _ : state) {
        for (const std::string& m : messages) {
            const mime::message msg = mime::parse(std::string_view(m));
            benchmark::DoNotOptimize(msg.parts().data());
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * total_size(messages));
}

// The per-message work of cairn-bench: parse, decode_body every leaf,
// decode_text every text leaf.
void parse_and_decode(benchmark::State& state) {
    const std::vector<std::string>& messages = bench::sample_messages();
    for (auto _ : state) {
        for (const std::string& m : messages) {
            const mime::message msg = mime::parse(std::string_view(m));
            mime::counting_sink out;
            for (const mime::part& p : msg.parts()) {
                if (p.kind != mime::part_kind::leaf) {
                    continue;
                }
                mime::decode_body(msg, p, out);
                if (p.type.is("text")) {
                    mime::decode_text(msg, p, out);
                }
            }
            benchmark::DoNotOptimize(out.count);
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * total_size(messages));
}

BENCHMARK(header_scan);
BENCHMARK(parse_messages);
BENCHMARK(parse_and_decode);

} // namespace
