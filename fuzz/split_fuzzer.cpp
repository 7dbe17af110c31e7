// split_fuzzer: differential fuzzing of the scanner's feed contract.
//
// The first two bytes choose chunk sizes (llhttp's trick); the rest is the
// message. It is fed to one scanner whole and to another in alternating chunks
// of those sizes, re-presenting the bytes feed() did not consume (scanner.hpp,
// the feed contract). The two event logs must be equal; any difference aborts
// with the first differing event. Bit 7 of the second byte selects tight
// parse_options, so that the depth, part and header-size limits are also
// crossed at every split point.

#include "fuzz_check.hpp"
#include "recording_handler.hpp"

#include <mime/options.hpp>
#include <mime/scanner.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace cairn;

std::vector<fuzz::recording_handler::event> scan_whole(std::string_view input,
                                                       const mime::parse_options& options) {
    fuzz::recording_handler handler;
    mime::scanner scan(handler, options);
    scan.finish(std::span<const char>(input.data(), input.size()));
    return handler.events();
}

std::vector<fuzz::recording_handler::event> scan_split(std::string_view input, std::size_t size_a,
                                                       std::size_t size_b,
                                                       const mime::parse_options& options) {
    fuzz::recording_handler handler;
    mime::scanner scan(handler, options);
    std::string window; // unconsumed bytes + the new chunk, as a real caller keeps them
    std::size_t offset = 0;
    bool use_a = true;
    // Held-back bytes are at most one header field or one possible delimiter
    // line; anything far beyond that means the scanner is not making progress.
    const std::size_t max_window =
        options.max_header_bytes + 2 * mime::kmax_delimiter_line + std::max(size_a, size_b) + 65536;
    while (offset < input.size()) {
        const std::size_t size = std::min(use_a ? size_a : size_b, input.size() - offset);
        use_a = !use_a;
        window.append(input.substr(offset, size));
        offset += size;
        const bool eof = offset == input.size();
        const std::size_t used =
            scan.feed(std::span<const char>(window.data(), window.size()), eof);
        fuzz::check(used <= window.size(), "feed() consumed more than it was given");
        fuzz::check(!eof || used == window.size(), "feed(eof) did not consume everything");
        window.erase(0, used);
        fuzz::check(window.size() <= max_window, "scanner holds back too many bytes");
    }
    if (!scan.done()) {
        scan.finish(std::span<const char>(window.data(), window.size()));
    }
    fuzz::check(scan.done(), "scanner not done after finish()");
    return handler.events();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::size_t size_a = 1 + data[0];                // 1..256
    const std::size_t size_b = 1 + (data[1] & 0x7fu) * 37; // 1..4700
    mime::parse_options options;
    if ((data[1] & 0x80u) != 0) {
        options.max_depth = 3;
        options.max_parts = 8;
        options.max_header_bytes = 300;
    }
    const std::string_view input = fuzz::as_text(data + 2, size - 2);

    const auto whole = scan_whole(input, options);
    const auto split = scan_split(input, size_a, size_b, options);
    if (whole != split) {
        std::size_t i = 0;
        while (i < whole.size() && i < split.size() && whole[i] == split[i]) {
            ++i;
        }
        std::fprintf(stderr,
                     "split_fuzzer: chunks %zu/%zu: event %zu differs\n  whole: %s\n  split: %s\n",
                     size_a, size_b, i, i < whole.size() ? whole[i].text.c_str() : "(end)",
                     i < split.size() ? split[i].text.c_str() : "(end)");
        if (i < whole.size() && i < split.size() && whole[i].text == split[i].text) {
            std::fprintf(stderr, "  body sizes: whole %zu, split %zu\n", whole[i].body.size(),
                         split[i].body.size());
        }
        std::abort();
    }
    return 0;
}
