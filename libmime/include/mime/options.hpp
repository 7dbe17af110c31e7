#pragma once
// Limits for parsing hostile or broken mail. Each has a safe default; hitting a
// limit records a defect and keeps the rest of the input as an opaque body, so
// nothing is lost and nothing is rejected.

#include <cstddef>
#include <cstdint>

namespace cairn::mime {

struct parse_options {
    /// Deepest nesting of multipart and message/rfc822 parts (the root is depth 0).
    /// Deeper structure is kept as an opaque leaf body (defect nesting_too_deep).
    /// 64 is far beyond real mail (forwards of forwards rarely pass 10) and keeps
    /// the scanner's stack small.
    std::uint32_t max_depth = 64;

    /// Most parts in one message, counting containers. Beyond it, delimiters are
    /// treated as body text (defect too_many_parts). Real mail has < 100.
    std::uint32_t max_parts = 10000;

    /// Most bytes in one header block. Beyond it the block is cut and the rest is
    /// body (defect header_too_long). Large enough for long DKIM/ARC/Received chains.
    std::size_t max_header_bytes = 1u << 20;
};

} // namespace cairn::mime
