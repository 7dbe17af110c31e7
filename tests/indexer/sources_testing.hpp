#pragma once
// Helpers shared by the sources suites: files written into a throwaway tree,
// and a recorder that turns walk_sources' callbacks into one text log.

#include "indexer/store_testing.hpp" // temp_dir

#include <indexer/sources.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::test {

/// Writes `bytes` to `path`, creating the folders above it.
inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

inline const char* kind_name(index::source_kind kind) {
    switch (kind) {
    case index::source_kind::file:
        return "file";
    case index::source_kind::maildir:
        return "maildir";
    case index::source_kind::mbox:
        return "mbox";
    case index::source_kind::smtp:
        return "smtp";
    case index::source_kind::lmtp:
        return "lmtp";
    }
    return "?";
}

/// Collects every callback as one line of text, paths relative to `root`:
///   message <kind> <path> folder=<f> flags=<f> offset=<n> bytes=<n>
///   skipped <path>: <reason>
///   done <path>
struct recorder {
    std::filesystem::path root;
    std::vector<std::string> log;
    std::vector<std::string> messages; ///< the bytes of each message, in order
    std::vector<index::envelope> envelopes;
    /// Paths (relative) for which want_file answers false.
    std::vector<std::string> unwanted;

    [[nodiscard]] std::string relative(const std::string& path) const {
        const auto rel = std::filesystem::path(path).lexically_relative(root).generic_string();
        return rel == "." ? std::string() : rel;
    }

    [[nodiscard]] index::source_callbacks callbacks() {
        index::source_callbacks c;
        c.want_file = [this](const std::string& path, std::int64_t mtime, std::uint64_t size) {
            EXPECT_GT(mtime, 0) << path;
            EXPECT_GT(size + 1, 0U);
            const std::string rel = relative(path);
            return std::find(unwanted.begin(), unwanted.end(), rel) == unwanted.end();
        };
        c.on_message = [this](const index::source_message& m) {
            log.push_back("message " + std::string(kind_name(m.env.kind)) + " " +
                          relative(m.env.path) + " folder=" + m.env.folder +
                          " flags=" + m.env.flags + " offset=" + std::to_string(m.env.offset) +
                          " bytes=" + std::to_string(m.bytes.size()));
            messages.emplace_back(m.bytes);
            envelopes.push_back(m.env);
        };
        c.on_skipped = [this](const std::string& path, const std::string& reason) {
            log.push_back("skipped " + relative(path) + ": " + reason);
        };
        c.on_file_done = [this](const std::string& path, std::int64_t, std::uint64_t) {
            log.push_back("done " + relative(path));
        };
        return c;
    }

    /// Walks `path` (default: the root) and returns the log as one string.
    std::string walk(const std::filesystem::path& path = {}) {
        log.clear();
        messages.clear();
        envelopes.clear();
        index::walk_sources(path.empty() ? root : path, callbacks());
        std::string text;
        for (const auto& line : log) {
            text += line + "\n";
        }
        return text;
    }
};

/// A small valid message with a distinguishing subject.
inline std::string small_message(std::string_view subject) {
    return "From: a@example.org\nSubject: " + std::string(subject) + "\n\nbody of " +
           std::string(subject) + "\n";
}

} // namespace cairn::test
