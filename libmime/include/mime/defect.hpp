#pragma once
// Defects: what was wrong with a message, recorded instead of failing.
//
// libmime never rejects mail. Whatever it had to guess or repair is named here,
// with the byte offset where it was noticed, in the manner of Python's
// email.errors defects and GMime's parser warnings. Names follow Python's defect
// classes where one exists (in snake_case) so that results can be compared.

#include <cstdint>
#include <string_view>

namespace cairn::mime {

enum class defect : std::uint8_t {
    // --- structure (found by the scanner) ---
    close_boundary_not_found, ///< a multipart ended (EOF or an outer boundary) without
                              ///< `--boundary--`
    start_boundary_not_found, ///< a multipart body contains no delimiter line at all; kept as one
                              ///< opaque body
    no_boundary_in_multipart, ///< multipart/* with no usable boundary parameter; kept as one opaque
                              ///< body
    multipart_invariant_violation,     ///< a multipart was expected but could not be read as one
    missing_header_body_separator,     ///< a line that is not a header field ended the header block
    first_header_line_is_continuation, ///< the header block starts with a folded (whitespace) line
    header_without_colon,              ///< a non-header line inside the header block, skipped
    header_8bit,                       ///< 8-bit bytes in a header field that are not valid UTF-8
    header_too_long,        ///< the header block exceeded parse_options::max_header_bytes
    nesting_too_deep,       ///< parse_options::max_depth reached; deeper structure kept opaque
    too_many_parts,         ///< parse_options::max_parts reached; the rest kept opaque
    truncated_message,      ///< input ended inside a header block or an encoded quantum
    message_rfc822_encoded, ///< message/* with base64/quoted-printable encoding (forbidden, RFC
                            ///< 2046 5.2.1); not parsed
    // --- content (found when a body is decoded) ---
    invalid_base64_characters,  ///< non-alphabet bytes in a base64 body, skipped
    invalid_base64_padding,     ///< base64 ended without the padding its length requires
    invalid_base64_length,      ///< base64 ended with a lone sextet (6 bits), dropped
    data_after_base64_padding,  ///< non-space data after the final `=` padding, ignored
    invalid_quoted_printable,   ///< `=` not followed by two hex digits, kept as-is
    invalid_uuencode,           ///< a uuencode line that does not match its length byte
    invalid_charset,            ///< unknown charset label; text decoded by sniffing instead
    invalid_multibyte_sequence, ///< bytes not valid in their charset, replaced with U+FFFD
    undeclared_8bit_text,       ///< 8-bit text with no charset declared; charset sniffed
};

inline constexpr int defect_count = static_cast<int>(defect::undeclared_8bit_text) + 1;

/// The defect's stable name, e.g. "close_boundary_not_found". Used in JSON and the catalog.
[[nodiscard]] std::string_view to_string(defect kind) noexcept;

/// A defect and the byte offset (into the message) where it was noticed.
struct defect_at {
    defect kind;
    std::uint64_t offset = 0;
    friend bool operator==(const defect_at&, const defect_at&) = default;
};

/// A small set of defect kinds, for decoders that report what they saw.
class defect_set {
public:
    void add(defect kind) noexcept { bits_ |= bit(kind); }

    void merge(defect_set other) noexcept { bits_ |= other.bits_; }

    [[nodiscard]] bool contains(defect kind) const noexcept { return (bits_ & bit(kind)) != 0; }

    [[nodiscard]] bool empty() const noexcept { return bits_ == 0; }

    friend bool operator==(const defect_set&, const defect_set&) = default;

    /// Calls fn(defect) for each member, in enum order.
    template <class Fn>
    void for_each(Fn&& fn) const {
        for (int i = 0; i < defect_count; ++i) {
            if (contains(static_cast<defect>(i))) {
                fn(static_cast<defect>(i));
            }
        }
    }

private:
    static constexpr std::uint32_t bit(defect kind) noexcept {
        return std::uint32_t{1} << static_cast<unsigned>(kind);
    }

    std::uint32_t bits_ = 0;
};

static_assert(defect_count <= 32, "defect_set stores one bit per defect");

} // namespace cairn::mime
