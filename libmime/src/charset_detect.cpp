// Sniffing the charset of undeclared text: ISO-2022 escapes in 7-bit text,
// UTF-8 when it validates, else ICU's detector limited to charsets mail uses.
#include "charset_internal.hpp"

#include <mime/charset.hpp>

#include <unicode/ucsdet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

namespace cairn::mime {
using namespace charset_detail;

std::string_view charset_detail::sniff_iso2022(std::string_view bytes) {
    for (auto esc = bytes.find('\x1b'); esc != std::string_view::npos;
         esc = bytes.find('\x1b', esc + 1)) {
        const std::string_view seq = bytes.substr(esc + 1, 3);
        if (seq.starts_with("$B") || seq.starts_with("$@") || seq.starts_with("(J") ||
            seq.starts_with("(I")) {
            return "iso-2022-jp";
        }
        if (seq == "$)C") {
            return "iso-2022-kr";
        }
        if (seq == "$)A" || seq == "$)G" || seq == "$*H") {
            return "iso-2022-cn";
        }
    }
    return {};
}

namespace {

/// ICU confidence (0-100) needed to trust a guess over windows-1252. ICU
/// reports about 10 for any text as UTF-16 or Shift_JIS (noise), while its
/// n-gram recognisers score a paragraph of real KOI8-R or windows-1251 at ~19.
constexpr int sniff_min_confidence = 15;

/// ICU detector results worth trusting in mail (no EBCDIC, no UTF-16/32 for 8-bit text).
bool mail_charset(std::string_view icu_name) {
    static constexpr std::array<std::string_view, 24> allowed = {
        "Big5",         "EUC-JP",       "EUC-KR",       "GB18030",      "ISO-2022-CN",
        "ISO-2022-JP",  "ISO-2022-KR",  "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-5",
        "ISO-8859-6",   "ISO-8859-7",   "ISO-8859-8",   "ISO-8859-8-I", "ISO-8859-9",
        "KOI8-R",       "Shift_JIS",    "windows-1250", "windows-1251", "windows-1252",
        "windows-1253", "windows-1254", "windows-1255", "windows-1256"};
    return std::find(allowed.begin(), allowed.end(), icu_name) != allowed.end();
}

struct detector_holder {
    UCharsetDetector* detector = nullptr;
    detector_holder() = default;
    detector_holder(const detector_holder&) = delete;
    detector_holder& operator=(const detector_holder&) = delete;

    ~detector_holder() { ucsdet_close(detector); }
};

std::string_view detect(std::string_view bytes) {
    thread_local detector_holder holder;
    UErrorCode err = U_ZERO_ERROR;
    if (holder.detector == nullptr) {
        holder.detector = ucsdet_open(&err);
    }
    bytes = bytes.substr(0, sniff_sample_bytes); // decides as well as all of it
    ucsdet_setText(holder.detector, bytes.data(), static_cast<int32_t>(bytes.size()), &err);
    int32_t count = 0;
    const UCharsetMatch** matches = ucsdet_detectAll(holder.detector, &count, &err);
    for (int32_t i = 0; U_SUCCESS(err) && i < count; ++i) {
        if (ucsdet_getConfidence(matches[i], &err) < sniff_min_confidence) {
            break; // sorted by confidence
        }
        const char* name = ucsdet_getName(matches[i], &err);
        if (U_SUCCESS(err) && mail_charset(name)) {
            if (const encoding_info* info = lookup(name)) { // all are WHATWG labels
                return info->name;
            }
        }
    }
    return "windows-1252";
}

} // namespace

std::size_t ascii_prefix(std::string_view bytes) noexcept {
    const unsigned char* begin = bytes_of(bytes);
    return static_cast<std::size_t>(skip_ascii(begin, begin + bytes.size()) - begin);
}

bool is_ascii(std::string_view bytes) noexcept {
    return ascii_prefix(bytes) == bytes.size();
}

bool is_valid_utf8(std::string_view bytes) noexcept {
    const unsigned char* p = bytes_of(bytes);
    const unsigned char* end = p + bytes.size();
    while ((p = skip_ascii(p, end)) < end) {
        const utf8_step step = next_utf8(p, end);
        if (step.kind != utf8_kind::valid) {
            return false;
        }
        p += step.length;
    }
    return true;
}

std::string_view sniff_charset(std::string_view bytes) {
    if (is_ascii(bytes)) {
        const std::string_view iso2022 = sniff_iso2022(bytes);
        return iso2022.empty() ? std::string_view("utf-8") : iso2022;
    }
    return is_valid_utf8(bytes) ? std::string_view("utf-8") : detect(bytes);
}

std::string_view sniff_legacy_charset(std::string_view bytes) {
    return detect(bytes);
}

} // namespace cairn::mime
