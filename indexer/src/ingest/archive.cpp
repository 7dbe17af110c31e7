// Opening an archive folder, and the ingest entry points over batch_writer.

#include "ingest/archive_impl.hpp"
#include "ingest/batch_writer.hpp"

#include <indexer/error.hpp>
#include <indexer/sources.hpp>
#include <mime/message.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <unordered_set>

namespace cairn::index {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

std::filesystem::path archive::default_dir() {
    if (const char* dir = std::getenv("CAIRN_ARCHIVE"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    if (const char* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data != '\0') {
        return std::filesystem::path(data) / "cairn";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::filesystem::path(home) / ".local" / "share" / "cairn";
    }
    return "cairn-archive";
}

archive archive::init(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw io_error("cannot create the archive folder", dir, ec);
    }
    if (!std::filesystem::exists(catalog_file(dir))) {
        auto created = catalog::open(catalog_file(dir)); // creates the schema
        (void)created;
    }
    return open(dir, true);
}

archive archive::open(const std::filesystem::path& dir, bool writable) {
    if (!std::filesystem::is_regular_file(catalog_file(dir))) {
        throw archive_error(dir.string() + " is not a cairn archive (create one with `cairn init " +
                            dir.string() + "`)");
    }
    if (writable) {
        finish_index_swap(dir);
    }
    store_options store_opts;
    store_opts.read_only = !writable;
    auto p = std::make_unique<impl>(impl{dir,
                                         writable,
                                         segment_store::open(store_dir(dir), store_opts),
                                         catalog::open(catalog_file(dir)),
                                         writable ? fulltext::open_writable(index_dir(dir))
                                                  : fulltext::open_readonly(index_dir(dir)),
                                         {},
                                         {}});
    if (writable) {
        // In this order: the tail's batch moves indexed_through to its last
        // message, past any catalogued message still waiting for its document.
        p->catch_up_index();
        p->catalogue_store_tail();
    }
    return archive(std::move(p));
}

archive::archive(std::unique_ptr<impl> p)
    : impl_(std::move(p)) {}

archive::~archive() = default;
archive::archive(archive&&) noexcept = default;
archive& archive::operator=(archive&&) noexcept = default;

index_report archive::index(const std::vector<std::filesystem::path>& paths,
                            const index_options& options) {
    const auto start = std::chrono::steady_clock::now();
    index_report report;
    index_progress& totals = report.totals;
    index_options timed = options;
    timed.progress = [&](const index_progress& p) {
        totals.seconds = seconds_since(start);
        if (options.progress) {
            options.progress(p);
        }
    };
    batch_writer batch(*impl_, timed, totals);
    catalog& cat = impl_->messages;
    source_callbacks callbacks;
    callbacks.want_file = [&](const std::string& path, std::int64_t mtime, std::uint64_t size) {
        const auto state = cat.file_state(path);
        if (state && state->first == mtime && state->second == size) {
            ++totals.unchanged_files;
            return false;
        }
        return true;
    };
    callbacks.on_message = [&](const source_message& m) { batch.push(m.bytes, {m.env}); };
    callbacks.on_skipped = [&](const std::string& path, const std::string& reason) {
        ++totals.skipped;
        report.skipped.push_back({path, reason});
    };
    callbacks.on_file_done = [&](const std::string& path, std::int64_t mtime, std::uint64_t size) {
        batch.file_done(path, mtime, size);
    };
    for (const auto& path : paths) {
        walk_sources(path, callbacks);
    }
    batch.finish();
    if (options.compact && worth_compacting(totals.added, impl_->text.document_count())) {
        compact_index(options.threads);
    }
    totals.seconds = seconds_since(start);
    if (options.progress) {
        options.progress(totals);
    }
    return report;
}

message_key archive::add(std::string_view raw, const envelope& env) {
    const delivery one{raw, env};
    const auto results = deliver(std::span<const delivery>(&one, 1));
    index_pending();
    return results.front().id;
}

std::vector<delivery_result> archive::deliver(std::span<const delivery> messages) {
    index_progress progress;
    index_options options;
    options.batch_messages = messages.size() + 1; // one flush for the whole group
    options.batch_bytes = std::numeric_limits<std::size_t>::max();
    batch_writer batch(*impl_, options, progress, index_mode::deferred);
    for (const delivery& d : messages) {
        batch.push(d.raw, {d.env});
    }
    std::vector<message_key> keys;
    keys.reserve(messages.size());
    const auto added = batch.flush(&keys);
    std::vector<delivery_result> results;
    results.reserve(keys.size());
    std::unordered_set<message_key> first_seen;
    for (const message_key id : keys) {
        // New: among the ids this batch added (ascending), and the first time
        // the group names it (a second copy in the group is a duplicate).
        const bool fresh =
            std::binary_search(added.begin(), added.end(), id) && first_seen.insert(id).second;
        results.push_back({id, !fresh});
    }
    return results;
}

void archive::index_pending() {
    impl_->catch_up_index();
}

bool archive::index_is_pending() const noexcept {
    return !impl_->pending.empty() || !impl_->pending_rethreaded.empty();
}

std::optional<message_key> archive::resolve(std::string_view reference) const {
    std::string_view ref = reference;
    if (!ref.empty() && ref.find_first_not_of("0123456789") == std::string_view::npos &&
        ref.size() < 18) {
        const message_key id = std::stoll(std::string(ref));
        return impl_->messages.get(id) ? std::optional(id) : std::nullopt;
    }
    if (ref.starts_with("id:")) {
        ref.remove_prefix(3);
    }
    if (ref.size() >= 2 && ref.front() == '<' && ref.back() == '>') {
        ref = ref.substr(1, ref.size() - 2);
    }
    return impl_->messages.find_message_id(ref);
}

std::string archive::raw(message_key id) const {
    const auto row = impl_->messages.get(id);
    if (!row) {
        throw archive_error("no message " + std::to_string(id));
    }
    return impl_->store.read(row->where);
}

const std::filesystem::path& archive::dir() const noexcept {
    return impl_->dir;
}

catalog& archive::messages() noexcept {
    return impl_->messages;
}

fulltext& archive::text() noexcept {
    return impl_->text;
}

segment_store& archive::store() noexcept {
    return impl_->store;
}

} // namespace cairn::index
