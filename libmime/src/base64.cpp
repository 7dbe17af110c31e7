// base64_decoder: tolerant, streaming base64 (RFC 2045 §6.8, RFC 4648 §4).
//
// The semantics are those of Python's email package (email._encoded_words.decode_b
// over binascii.a2b_base64), which cairn is compared against: bytes outside the
// alphabet are skipped, decoding stops at the first `=` that completes a quantum,
// and a short final quantum is repaired rather than rejected.
//
// Clean input (lines of whole quanta) takes a fast path: 32-byte blocks with
// AVX2 where the processor has it (base64_blocks.cpp), four bytes per
// iteration through one 256-entry table otherwise, and the line breaks between
// quanta skipped in the same loop. Everything else goes through a per-byte
// state machine that carries its state across step() calls. Both paths keep
// the same state, so the output does not depend on where the input was split.

#include "base64_blocks.hpp"
#include "chunk_writer.hpp"

#include <mime/decoders.hpp>

#include <algorithm>
#include <array>
#include <cstdint>

namespace cairn::mime {

namespace {

// Table values: 0..63 are sextets; the rest have bit 6 set, which the fast path
// tests for all four bytes of a quantum at once.
constexpr std::uint8_t pad_byte = 64;   // `=`
constexpr std::uint8_t space_byte = 65; // line ends and blanks: skipped silently
constexpr std::uint8_t junk_byte = 66;  // anything else: skipped, reported

constexpr std::array<std::uint8_t, 256> make_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& value : table) {
        value = junk_byte;
    }
    constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    }
    table['='] = pad_byte;
    for (const unsigned char blank : {' ', '\t', '\r', '\n'}) {
        table[blank] = space_byte;
    }
    return table;
}

constexpr std::array<std::uint8_t, 256> table = make_table();

using byte_ptr = const unsigned char*;

/// Decodes four-byte quanta from `p` while all four bytes are in the alphabet,
/// at most `quanta`, into `out`; returns how many.
std::size_t decode_quanta(byte_ptr p, std::size_t quanta, char* out) noexcept {
    std::size_t done = 0;
    for (; done < quanta; ++done, p += 4, out += 3) {
        const std::uint32_t a = table[p[0]];
        const std::uint32_t b = table[p[1]];
        const std::uint32_t c = table[p[2]];
        const std::uint32_t d = table[p[3]];
        if (((a | b | c | d) & 0xC0U) != 0) {
            break;
        }
        const std::uint32_t bits = (a << 18) | (b << 12) | (c << 6) | d;
        out[0] = static_cast<char>(bits >> 16);
        out[1] = static_cast<char>(bits >> 8);
        out[2] = static_cast<char>(bits);
    }
    return done;
}

/// The fast path, entered on a quantum boundary: wide blocks, then whole
/// quanta, and the line breaks and blanks between them (a line of 76 or 72
/// columns ends on a quantum boundary). Returns where it stopped: near the end,
/// or at a byte the per-byte path must look at (`=`, junk, a quantum cut by a
/// line end).
byte_ptr decode_clean(byte_ptr p, byte_ptr end, detail::chunk_writer& writer) {
    constexpr std::size_t want_room = 1024;
    while (end - p >= 4) {
        std::size_t room_size = 0;
        char* out = writer.room(want_room, room_size);
        const auto wide =
            detail::decode_base64_blocks(p, static_cast<std::size_t>(end - p), out, room_size);
        p += wide.consumed;
        const std::size_t quanta =
            std::min(static_cast<std::size_t>(end - p) / 4, (room_size - wide.produced) / 3);
        const std::size_t decoded = decode_quanta(p, quanta, out + wide.produced);
        p += decoded * 4;
        writer.commit(wide.produced + decoded * 3);
        // Blanks between quanta are skipped silently, as the per-byte path does.
        const byte_ptr blanks_from = p;
        while (p != end && table[*p] == space_byte) {
            ++p;
        }
        if (p == blanks_from && wide.consumed == 0 && decoded == 0) {
            break;
        }
    }
    return p;
}

/// Anything but blanks and more `=` after the final padding is a footer (mailing
/// lists append them) or garbage; it is ignored either way.
bool has_data(byte_ptr p, byte_ptr end) noexcept {
    for (; p != end; ++p) {
        const auto value = table[*p];
        if (value != space_byte && value != pad_byte) {
            return true;
        }
    }
    return false;
}

/// The bytes held by a final quantum of two or three sextets (12 or 18 bits).
void write_partial(std::uint32_t bits, int count, detail::chunk_writer& writer) {
    if (count == 2) {
        writer.put(static_cast<char>(bits >> 4));
    } else if (count == 3) {
        writer.put(static_cast<char>(bits >> 10));
        writer.put(static_cast<char>(bits >> 2));
    }
}

} // namespace

void base64_decoder::step(std::string_view in, sink_ref out) {
    auto p = reinterpret_cast<byte_ptr>(in.data());
    const auto end = p + in.size();
    if (ended_) {
        if (!defects_.contains(defect::data_after_base64_padding) && has_data(p, end)) {
            defects_.add(defect::data_after_base64_padding);
        }
        return;
    }
    detail::chunk_writer writer(out);
    while (p != end) {
        if (count_ == 0) {
            p = decode_clean(p, end, writer);
            if (p == end) {
                break;
            }
        }
        const auto value = table[*p++];
        if (value < 64) {
            // An `=` followed by more data was not padding after all (a2b_base64
            // forgets it too).
            if (pads_ != 0) {
                defects_.add(defect::invalid_base64_padding);
                pads_ = 0;
            }
            bits_ = (bits_ << 6) | value;
            if (++count_ == 4) {
                std::size_t room_size = 0;
                char* room = writer.room(3, room_size);
                room[0] = static_cast<char>(bits_ >> 16);
                room[1] = static_cast<char>(bits_ >> 8);
                room[2] = static_cast<char>(bits_);
                writer.commit(3);
                bits_ = 0;
                count_ = 0;
            }
        } else if (value == pad_byte) {
            // binascii.a2b_base64: an `=` ends the data when the quantum already
            // holds at least two sextets and enough `=` have been seen to fill it.
            if (count_ < 2) {
                defects_.add(defect::invalid_base64_padding);
                continue;
            }
            if (count_ + ++pads_ < 4) {
                continue;
            }
            ended_ = true;
            write_partial(bits_, count_, writer);
            bits_ = 0;
            count_ = 0;
            if (has_data(p, end)) {
                defects_.add(defect::data_after_base64_padding);
            }
            break;
        } else if (value == junk_byte) {
            defects_.add(defect::invalid_base64_characters);
        }
    }
    writer.flush();
}

void base64_decoder::finish(sink_ref out) {
    detail::chunk_writer writer(out);
    if (!ended_ && count_ != 0) {
        // decode_b: a length that is 2 or 3 mod 4 gets its padding added; a lone
        // sextet cannot hold a byte and is dropped (RFC 4648 §3.3 says reject).
        defects_.add(count_ == 1 ? defect::invalid_base64_length : defect::invalid_base64_padding);
    }
    if (!ended_) {
        write_partial(bits_, count_, writer);
    }
    bits_ = 0;
    count_ = 0;
    ended_ = true;
    writer.flush();
}

} // namespace cairn::mime
