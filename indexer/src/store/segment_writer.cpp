// segment_store's writer side: append a record, roll over to a new segment,
// and make appended records durable.
#include "store/store_impl.hpp"

#include <indexer/store.hpp>

#include <algorithm>
#include <limits>

namespace cairn::index {
namespace {

// After a very large message, give its buffer back instead of keeping it for
// the life of the store.
constexpr std::size_t max_kept_buffer = std::size_t{64} << 20;

/// Zeros are written in pieces of this size (one static buffer).
constexpr std::size_t zero_piece = std::size_t{1} << 20;

/// With zero_fill_ahead set (segment_store::zero_fill_ahead), keeps that many
/// bytes of zeros written past the record about to end at `record_end`, once
/// the zeros written earlier run out. Best effort: when the zeros cannot be
/// written (a full disk), appends go on growing the file as without them.
void fill_zeros_ahead(segment_store::impl& state, std::uint64_t record_end) {
    if (state.zero_fill_ahead == 0 || record_end <= state.zeroed_end) {
        return;
    }
    // Not past the segment limit, unless this one record already is.
    const std::uint64_t until = std::min(record_end + state.zero_fill_ahead,
                                         std::max(state.options.segment_limit, record_end));
    static const std::string zeros(zero_piece, '\0');
    try {
        // The record itself covers what lies before record_end.
        for (std::uint64_t at = std::max(state.zeroed_end, record_end); at < until;) {
            const auto piece =
                static_cast<std::size_t>(std::min<std::uint64_t>(zero_piece, until - at));
            state.active.write_at(zeros.data(), piece, at);
            at += piece;
        }
    } catch (const io_error&) {
        try {
            state.active.truncate(state.active_size); // whatever zeros made it
        } catch (const io_error&) {
            // left for roll-over, close or the next open() to cut
        }
    }
    state.zeroed_end = until; // after a failure: tried again only past here
}

void require_writable(const segment_store::impl& state) {
    if (state.options.read_only) {
        throw io_error("store was opened read-only", state.dir);
    }
    if (state.poisoned) {
        // After a failed fdatasync the kernel may have dropped dirty pages and
        // cleared the error (the 2018 "fsyncgate"): a later sync could succeed
        // without the data. Only reopening, which re-checks the tail, is safe.
        throw io_error("store is unusable after a failed sync; reopen it", state.dir);
    }
}

/// Seals the active segment (synced now, so sync() need only ever look at the
/// active one) and starts the next.
void roll_over(segment_store::impl& state) {
    if (state.active_number == std::numeric_limits<std::uint32_t>::max()) {
        throw io_error("store has no segment numbers left", state.dir);
    }
    try {
        // Zeros inside a sealed segment would read as a damaged record.
        state.active.truncate(state.active_size);
        state.active.datasync();
    } catch (const io_error&) {
        state.poisoned = true;
        throw;
    }
    state.start_segment(state.active_number + 1);
    state.publish();
}

} // namespace

segment_store::impl::~impl() {
    release_zeros();
}

void segment_store::impl::release_zeros() noexcept {
    if (zeroed_end <= active_size || !active.is_open()) {
        return;
    }
    try {
        active.truncate(active_size);
    } catch (const io_error&) {
        return; // zeros past the last record: the next open() cuts them
    }
    zeroed_end = active_size;
}

void segment_store::zero_fill_ahead(std::uint64_t bytes) noexcept {
    impl_->zero_fill_ahead = bytes;
}

stored_message segment_store::append(std::string_view raw, record_kind kind) {
    return append(raw, content_hash::of(raw), kind);
}

stored_message segment_store::append(std::string_view raw, const content_hash& hash,
                                     record_kind kind) {
    impl& state = *impl_;
    require_writable(state);

    // Compress straight behind room for the header: one buffer, one pwrite.
    state.record.assign(header_size, '\0');
    const std::size_t frame_length = state.compressor.compress(raw, state.record);
    store_detail::record_header header;
    header.raw_length = raw.size();
    header.stored_length = frame_length;
    header.hash = hash;
    header.frame_crc = store_detail::crc32(0, std::string_view(state.record).substr(header_size));
    header.kind = kind;
    store_detail::encode_header(header, state.record.data());

    if (state.active_size > 0 &&
        state.active_size + state.record.size() > state.options.segment_limit) {
        roll_over(state);
    }
    const location where{state.active_number, state.active_size, raw.size(), frame_length};
    fill_zeros_ahead(state, state.active_size + state.record.size());
    try {
        state.active.write_at(state.record.data(), state.record.size(), state.active_size);
    } catch (const io_error& error) {
        // Cut the partial record off so the next append starts on a record
        // boundary (a full disk must not leave a hole for readers to trip on).
        try {
            state.active.truncate(state.active_size);
        } catch (const io_error&) {
            state.poisoned = true; // the tail is unknown now; open() will repair it
        }
        throw io_error("cannot append record", error.path(), error.code(), hash);
    }
    state.active_size += state.record.size();
    state.publish();
    if (state.record.capacity() > max_kept_buffer) {
        std::string().swap(state.record);
    }
    return {where, hash};
}

void segment_store::sync() {
    impl& state = *impl_;
    require_writable(state);
    try {
        state.active.datasync();
        if (state.folder_dirty) {
            store_detail::sync_directory(state.dir);
            state.folder_dirty = false;
        }
    } catch (const io_error&) {
        state.poisoned = true;
        throw;
    }
}

} // namespace cairn::index
