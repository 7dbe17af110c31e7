// Single-byte encodings as byte → UTF-8 tables for 0x80-0xFF, built once per
// encoding from ICU (or from WHATWG where ICU has no converter).
#include "charset_internal.hpp"

#include <unicode/ucnv.h>

#include <array>
#include <cstdint>
#include <iterator>
#include <mutex>

namespace cairn::mime {
using namespace charset_detail;

namespace {

char32_t single_byte_code_point(const encoding_info& info, UConverter* converter, unsigned byte) {
    if (info.name == "x-user-defined") {
        return 0xF780 + byte - 0x80; // WHATWG §14.5
    }
    if (converter == nullptr) { // iso-8859-16: not in ICU
        return byte < 0xA0 ? byte : iso_8859_16_high[byte - 0xA0];
    }
    const char in = static_cast<char>(byte);
    std::array<UChar, 4> out{};
    UErrorCode err = U_ZERO_ERROR;
    const int32_t n = ucnv_toUChars(converter, out.data(), out.size(), &in, 1, &err);
    if (U_SUCCESS(err) && n == 1) {
        return out[0];
    }
    // WHATWG's windows-1252 index maps the five bytes Microsoft left undefined
    // (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same value.
    return info.name == "windows-1252" ? byte : 0;
}

} // namespace

const byte_table& charset_detail::single_byte_table(const encoding_info& info) {
    static std::array<byte_table, std::size(encodings)> tables;
    static std::array<std::once_flag, std::size(encodings)> built;
    const auto index = static_cast<std::size_t>(&info - encodings);
    std::call_once(built[index], [&info, &table = tables[index]] {
        UErrorCode err = U_ZERO_ERROR;
        UConverter* converter = info.icu_name != nullptr ? ucnv_open(info.icu_name, &err) : nullptr;
        if (converter != nullptr) { // report unmapped bytes instead of ICU's U+001A / U+FFFD
            ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                                &err);
        }
        for (unsigned byte = 0x80; byte <= 0xFF; ++byte) {
            const char32_t c = single_byte_code_point(info, converter, byte);
            table.length[byte - 0x80] =
                c == 0 ? 0 : static_cast<std::uint8_t>(put_utf8(table.utf8[byte - 0x80].data(), c));
        }
        ucnv_close(converter);
    });
    return tables[index];
}

} // namespace cairn::mime
