// fulltext: the Xapian databases behind fulltext.hpp. Documents come from
// document_builder, queries from query_builder; every Xapian call runs inside
// xapian_guard so callers only ever see io_error and query_error. A writer
// holds one WritableDatabase per shard (shard_layout.hpp), each with its own
// document_builder so that shards can be written on threads of their own;
// reads go through one Database over all shards.

#include "fulltext/document_builder.hpp"
#include "fulltext/query_builder.hpp"
#include "fulltext/shard_layout.hpp"
#include "fulltext/xapian_guard.hpp"
#include "ingest/parallel.hpp"

#include <indexer/error.hpp>
#include <indexer/fields.hpp>
#include <indexer/fulltext.hpp>

#include <xapian.h>

#include <algorithm>
#include <ctime>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace cairn::index {

using detail::xapian_guard;

struct fulltext::impl {
    struct shard {
        Xapian::WritableDatabase db;
        detail::document_builder builder;
    };

    std::filesystem::path dir;
    std::vector<shard> shards; // writable only, in Xapian's order
    bool in_folder = false;    // one shard that is the index folder itself (the old layout)
    Xapian::Database reader;   // over the writers' shards, or read-only
    detail::query_builder queries;

    Xapian::docid docid(message_key id) const {
        if (id <= 0 || id > static_cast<message_key>(std::numeric_limits<Xapian::docid>::max())) {
            throw std::out_of_range("message id " + std::to_string(id) +
                                    " cannot be a Xapian document id (1 .. 2^32-1)");
        }
        return static_cast<Xapian::docid>(id);
    }

    void require_writable() const {
        if (shards.empty()) {
            throw std::logic_error("full-text index opened read-only: " + dir.string());
        }
    }

    // The shard that holds message `id`, and its document id there.
    std::pair<shard&, Xapian::docid> locate(message_key id) {
        require_writable();
        const auto where = detail::address_of(docid(id), shards.size());
        return {shards[where.shard], where.local};
    }

    void write(shard& s, Xapian::docid local, const document_source& doc) {
        xapian_guard(dir, "cannot index a message", [&] {
            s.db.replace_document(local, s.builder.build(*doc.record, doc.thread, *doc.sources));
        });
    }

    // Runs fn(index, shard) for every shard, on up to `threads` threads.
    template <class Fn>
    void each_shard(unsigned threads, Fn&& fn) {
        require_writable();
        parallel_for(shards.size(), threads, [&](std::size_t i) { fn(i, shards[i]); });
    }

    // Runs a read, first catching up with the latest commit (a long-lived reader
    // would otherwise keep its snapshot) and retrying once if a writer's commit
    // overwrote the revision being read (Xapian's documented recovery).
    template <class Fn>
    decltype(auto) read(const char* doing, Fn&& fn) {
        return xapian_guard(dir, doing, [&]() -> decltype(auto) {
            reader.reopen();
            try {
                return fn();
            } catch (const Xapian::DatabaseModifiedError&) {
                reader.reopen();
                return fn();
            }
        });
    }
};

fulltext::fulltext(std::unique_ptr<impl> p)
    : impl_(std::move(p)) {}

fulltext::~fulltext() = default;
fulltext::fulltext(fulltext&&) noexcept = default;
fulltext& fulltext::operator=(fulltext&&) noexcept = default;

fulltext fulltext::open_writable(const std::filesystem::path& dir) {
    auto p = std::make_unique<impl>();
    p->dir = dir;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw io_error("cannot create the full-text index folder", dir, ec);
    }
    const auto existing = detail::read_shards(dir);
    const auto paths = existing ? *existing : detail::new_shards(dir, detail::default_shards);
    // The stub is written only once every shard exists: a shard it names that
    // is gone was lost, and an empty one in its place would hide that.
    const int how = existing ? Xapian::DB_OPEN : Xapian::DB_CREATE_OR_OPEN;
    xapian_guard(dir, "cannot open the full-text index for writing", [&] {
        p->shards.reserve(paths.size());
        for (const auto& path : paths) {
            p->shards.push_back(
                {Xapian::WritableDatabase(path.string(), how), detail::document_builder()});
            p->reader.add_database(p->shards.back().db);
        }
    });
    if (!existing) {
        detail::write_stub(dir, static_cast<unsigned>(paths.size()));
    }
    p->in_folder = paths.size() == 1 && paths.front() == dir;
    return fulltext(std::move(p));
}

fulltext fulltext::open_readonly(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        throw io_error("no full-text index", dir,
                       ec ? ec : std::make_error_code(std::errc::no_such_file_or_directory));
    }
    auto p = std::make_unique<impl>();
    p->dir = dir;
    xapian_guard(dir, "cannot open the full-text index",
                 [&] { p->reader = Xapian::Database(dir.string()); });
    return fulltext(std::move(p));
}

void fulltext::put(message_key id, const message_record& record, thread_key thread,
                   const std::vector<envelope>& sources) {
    const auto [shard, local] = impl_->locate(id);
    impl_->write(shard, local, {id, &record, thread, &sources});
}

void fulltext::put_all(std::span<const document_source> documents, unsigned threads) {
    impl_->require_writable();
    std::vector<std::vector<std::pair<Xapian::docid, const document_source*>>> by_shard(
        impl_->shards.size());
    for (const auto& doc : documents) {
        const auto where = detail::address_of(impl_->docid(doc.id), by_shard.size());
        by_shard[where.shard].emplace_back(where.local, &doc);
    }
    impl_->each_shard(threads, [&](std::size_t i, impl::shard& s) {
        for (const auto& [local, doc] : by_shard[i]) {
            impl_->write(s, local, *doc);
        }
    });
}

void fulltext::compact_to(const std::filesystem::path& out, unsigned threads) {
    impl_->require_writable();
    // A one-shard index in the old layout (the database is the folder) stays so.
    std::vector<std::filesystem::path> targets{out};
    if (!impl_->in_folder) {
        std::error_code ec;
        std::filesystem::create_directory(out, ec);
        if (ec) {
            throw io_error("cannot create the compacted index folder", out, ec);
        }
        targets = detail::new_shards(out, static_cast<unsigned>(impl_->shards.size()));
    }
    impl_->each_shard(threads, [&](std::size_t i, impl::shard& s) {
        xapian_guard(impl_->dir, "cannot compact the full-text index", [&] {
            s.db.commit();
            s.db.compact(targets[i].string(), Xapian::DBCOMPACT_NO_RENUMBER);
        });
    });
    if (!impl_->in_folder) {
        detail::write_stub(out, static_cast<unsigned>(targets.size()));
    }
}

void fulltext::set_thread(message_key id, thread_key thread) {
    auto [shard, local] = impl_->locate(id);
    auto& db = shard.db;
    xapian_guard(impl_->dir, "cannot change a message's thread", [&] {
        Xapian::Document doc;
        try {
            doc = db.get_document(local);
        } catch (const Xapian::DocNotFoundError&) {
            return; // not indexed yet: put() will write the thread from the catalog
        }
        const auto prefix = std::string(fields::of(fields::id::thread).prefix);
        std::vector<std::string> old;
        auto t = doc.termlist_begin();
        for (t.skip_to(prefix); t != doc.termlist_end() && (*t).rfind(prefix, 0) == 0; ++t) {
            old.push_back(*t);
        }
        const auto fresh = detail::document_builder::thread_term(thread);
        if (old.size() == 1 && old.front() == fresh) {
            return;
        }
        for (const auto& term : old) {
            doc.remove_term(term);
        }
        if (thread != 0) {
            doc.add_boolean_term(fresh);
        }
        db.replace_document(local, doc);
    });
}

void fulltext::remove(message_key id) {
    auto [shard, local] = impl_->locate(id);
    xapian_guard(impl_->dir, "cannot remove a message from the index", [&] {
        try {
            shard.db.delete_document(local);
        } catch (const Xapian::DocNotFoundError&) {
            // Already absent: removing is idempotent.
        }
    });
}

void fulltext::clear() {
    impl_->each_shard(1, [&](std::size_t, impl::shard& s) {
        xapian_guard(impl_->dir, "cannot clear the full-text index", [&] {
            // Deleting document by document rather than reopening with
            // DB_CREATE_OR_OVERWRITE: an overwrite restarts the revision count,
            // and a reader whose old revision number matches would not notice it.
            std::vector<Xapian::docid> all;
            all.reserve(s.db.get_doccount());
            for (auto it = s.db.postlist_begin(""); it != s.db.postlist_end(""); ++it) {
                all.push_back(*it);
            }
            for (const auto id : all) {
                s.db.delete_document(id);
            }
        });
    });
}

void fulltext::commit(unsigned threads) {
    impl_->each_shard(threads, [&](std::size_t, impl::shard& s) {
        xapian_guard(impl_->dir, "cannot commit the full-text index", [&] { s.db.commit(); });
    });
}

std::size_t fulltext::shard_count() const {
    return impl_->read("cannot read the full-text index", [&] { return impl_->reader.size(); });
}

namespace {

std::int64_t anchor(std::int64_t now) {
    return now != 0 ? now : static_cast<std::int64_t>(std::time(nullptr));
}

Xapian::doccount clamp(std::uint64_t n) {
    return static_cast<Xapian::doccount>(
        std::min<std::uint64_t>(n, std::numeric_limits<Xapian::doccount>::max()));
}

} // namespace

search_hits fulltext::search(std::string_view query, const search_options& options) const {
    const auto parsed = impl_->queries.parse(query, anchor(options.now));
    return impl_->read("cannot search the full-text index", [&] {
        Xapian::Enquire enquire(impl_->reader);
        enquire.set_query(parsed);
        const auto all = impl_->reader.get_doccount();
        Xapian::doccount check_at_least = all; // sorting by date visits every match anyway
        switch (options.sort) {
        case sort_order::newest_first:
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            enquire.set_sort_by_value(fields::date_slot, true);
            enquire.set_docid_order(Xapian::Enquire::DESCENDING);
            break;
        case sort_order::oldest_first:
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            enquire.set_sort_by_value(fields::date_slot, false);
            break;
        case sort_order::relevance:
            enquire.set_sort_by_relevance();
            check_at_least = clamp(options.offset + options.limit); // total is an estimate
            break;
        }
        const auto mset =
            enquire.get_mset(clamp(options.offset), clamp(options.limit), check_at_least);
        search_hits hits;
        hits.total = mset.get_matches_estimated();
        hits.ids.reserve(mset.size());
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            hits.ids.push_back(static_cast<message_key>(*it));
        }
        return hits;
    });
}

std::uint64_t fulltext::count(std::string_view query) const {
    const auto parsed = impl_->queries.parse(query, anchor(0));
    return impl_->read("cannot count in the full-text index", [&]() -> std::uint64_t {
        const auto all = impl_->reader.get_doccount();
        if (parsed.get_type() == Xapian::Query::LEAF_MATCH_ALL) {
            return all;
        }
        Xapian::Enquire enquire(impl_->reader);
        enquire.set_query(parsed);
        enquire.set_weighting_scheme(Xapian::BoolWeight());
        // Checking at least every document makes the estimate the exact count.
        return enquire.get_mset(0, 0, all).get_matches_estimated();
    });
}

std::uint64_t fulltext::document_count() const {
    return impl_->read("cannot read the full-text index",
                       [&]() -> std::uint64_t { return impl_->reader.get_doccount(); });
}

message_key fulltext::last_document() const {
    return impl_->read("cannot read the full-text index",
                       [&]() -> message_key { return impl_->reader.get_lastdocid(); });
}

} // namespace cairn::index
