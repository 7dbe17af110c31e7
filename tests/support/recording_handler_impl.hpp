#pragma once
// Template part of recording_handler.hpp.

#include <algorithm>
#include <string>

namespace cairn::test {

template <class NextSize>
std::string scan_in_chunks(std::string_view input, NextSize next_size,
                           const mime::parse_options& options) {
    recording_handler handler;
    mime::scanner scan(handler, options);
    std::string window; // unconsumed bytes + the new chunk, as a real caller keeps them
    std::size_t offset = 0;
    while (offset < input.size()) {
        const std::size_t size = std::min<std::size_t>(next_size(), input.size() - offset);
        window.append(input.substr(offset, size));
        offset += size;
        const bool eof = offset == input.size();
        const std::size_t used = scan.feed(window, eof);
        window.erase(0, used);
    }
    if (!scan.done()) {
        scan.finish(window);
    }
    return handler.log();
}

} // namespace cairn::test
