#pragma once
// The bytes of an envelope record (record_kind::envelope in the store): how a
// delivered message arrived, kept beside the message so that one store sync
// makes both durable and the catalog can be rebuilt from the store alone
// (every writable open catalogues what the store holds past the catalog's
// catalogued_through; see archive.hpp).
//
// Layout (integers little-endian):
//
//   offset size  field
//        0    1  format version (1)
//        1   32  SHA-256 of the message the envelope belongs to
//       33    1  source kind
//       34    1  TLS used (0 or 1)
//       35    8  received at (unix seconds, two's complement)
//       43    8  offset (mbox)
//       51    8  mtime (two's complement)
//       59    8  file size
//       67    …  path, folder, flags, client address, HELO, MAIL FROM: each a
//                4-byte length and that many bytes
//        …    4  number of RCPT TO addresses, then each as a string above
//
// Every field of `envelope` is kept, so any source could be journaled;
// is_journaled() picks the ones nothing else can give back.

#include <indexer/content_hash.hpp>
#include <indexer/envelope.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cairn::index {

struct envelope_record {
    content_hash message; ///< the message it belongs to
    envelope env;
};

/// Whether a source's envelope goes into the store: deliveries only, which
/// nothing else could give back (a file is read again by the next index run).
[[nodiscard]] inline bool is_journaled(const envelope& env) noexcept {
    return env.kind == source_kind::smtp || env.kind == source_kind::lmtp;
}

[[nodiscard]] std::string encode_envelope_record(const envelope_record& record);

/// nullopt when `bytes` is not exactly one envelope record of a known version
/// (short, longer, or a field out of range).
[[nodiscard]] std::optional<envelope_record> decode_envelope_record(std::string_view bytes);

} // namespace cairn::index
