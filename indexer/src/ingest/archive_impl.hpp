#pragma once
// The parts of an open archive, shared by archive.cpp and the ingest files.

#include <indexer/archive.hpp>

namespace cairn::index {

struct archive::impl {
    std::filesystem::path dir;
    bool writable = false;
    segment_store store;
    catalog messages;
    fulltext text;

    /// Indexes catalogued messages whose documents were never committed (a crash
    /// between catalog commit and index commit).
    void catch_up_index();
};

/// Where each piece of an archive lives.
inline std::filesystem::path catalog_file(const std::filesystem::path& dir) {
    return dir / "catalog.db";
}

inline std::filesystem::path index_dir(const std::filesystem::path& dir) {
    return dir / "index";
}

inline std::filesystem::path store_dir(const std::filesystem::path& dir) {
    return dir / "store";
}

} // namespace cairn::index
