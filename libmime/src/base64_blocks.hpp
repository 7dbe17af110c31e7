#pragma once
// Wide base64 decoding for the clean middle of a base64 body: 32 input bytes to
// 24 output bytes per step with AVX2 when the processor has it (chosen once at
// run time, so one binary runs everywhere). The tolerant, stateful decoding of
// everything else (line ends, padding, junk) stays in base64_decoder.

#include <cstddef>

namespace cairn::mime::detail {

struct base64_run {
    std::size_t consumed = 0; ///< input bytes: whole quanta and the line breaks between them
    std::size_t produced = 0; ///< output bytes, 3 per quantum
};

/// Decodes whole quanta from `in` (`size` bytes) 32 bytes at a time while every
/// byte is in the base64 alphabet, skipping a CRLF or LF that falls between two
/// quanta: any other byte (`=`, junk, a line break inside a quantum) ends the
/// run after the quanta before it. Writes at most `room` bytes to `out`. Needs
/// `room` >= 32 to do anything; returns nothing decoded without AVX2, and the
/// caller's byte-wise paths decode the input instead.
[[nodiscard]] base64_run decode_base64_blocks(const unsigned char* in, std::size_t size, char* out,
                                              std::size_t room) noexcept;

} // namespace cairn::mime::detail
