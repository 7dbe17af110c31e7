#pragma once
// Helpers shared by the segment_store suites: a throwaway folder, message
// bytes, byte flipping, and a scan that collects for_each's records.

#include <indexer/store.hpp>

#include <gtest/gtest.h>
#include <support/temp_dir.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace cairn::test {

namespace fs = std::filesystem;
using index::content_hash;
using index::location;
using index::segment_store;
using index::store_position;
using index::stored_record;

/// A fresh folder under the system temp folder, removed with everything in it.
class temp_dir : public scratch_dir {
public:
    temp_dir()
        : scratch_dir("cairn-store") {}
};

inline std::string random_bytes(std::size_t length, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::string bytes(length, '\0');
    for (char& c : bytes) {
        c = static_cast<char>(random() & 0xff);
    }
    return bytes;
}

/// A plausible message: headers, CRLF line ends, some text that compresses.
inline std::string message(int number, std::size_t body_lines = 20) {
    std::string text = "From: a" + std::to_string(number) + "@example.org\r\nSubject: message " +
                       std::to_string(number) + "\r\n\r\n";
    for (std::size_t i = 0; i < body_lines; ++i) {
        text += "line " + std::to_string(i) + " of message " + std::to_string(number) + "\r\n";
    }
    return text;
}

inline void flip_byte(const fs::path& file, std::uint64_t offset) {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(static_cast<std::streamoff>(offset));
    char byte = 0;
    stream.get(byte);
    stream.seekp(static_cast<std::streamoff>(offset));
    stream.put(static_cast<char>(byte ^ 0x20));
}

inline std::vector<stored_record> scan(const segment_store& store, store_position from = {}) {
    std::vector<stored_record> records;
    store.for_each([&](const stored_record& r) { records.push_back(r); }, from);
    return records;
}

} // namespace cairn::test
