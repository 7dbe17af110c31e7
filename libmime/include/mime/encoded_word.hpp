#pragma once
// RFC 2047 encoded words in header text, decoded to UTF-8.
//
// Handles what real mailers send, not only what the RFC allows: B and Q words
// (either case), `charset*language` (RFC 2231 §5), adjacent words joined without
// the whitespace between them (RFC 2047 §6.2), a multibyte character split across
// two words of the same charset (the bytes are joined before conversion), words
// glued to surrounding text or to each other with no whitespace, words inside
// quoted strings, and unknown charsets (bytes kept readable via bytes_to_utf8).
// Raw 8-bit bytes are taken as UTF-8 when valid (RFC 6532), else converted from
// the fallback charset, else sniffed. Folding (CRLF followed by WSP) is removed.

#include <string>
#include <string_view>

namespace cairn::mime {

/// Decodes an unstructured header value (Subject, Comments, display names …):
/// unfolds, decodes encoded words, converts 8-bit bytes to UTF-8. Leading and
/// trailing whitespace is removed; internal whitespace is kept as written.
[[nodiscard]] std::string decode_header_text(std::string_view raw_value,
                                             std::string_view fallback_charset = {});

/// Appends the decoded text to `out` (same rules), for callers that reuse a buffer.
void decode_header_text(std::string_view raw_value, std::string& out,
                        std::string_view fallback_charset = {});

/// Removes folding: every CRLF or LF that is followed by a space or tab.
[[nodiscard]] std::string unfold(std::string_view raw_value);

} // namespace cairn::mime
