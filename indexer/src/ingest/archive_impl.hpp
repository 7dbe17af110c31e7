#pragma once
// The parts of an open archive, shared by archive.cpp and the ingest files.

#include <indexer/archive.hpp>
#include <indexer/record.hpp>

#include <utility>
#include <vector>

namespace cairn::index {

struct archive::impl {
    std::filesystem::path dir;
    bool writable = false;
    segment_store store;
    catalog messages;
    fulltext text;

    /// A message catalogued by a deferred batch (deliver()) whose document is
    /// not committed yet: its parse is kept so index_pending() need not read
    /// and parse it again.
    struct pending_document {
        message_key id = 0;
        message_record record;
        std::vector<envelope> sources;
    };

    std::vector<pending_document> pending;       ///< in id order
    std::vector<message_key> pending_rethreaded; ///< older messages whose thread changed

    /// The full-text work for catalogued messages whose documents were never
    /// committed: those of deferred batches (kept in `pending`), and after a
    /// crash between catalog commit and index commit (read from the store
    /// and parsed again).
    [[nodiscard]] index_work take_index_work();
    void write_index_work(index_work& work);
    void finish_index_work(const index_work& work);
    void return_index_work(index_work&& work);
    /// Moves the catalog's indexed_through forward to `through` (one small
    /// transaction) once the documents up to it are committed to Xapian.
    void record_indexed_through(message_key through);
    /// take, write, finish (return on failure): one Xapian commit, then indexed_through is
    /// advanced.
    void catch_up_index();
    /// Catalogues and indexes the store's records past the catalog's
    /// catalogued_through (store_tail.cpp): run by every writable open, and
    /// a no-op after a clean stop.
    void catalogue_store_tail();
};

struct index_work::contents {
    struct document {
        archive::impl::pending_document parsed;
        thread_key thread = 0;
    };

    std::vector<document> documents;
    std::vector<std::pair<message_key, thread_key>> rethreaded; ///< already indexed, thread changed
    message_key through = 0; ///< indexed_through once the work is committed
};

/// Finishes or undoes a compaction interrupted by a crash (compaction.cpp);
/// called before the index is opened for writing.
void finish_index_swap(const std::filesystem::path& archive_dir);

/// Whether a run that added `added` documents to an index of `documents`
/// should compact it.
[[nodiscard]] bool worth_compacting(std::uint64_t added, std::uint64_t documents) noexcept;

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
