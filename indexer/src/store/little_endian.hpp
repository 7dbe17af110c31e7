#pragma once
// Fixed-width little-endian integers for on-disk formats (store record
// headers, envelope records), whatever the host's byte order.

#include <cstddef>

namespace cairn::index::store_detail {

template <class Unsigned>
void put_le(char* out, Unsigned value) noexcept {
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
        out[i] = static_cast<char>((value >> (8 * i)) & 0xffU);
    }
}

template <class Unsigned>
[[nodiscard]] Unsigned get_le(const char* in) noexcept {
    Unsigned value = 0;
    for (std::size_t i = 0; i < sizeof(Unsigned); ++i) {
        value |= static_cast<Unsigned>(static_cast<unsigned char>(in[i])) << (8 * i);
    }
    return value;
}

} // namespace cairn::index::store_detail
