#pragma once
// segment_store's private state, shared by segment_store.cpp (open, recovery),
// segment_writer.cpp (append, sync) and segment_reader.cpp (read, for_each).

#include "store/posix_file.hpp"
#include "store/record_format.hpp"
#include "store/zstd_frame.hpp"

#include <indexer/store.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace cairn::index {

struct segment_store::impl {
    impl(std::filesystem::path store_dir, const store_options& store_opts)
        : dir(std::move(store_dir))
        , options(store_opts)
        , compressor(store_opts.compression_level) {}

    ~impl(); ///< cuts the zeros past the active segment's last record (segment_writer.cpp)
    impl(const impl&) = delete;
    impl& operator=(const impl&) = delete;

    // --- fixed after open(): read by any thread ---------------------------------
    std::filesystem::path dir;
    store_options options;
    std::uint64_t recovered_bytes = 0;

    // --- writer state: the writer thread only ------------------------------------
    store_detail::posix_file lock;   // held (flock) for the store's life
    store_detail::posix_file active; // O_WRONLY on the active segment
    std::uint32_t active_number = 0;
    std::uint64_t active_size = 0;
    std::uint64_t zero_fill_ahead = 0; // see segment_store::zero_fill_ahead
    std::uint64_t zeroed_end = 0;      // zeros were written (or tried) up to here
    bool folder_dirty = false;         // a segment was created since the last sync
    bool poisoned = false;             // a sync failed: refuse to go on (see segment_writer.cpp)
    std::string record;                // header + frame of the record being appended
    store_detail::frame_compressor compressor;

    // --- shared between the writer and readers, guarded by `mutex` ---------------
    mutable std::mutex mutex;
    mutable std::map<std::uint32_t, store_detail::posix_file>
        readers; // O_RDONLY, never closed early
    /// The end of what the in-process writer has appended: readers scan up
    /// to here and no further, so they never see a record being written.
    store_position published;

    /// A read-only descriptor for segment `number`, opened on first use and kept
    /// until the store is destroyed (so the int stays valid without the lock).
    /// Throws io_error when the segment does not exist.
    [[nodiscard]] const store_detail::posix_file& reader(std::uint32_t number) const;

    /// The writer's end, or nullopt for a read-only store (no writer here).
    [[nodiscard]] std::optional<store_position> writer_end() const;

    void publish(); // after each append or roll: readers may now see it

    /// Cuts the zeros past the active segment's last record; best effort.
    void release_zeros() noexcept;

    /// Creates segment `number` and makes it the active one.
    void start_segment(std::uint32_t number);
};

namespace store_detail {

/// Segment numbers present in `dir`, ascending (names seg-<digits>.czs only).
[[nodiscard]] std::vector<std::uint32_t> list_segments(const std::filesystem::path& dir);

} // namespace store_detail
} // namespace cairn::index
