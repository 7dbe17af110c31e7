#pragma once
// Charsets: label → encoding the way browsers map them, conversion to UTF-8
// through ICU, and detection of undeclared 8-bit text.
//
// Labels are resolved with the WHATWG Encoding Standard's table (what every
// browser does, and what real mail needs: "us-ascii" and "iso-8859-1" text is in
// practice windows-1252, "gb2312" is GBK, "ks_c_5601-1987" is windows-949…),
// then by ICU's own alias table for the long tail (ibm850, koi8-u, …).
// ICU converters are cached per thread and per charset.

#include <mime/defect.hpp>
#include <mime/sink.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace cairn::mime {

/// The canonical encoding name for a charset label (case-insensitive, surrounding
/// whitespace and quotes ignored), e.g. "latin1" → "windows-1252",
/// "UTF8" → "utf-8", "x-sjis" → "shift_jis". Returns an empty view when neither
/// the WHATWG table nor ICU knows the label.
[[nodiscard]] std::string_view canonical_charset(std::string_view label);

/// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
[[nodiscard]] bool is_valid_utf8(std::string_view bytes) noexcept;

/// True when every byte is < 0x80.
[[nodiscard]] bool is_ascii(std::string_view bytes) noexcept;

/// How many leading bytes are < 0x80 (all of them for ASCII text).
[[nodiscard]] std::size_t ascii_prefix(std::string_view bytes) noexcept;

/// Guesses the charset of 8-bit text that declares none: "utf-8" when it is
/// valid UTF-8, else ICU's detector when it is confident (ISO-2022-JP,
/// Shift_JIS, EUC-JP, GB18030, Big5, EUC-KR, KOI8-R, windows-125x…), else
/// "windows-1252". Always returns a canonical name.
[[nodiscard]] std::string_view sniff_charset(std::string_view bytes);

/// The last step of sniff_charset, for text already known to be neither ASCII
/// nor UTF-8 (possibly from its first bytes alone: the detector reads 16 KiB).
[[nodiscard]] std::string_view sniff_legacy_charset(std::string_view bytes);

/// How many leading bytes the sniffers look at.
inline constexpr std::size_t sniff_sample_bytes = 16 * 1024;

/// Streaming conversion from one charset to UTF-8. Invalid or unmappable input
/// becomes U+FFFD (never dropped); a multibyte sequence split across step()
/// calls is handled. An unknown label falls back to sniffing the first chunk
/// (defect invalid_charset). Not thread-safe; cheap to construct (the ICU
/// converter comes from a per-thread cache and goes back on destruction).
class charset_decoder {
public:
    explicit charset_decoder(std::string_view label);
    ~charset_decoder();
    charset_decoder(const charset_decoder&) = delete;
    charset_decoder& operator=(const charset_decoder&) = delete;

    void step(std::string_view in, sink_ref utf8_out);
    void finish(sink_ref utf8_out);

    /// The canonical charset actually used (after fallback).
    [[nodiscard]] std::string_view charset() const noexcept;
    [[nodiscard]] defect_set defects() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// One-shot convenience: `bytes` in `label` → UTF-8.
[[nodiscard]] std::string to_utf8(std::string_view bytes, std::string_view label);

/// Text of unknown charset (e.g. 8-bit bytes in a header): unchanged when valid
/// UTF-8, else converted from `fallback_label` when given and known, else from
/// the sniffed charset.
[[nodiscard]] std::string bytes_to_utf8(std::string_view bytes,
                                        std::string_view fallback_label = {});

} // namespace cairn::mime
