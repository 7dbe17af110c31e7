#pragma once
// Reading a parsed message's parts: transfer decoding, text in UTF-8, the main
// body, filenames and dispositions. Everything decodes on demand into a sink, so
// a large attachment never has to be held in memory.

#include <mime/decoders.hpp>
#include <mime/defect.hpp>
#include <mime/message.hpp>
#include <mime/sink.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cairn::mime {

/// The part's Content-Transfer-Encoding.
[[nodiscard]] transfer_encoding part_encoding(const message& msg, const part& p);

/// Writes the part's body after transfer decoding (base64, QP, uuencode) to `out`.
/// Returns what the decoder had to repair.
defect_set decode_body(const message& msg, const part& p, sink_ref out);

/// Writes the part's body as UTF-8 text: transfer decoding, then charset
/// conversion from the declared charset (undeclared 8-bit text is sniffed),
/// then format=flowed unwrapping when declared. Line ends are kept as written.
defect_set decode_text(const message& msg, const part& p, sink_ref utf8_out);

/// The declared charset parameter, lowercased, if any.
[[nodiscard]] std::optional<std::string> part_charset(const message& msg, const part& p);

/// "inline", "attachment", or nullopt when there is no Content-Disposition.
[[nodiscard]] std::optional<std::string> part_disposition(const message& msg, const part& p);

/// The decoded filename: Content-Disposition `filename`, else Content-Type
/// `name` (RFC 2231 and RFC 2047 decoded), with surrounding whitespace removed.
[[nodiscard]] std::optional<std::string> part_filename(const message& msg, const part& p);

/// True for a part a reader would call an attachment: disposition attachment, or
/// a filename on a part that is not the text body of its message.
[[nodiscard]] bool is_attachment(const message& msg, const part& p);

/// The main text body, found as Python's EmailMessage.get_body does: walks the
/// tree skipping attachments and encapsulated messages, follows multipart/related
/// to its start part, and prefers the first part of the earliest subtype in
/// `preference` ("plain", "html"). Returns no_part when there is none.
[[nodiscard]] part_id find_body(const message& msg,
                                std::initializer_list<std::string_view> preference = {"plain",
                                                                                      "html"});

/// The message's main text as UTF-8 with LF line ends: the text/plain body, or
/// the HTML body turned into text. Empty when there is none.
[[nodiscard]] std::string body_text(const message& msg);

} // namespace cairn::mime
