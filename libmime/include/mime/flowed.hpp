#pragma once
// format=flowed (RFC 3676): soft line breaks joined back into paragraphs.

#include <string>
#include <string_view>

namespace cairn::mime {

/// Unwraps UTF-8 text sent as text/plain; format=flowed. A line ending in a
/// space is joined with the next line of the same quote depth (RFC 3676 §4.2);
/// with delsp=yes that space is removed (§4.5). Space-stuffing is undone (§4.4),
/// the signature separator "-- " is never joined (§4.3), quote markers ('>')
/// are kept once per line. Input line ends may be CRLF or LF; output uses LF.
[[nodiscard]] std::string unwrap_flowed(std::string_view text, bool delsp);

} // namespace cairn::mime
