#pragma once
// Content-Transfer-Encoding decoders with carried state.
//
// Each decoder is fed the raw body in chunks of any size through step() and
// closed with finish(); a quantum split across two chunks needs no special care
// (GMime's step/save design). The output is identical however the input is split.
// What the decoder had to repair is reported in defects() and never stops it.

#include <mime/defect.hpp>
#include <mime/sink.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::mime {

enum class transfer_encoding : std::uint8_t {
    identity,         ///< 7bit, 8bit, binary, absent or unknown: bytes pass through
    base64,           ///< RFC 2045 6.8
    quoted_printable, ///< RFC 2045 6.7
    uuencode,         ///< x-uuencode, uuencode, x-uue, uue
};

/// Maps a Content-Transfer-Encoding value (any case, surrounding whitespace and
/// comments allowed) to a decoder kind. Unknown values are identity.
[[nodiscard]] transfer_encoding parse_transfer_encoding(std::string_view value) noexcept;

/// Tolerant base64 (RFC 2045 6.8): bytes outside the alphabet are skipped
/// (defect invalid_base64_characters when not whitespace); decoding stops at the
/// first complete `=` padding, as Python and most clients do, so footers that
/// list software appends after the data are ignored (defect
/// data_after_base64_padding). Missing padding is repaired (invalid_base64_padding);
/// a lone trailing sextet is dropped (invalid_base64_length).
/// Clean input (76-column lines) takes a fast path of four bytes at a time.
class base64_decoder {
public:
    void step(std::string_view in, sink_ref out);
    void finish(sink_ref out);

    [[nodiscard]] defect_set defects() const noexcept { return defects_; }

private:
    std::uint32_t bits_ = 0; // pending sextets, most significant first
    int count_ = 0;          // sextets pending in bits_ (0..3)
    bool ended_ = false;     // complete padding seen
    int pads_ = 0;           // `=` seen in the current quantum
    defect_set defects_;
};

/// Quoted-printable (RFC 2045 6.7): `=XX` in either case, soft line breaks
/// `=CRLF` and `=LF` (with trailing whitespace between `=` and the line end),
/// line ends kept as they are. An `=` not followed by two hex digits is kept
/// verbatim (defect invalid_quoted_printable).
class quoted_printable_decoder {
public:
    void step(std::string_view in, sink_ref out);
    void finish(sink_ref out);

    [[nodiscard]] defect_set defects() const noexcept { return defects_; }

private:
    char held_[80] = {}; // an `=` sequence not yet decidable at the end of a chunk
    std::size_t held_size_ = 0;
    defect_set defects_;
};

/// uuencode: decodes the lines between `begin MODE NAME` and `end`. Lines before
/// `begin` are skipped. Used for CTE x-uuencode; see find_uuencode_blocks for
/// blocks embedded in text bodies.
class uuencode_decoder {
public:
    void step(std::string_view in, sink_ref out);
    void finish(sink_ref out);

    [[nodiscard]] defect_set defects() const noexcept { return defects_; }

private:
    void line(std::string_view text, sink_ref out);
    std::string pending_; // a partial line (at most one line long)
    enum class stage : std::uint8_t { before_begin, data, ended } stage_ = stage::before_begin;
    defect_set defects_;
};

/// Any of the above chosen at run time; identity passes bytes through.
class transfer_decoder {
public:
    explicit transfer_decoder(transfer_encoding kind) noexcept
        : kind_(kind) {}

    void step(std::string_view in, sink_ref out);
    void finish(sink_ref out);
    [[nodiscard]] defect_set defects() const noexcept;

private:
    transfer_encoding kind_;
    base64_decoder base64_;
    quoted_printable_decoder qp_;
    uuencode_decoder uu_;
};

/// A uuencoded file found inside a text body.
struct uuencode_block {
    std::string_view filename; ///< as written after `begin MODE `
    std::string_view mode;     ///< e.g. "644"
    std::size_t begin = 0;     ///< offset of the `begin` line in the text
    std::size_t end = 0;       ///< offset just past the `end` line
};

/// Finds `begin NNN name` … `end` blocks in a text body (as old mailers and
/// Usenet posts embed files). Returns them in order; the text between them is
/// the message's prose. A block with no `end` runs to the end of the text.
[[nodiscard]] std::vector<uuencode_block> find_uuencode_blocks(std::string_view text);

} // namespace cairn::mime
