// segment_store: opening the store folder, the writer's LOCK, segment naming
// and listing, and crash recovery of the last segment.
#include "store/segment_scanner.hpp"
#include "store/store_impl.hpp"

#include <indexer/store.hpp>

#include <fcntl.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <utility>
#include <vector>

namespace cairn::index {
namespace {

using store_detail::posix_file;

constexpr std::string_view segment_prefix = "seg-";
constexpr std::string_view segment_suffix = ".czs";

/// Creates `dir` when absent and makes its name durable in its parent.
void create_store_folder(const std::filesystem::path& dir) {
    std::error_code ec;
    const bool created = std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw io_error("cannot create store folder", dir, ec);
    }
    if (created) {
        const auto absolute = std::filesystem::absolute(dir).lexically_normal();
        const auto parent =
            absolute.has_filename() ? absolute.parent_path() : absolute.parent_path().parent_path();
        store_detail::sync_directory(parent);
    }
}

/// Whether [from, end) of `file` holds only zeros: what a writer wrote ahead
/// (segment_store::zero_fill_ahead) and nothing of a torn record.
bool only_zeros(const posix_file& file, std::uint64_t from, std::uint64_t end) {
    std::vector<char> buffer(std::size_t{1} << 20);
    for (std::uint64_t at = from; at < end;) {
        const std::size_t n = file.read_at(
            buffer.data(),
            static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), end - at)), at);
        const auto filled = buffer.begin() + static_cast<std::ptrdiff_t>(n);
        if (n == 0 || std::any_of(buffer.begin(), filled, [](char c) { return c != 0; })) {
            return n == 0;
        }
        at += n;
    }
    return true;
}

/// Walks the last segment record by record and cuts it after the last record
/// that is whole: header valid, frame inside the file, and (when asked) frame
/// checksum right. Only records appended after the last sync() can fail here.
void recover_last_segment(segment_store::impl& state, std::uint32_t number) {
    posix_file file = posix_file::open(segment_store::segment_path(state.dir, number), O_RDWR);
    const std::uint64_t end = file.size();
    store_detail::segment_scanner scanner(file, end);
    while (!scanner.at_end()) {
        const auto record = scanner.current();
        if (!record.ok() || (state.options.verify_tail_frames &&
                             scanner.frame_crc(record) != record.header.frame_crc)) {
            break;
        }
        scanner.next(record);
    }
    const std::uint64_t offset = scanner.offset();
    if (offset < end) {
        state.recovered_bytes = only_zeros(file, offset, end) ? 0 : end - offset;
        file.truncate(offset);
        file.datasync();
    }
    state.active = std::move(file);
    state.active_number = number;
    state.active_size = offset;
}

} // namespace

namespace store_detail {

std::vector<std::uint32_t> list_segments(const std::filesystem::path& dir) {
    std::vector<std::uint32_t> numbers;
    std::error_code ec;
    std::filesystem::directory_iterator it(dir, ec);
    for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= segment_prefix.size() + segment_suffix.size() ||
            !name.starts_with(segment_prefix) || !name.ends_with(segment_suffix)) {
            continue;
        }
        const char* first = name.data() + segment_prefix.size();
        const char* last = name.data() + name.size() - segment_suffix.size();
        std::uint32_t number = 0;
        const auto [stop, error] = std::from_chars(first, last, number);
        // Digits only (from_chars would also stop early at a letter) and never 0.
        if (error == std::errc() && stop == last && number > 0 &&
            std::all_of(first, last, [](char c) { return c >= '0' && c <= '9'; })) {
            numbers.push_back(number);
        }
    }
    if (ec) {
        throw io_error("cannot list store folder", dir, ec);
    }
    std::sort(numbers.begin(), numbers.end());
    return numbers;
}

} // namespace store_detail

std::filesystem::path segment_store::segment_path(const std::filesystem::path& dir,
                                                  std::uint32_t number) {
    char name[32];
    std::snprintf(name, sizeof name, "seg-%06u.czs", static_cast<unsigned>(number));
    return dir / name;
}

segment_store segment_store::open(const std::filesystem::path& dir, const store_options& options) {
    auto state = std::make_unique<impl>(dir, options);
    if (options.read_only) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            throw io_error("no store folder", dir, ec);
        }
        return segment_store(std::move(state));
    }
    create_store_folder(dir);
    // One writer per store, across processes: two writers would interleave
    // records and each would truncate the other's in-flight tail on open.
    state->lock = posix_file::open(dir / "LOCK", O_RDWR | O_CREAT);
    if (!state->lock.try_lock_exclusive()) {
        throw io_error("store is already open for writing by another process", dir);
    }
    const auto segments = store_detail::list_segments(dir);
    if (segments.empty()) {
        state->start_segment(1);
    } else {
        recover_last_segment(*state, segments.back());
    }
    state->publish();
    return segment_store(std::move(state));
}

void segment_store::impl::start_segment(std::uint32_t number) {
    active = posix_file::open(segment_path(dir, number), O_WRONLY | O_CREAT | O_EXCL);
    active_number = number;
    active_size = 0;
    zeroed_end = 0;
    folder_dirty = true; // the new name is durable only once the folder is synced
}

void segment_store::impl::publish() {
    const std::lock_guard guard(mutex);
    published = {active_number, active_size};
}

std::optional<store_position> segment_store::impl::writer_end() const {
    if (options.read_only) {
        return std::nullopt;
    }
    const std::lock_guard guard(mutex);
    return published;
}

segment_store::segment_store(std::unique_ptr<impl> state) noexcept
    : impl_(std::move(state)) {}

segment_store::segment_store(segment_store&&) noexcept = default;

segment_store& segment_store::operator=(segment_store&&) noexcept = default;

segment_store::~segment_store() = default;

std::uint64_t segment_store::recovered_bytes() const noexcept {
    return impl_->recovered_bytes;
}

const std::filesystem::path& segment_store::dir() const noexcept {
    return impl_->dir;
}

store_position segment_store::end() const {
    return impl_->writer_end().value_or(store_position{});
}

std::uint32_t segment_store::active_segment() const noexcept {
    return impl_->active_number;
}

} // namespace cairn::index
