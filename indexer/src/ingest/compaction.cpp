// Compacting the full-text index and swapping the copy in, crash-safely.
//
// The swap is two renames: index → index.old, index.new → index. A crash
// leaves one of three states, each finished by finish_index_swap() on the
// next writable open: index.new partly written (index intact: drop the copy),
// between the renames (no index: the complete copy becomes it), or index.old
// left over (drop it).

#include "ingest/archive_impl.hpp"
#include "ingest/parallel.hpp"
#include "store/posix_file.hpp"

#include <indexer/error.hpp>

#include <system_error>

namespace cairn::index {
namespace {

namespace fs = std::filesystem;

fs::path with_suffix(const fs::path& dir, const char* suffix) {
    fs::path out = dir;
    out += suffix;
    return out;
}

void remove_tree(const fs::path& dir) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) {
        throw io_error("cannot remove a stale index copy", dir, ec);
    }
}

void rename_or_throw(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) {
        throw io_error("cannot swap in the compacted index", from, ec);
    }
}

} // namespace

void finish_index_swap(const fs::path& archive_dir) {
    const fs::path live = index_dir(archive_dir);
    const fs::path fresh = with_suffix(live, ".new");
    if (!fs::exists(live) && fs::exists(fresh)) {
        rename_or_throw(fresh, live); // the crash came between the two renames
        store_detail::sync_directory(archive_dir);
    }
    remove_tree(fresh);
    remove_tree(with_suffix(live, ".old"));
}

void archive::compact_index(unsigned threads) {
    const fs::path live = index_dir(impl_->dir);
    const fs::path fresh = with_suffix(live, ".new");
    const fs::path old = with_suffix(live, ".old");
    finish_index_swap(impl_->dir);
    impl_->text.compact_to(fresh, worker_threads(threads));
    {
        // Close the writer (and its lock) before its folder moves.
        const fulltext closing = std::move(impl_->text);
    }
    try {
        rename_or_throw(live, old);
        rename_or_throw(fresh, live);
        store_detail::sync_directory(impl_->dir);
    } catch (...) {
        // Leave the archive usable with whichever index is whole, then report.
        finish_index_swap(impl_->dir);
        impl_->text = fulltext::open_writable(live);
        throw;
    }
    impl_->text = fulltext::open_writable(live);
    remove_tree(old);
}

bool worth_compacting(std::uint64_t added, std::uint64_t documents) noexcept {
    // A run that wrote a quarter of the index or more (an import) left its
    // tables mostly half-empty blocks; small incremental runs are not worth a
    // full rewrite.
    return added >= 1000 && added * 4 >= documents;
}

} // namespace cairn::index
