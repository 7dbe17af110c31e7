#pragma once
// Helpers shared by the segment_store suites: a throwaway folder, message
// bytes, byte flipping, and a scan that collects for_each's records.

#include <indexer/store.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
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
class temp_dir {
public:
    temp_dir() {
        std::string pattern = (fs::temp_directory_path() / "cairn-store-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        path_ = pattern;
    }

    ~temp_dir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }

    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
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
