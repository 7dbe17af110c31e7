// decoders_fuzzer: differential fuzzing of the streaming decoders.
//
// decoders.hpp promises "the output is identical however the input is split",
// and charset.hpp that a multibyte sequence split across step() calls is
// handled. The first byte picks the decoder (transfer encoding or charset) and
// the second a chunk size; the rest is decoded whole and in chunks, and the
// outputs (and transfer defects) must be equal. Charset output must be UTF-8.

#include "fuzz_check.hpp"

#include <mime/charset.hpp>
#include <mime/decoders.hpp>
#include <mime/sink.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace {

using namespace cairn;

// Only labels every ICU build knows: an unknown label falls back to sniffing
// the first chunk, which legitimately depends on the split.
constexpr std::string_view labels[] = {"utf-8",  "iso-8859-1",  "windows-1252", "shift_jis",
                                       "euc-jp", "iso-2022-jp", "gb18030",      "big5",
                                       "euc-kr", "koi8-r",      "utf-16le",     "windows-1251"};

template <class Decoder>
std::string run(Decoder& decoder, std::string_view input, std::size_t chunk) {
    std::string out;
    mime::string_sink sink{out};
    while (!input.empty()) {
        const std::size_t n = std::min(chunk, input.size());
        decoder.step(input.substr(0, n), sink);
        input.remove_prefix(n);
    }
    decoder.finish(sink);
    return out;
}

void report(const char* what, const std::string& whole, const std::string& split,
            std::size_t chunk) {
    const auto diff = std::mismatch(whole.begin(), whole.end(), split.begin(), split.end());
    std::fprintf(stderr, "decoders_fuzzer: %s differs with chunk %zu at byte %zu (sizes %zu/%zu)\n",
                 what, chunk, static_cast<std::size_t>(diff.first - whole.begin()), whole.size(),
                 split.size());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const unsigned selector = data[0];
    const std::size_t chunk = 1 + data[1] % 97;
    const std::string_view input = fuzz::as_text(data + 2, size - 2);

    if (selector < 64) {
        const auto kind = static_cast<mime::transfer_encoding>(selector % 4);
        mime::transfer_decoder whole_decoder(kind);
        mime::transfer_decoder split_decoder(kind);
        const std::string whole = run(whole_decoder, input, input.size() + 1);
        const std::string split = run(split_decoder, input, chunk);
        if (whole != split) {
            report("transfer decoding", whole, split, chunk);
        }
        fuzz::check(whole_decoder.defects() == split_decoder.defects(),
                    "transfer decoder defects depend on the split");
        if (kind == mime::transfer_encoding::uuencode) {
            (void)mime::find_uuencode_blocks(input);
        }
        return 0;
    }
    const std::string_view label = labels[selector % std::size(labels)];
    mime::charset_decoder whole_decoder(label);
    mime::charset_decoder split_decoder(label);
    const std::string whole = run(whole_decoder, input, input.size() + 1);
    const std::string split = run(split_decoder, input, chunk);
    fuzz::check(fuzz::utf8_ok(whole), "charset_decoder output is not UTF-8");
    if (whole != split) {
        report(std::string(label).c_str(), whole, split, chunk);
    }
    fuzz::check(fuzz::utf8_ok(mime::to_utf8(input, label)), "to_utf8 output is not UTF-8");
    fuzz::check(fuzz::utf8_ok(mime::bytes_to_utf8(input)), "bytes_to_utf8 output is not UTF-8");
    (void)mime::sniff_charset(input);
    return 0;
}
