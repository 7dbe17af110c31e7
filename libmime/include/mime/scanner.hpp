#pragma once
// The incremental MIME scanner: the one state machine behind every parse.
//
// It is pushed bytes in chunks of any size and reports structure as events:
// parts beginning and ending, header fields, body bytes, defects. It never
// copies the input and never allocates per byte: memory grows with nesting depth
// (one small frame per open multipart), not with body size. The same events come
// out whether a message is fed whole, a byte at a time or in random chunks
// (tests/mime/streaming_test.cpp proves it).
//
// IMPORTANT (lifetime): views passed to the handler point into the chunk given
// to feed() (or into static storage) and are valid only during the callback.
// parse() in message.hpp feeds the whole buffer at once, so there they stay
// valid as long as the buffer.
//
// The feed contract (Boost.Beast's basic_parser): feed() returns how many bytes
// it consumed. Bytes not consumed — at most one incomplete header field or one
// incomplete line that could still be a boundary delimiter — must be presented
// again at the start of the next call, followed by new data. Offsets in events
// count from the first byte ever fed. finish() (or feed with `eof`) tells the
// scanner that no more data comes; it then consumes everything.
//
// Structure rules (RFC 2046 §5.1, as real mail needs them):
// - A delimiter is a line `--boundary` followed only by `--` (close) and/or
//   spaces/tabs (transport padding), with CRLF or bare LF; the line break before it
//   belongs to the delimiter. Delimiters of every enclosing multipart are
//   recognised, innermost first, so a part that never ends is closed by an outer
//   boundary (defect close_boundary_not_found on the parts it closes).
// - A line longer than kmax_delimiter_line is never a delimiter; this bounds the
//   bytes held back and keeps results independent of chunking.
// - message/rfc822, message/global and message/news bodies are parsed as nested
//   messages; multipart/digest children default to message/rfc822.
// - Nesting beyond parse_options::max_depth, parts beyond max_parts and header
//   blocks beyond max_header_bytes are kept as opaque bodies, with a defect.

#include <mime/content_type.hpp>
#include <mime/defect.hpp>
#include <mime/options.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace cairn::mime {

/// What a part is, as far as the scanner is concerned.
enum class part_kind : std::uint8_t {
    leaf,      ///< a body of bytes
    multipart, ///< children separated by boundary delimiters
    message,   ///< one child: an encapsulated message (message/rfc822 …)
};

/// What a stretch of body bytes is.
enum class body_role : std::uint8_t {
    content,  ///< a leaf part's body
    preamble, ///< a multipart's text before its first delimiter
    epilogue, ///< a multipart's text after its close delimiter
};

/// Reported once the header block of a part is complete.
struct part_head {
    std::uint64_t header_begin = 0; ///< first byte of the header block
    std::uint64_t header_end = 0;   ///< just past the last header field (before the blank line)
    std::uint64_t body_begin = 0;   ///< first body byte (after the blank line)
    media_type type;                ///< effective media type (declared, or the context default)
    bool type_defaulted = false;    ///< no valid Content-Type: `type` is the default
    part_kind kind = part_kind::leaf;
};

/// Reported when a part is complete.
struct part_tail {
    std::uint64_t body_end =
        0;                 ///< just past the last body byte (before the delimiter's line break)
    std::uint64_t end = 0; ///< just past the part, including the line break the delimiter owns
    bool delimiter_seen = false; ///< multipart only: at least one delimiter line was found
    bool closed = false;         ///< multipart only: the close delimiter was found
};

/// Receives the scanner's events. Callbacks are made in document order.
/// A part's events: part_begin, header*, headers_end, (body* | child parts), part_end.
class scan_handler {
public:
    virtual ~scan_handler() = default;
    virtual void on_part_begin(std::uint64_t offset, std::uint32_t depth) = 0;
    /// One whole header field. `name` is as written (no trailing whitespace);
    /// `value` is everything after the colon up to (not including) the final
    /// line break, folding line breaks included.
    virtual void on_header(std::string_view name, std::string_view value, std::uint64_t offset) = 0;
    virtual void on_headers_end(const part_head& head) = 0;
    /// Raw (still transfer-encoded) body bytes of the current part, in order.
    virtual void on_body(std::string_view bytes, std::uint64_t offset, body_role role) = 0;
    virtual void on_part_end(const part_tail& tail) = 0;
    virtual void on_defect(defect kind, std::uint64_t offset) = 0;
};

/// Longest line that may still be a delimiter: `--`, a boundary of up to 200
/// bytes (RFC 2046 allows 70; real mail sometimes exceeds it), `--`, and up to 256
/// bytes of transport padding, plus CRLF.
inline constexpr std::size_t kmax_delimiter_line = 2 + 200 + 2 + 256 + 2;

class scanner {
public:
    explicit scanner(scan_handler& handler, parse_options options = {});
    ~scanner();
    scanner(scanner&&) noexcept;
    scanner& operator=(scanner&&) noexcept;

    /// Consumes a prefix of `bytes` and reports what it completes. With `eof`
    /// true, `bytes` is the last of the input and is consumed entirely.
    /// Returns the number of bytes consumed.
    std::size_t feed(std::span<const char> bytes, bool eof = false);

    /// Same as feed(remaining, true).
    void finish(std::span<const char> remaining = {});

    /// True once finish() (or feed with eof) has run.
    [[nodiscard]] bool done() const noexcept;

private:
    struct state;
    std::unique_ptr<state> state_;
};

} // namespace cairn::mime
