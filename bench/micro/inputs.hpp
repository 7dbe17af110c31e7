#pragma once
// Deterministic in-memory inputs for the micro benchmarks, built once per
// process. Every benchmark over an input reports SetBytesProcessed(input size),
// so MB/s figures are comparable with the memchr baseline over the same bytes.

#include <string>
#include <vector>

namespace cairn::bench {

/// ~1 MiB of pseudo-random binary, base64-encoded in 76-column CRLF lines
/// (RFC 2045 §6.8), as attachments arrive.
const std::string& base64_body();

/// ~1 MiB of Western European text quoted-printable encoded (RFC 2045 §6.7):
/// `=E9`-style escapes, soft line breaks at 76 columns, CRLF line ends.
const std::string& qp_body();

/// ~256 KiB of ISO-8859-1 text (French/German prose with accented letters).
const std::string& latin1_text();

/// ~256 KiB of Shift_JIS text (hiragana, katakana and ASCII punctuation).
const std::string& shift_jis_text();

/// A header-only message: a realistic 2.5 KB header block (Received chain,
/// DKIM-Signature, ARC, list headers, folded To/References) and an empty body.
const std::string& header_only_message();

/// A few whole messages: text/plain; multipart/alternative with QP text and
/// HTML; multipart/mixed with a base64 PDF-like attachment; a forward with a
/// message/rfc822 part.
const std::vector<std::string>& sample_messages();

} // namespace cairn::bench
