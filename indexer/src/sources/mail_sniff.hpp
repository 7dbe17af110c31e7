#pragma once
// Line-level tests shared by the sources: is this line a header field, an mbox
// `From ` line, blank? And the sniffing verdict behind looks_like_mail(), with
// the reason a file is not mail (for on_skipped).

#include <cstddef>
#include <string_view>

namespace cairn::index::sources_detail {

/// A UTF-8 byte order mark, which some Windows tools put before the first header.
inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// How many leading bytes looks_like_mail() searches for NUL bytes.
inline constexpr std::size_t sniff_window = 4096;

/// `text` without a leading UTF-8 BOM.
[[nodiscard]] std::string_view skip_bom(std::string_view text) noexcept;

/// The line starting at `text`, without its LF or CRLF ending.
[[nodiscard]] std::string_view first_line(std::string_view text) noexcept;

/// Empty line (line ending already removed, or a lone CR left by CRLF).
[[nodiscard]] bool is_blank_line(std::string_view line) noexcept;

/// `Name: value` (RFC 5322 §2.2, §3.6.8: printable ASCII name without ':'),
/// also with the obsolete whitespace before the colon (RFC 5322 §4.5.3).
[[nodiscard]] bool is_header_field_line(std::string_view line) noexcept;

/// An mbox postmark line: `From ` at the start.
[[nodiscard]] bool is_from_line(std::string_view line) noexcept;

enum class sniff_verdict {
    message,      ///< one message: the first line is a header field
    mbox,         ///< a `From ` line followed by a header field
    empty,        ///< no bytes at all (or only a BOM)
    binary,       ///< a NUL byte in the first sniff_window bytes
    not_a_header, ///< the first line is neither a header field nor `From `
};

/// Classifies the start of a file (pass at least sniff_window bytes when the
/// file has them). A `From ` line without a header after it is `message`.
[[nodiscard]] sniff_verdict sniff_mail(std::string_view head) noexcept;

/// The on_skipped reason for a verdict that is not mail ("empty file", …).
[[nodiscard]] std::string_view skip_reason(sniff_verdict verdict) noexcept;

} // namespace cairn::index::sources_detail
