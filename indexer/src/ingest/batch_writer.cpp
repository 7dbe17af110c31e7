#include "ingest/batch_writer.hpp"

#include "ingest/parallel.hpp"

#include <indexer/envelope_record.hpp>
#include <mime/message.hpp>

#include <thread>
#include <unordered_map>

namespace cairn::index {

batch_writer::batch_writer(archive::impl& archive, const index_options& options,
                           index_progress& progress, index_mode mode)
    : archive_(archive)
    , options_(options)
    , progress_(progress)
    , mode_(mode) {}

void batch_writer::push(std::string_view bytes, std::vector<envelope> sources,
                        std::optional<location> where) {
    item& it = items_.emplace_back();
    it.bytes.assign(bytes);
    it.sources = std::move(sources);
    it.where = where;
    bytes_ += bytes.size();
    ++progress_.messages;
    progress_.bytes += bytes.size();
    if (items_.size() >= options_.batch_messages || bytes_ >= options_.batch_bytes) {
        flush();
    }
}

void batch_writer::file_done(const std::string& path, std::int64_t mtime, std::uint64_t size) {
    files_.push_back({path, mtime, size});
    ++progress_.files;
}

void batch_writer::find_duplicates() {
    std::unordered_map<content_hash, message_key> seen; // within this batch: index + 1
    for (std::size_t i = 0; i < items_.size(); ++i) {
        item& it = items_[i];
        if (auto id = archive_.messages.find_hash(it.hash)) {
            it.existing = id;
        } else if (auto [pos, fresh] = seen.emplace(it.hash, static_cast<message_key>(i)); !fresh) {
            it.existing = -1 - pos->second; // resolved to an id once the first is catalogued
        }
    }
}

bool batch_writer::append_to_store() {
    segment_store& store = archive_.store;
    bool appended = false;
    for (item& it : items_) {
        if (it.where) {
            continue; // from the store, envelope records and all
        }
        if (!it.existing) {
            it.where = store.append(it.bytes, it.hash).where;
            appended = true;
        }
        for (const envelope& env : it.sources) {
            if (is_journaled(env)) {
                (void)store.append(encode_envelope_record({it.hash, env}), record_kind::envelope);
                appended = true;
            }
        }
    }
    return appended;
}

// Into flush()'s transaction: new messages, the places every message was
// found, and the files finished in this batch. It is not synced (catalog.hpp):
// after a power loss the store, synced before it, gives back all it held.
void batch_writer::catalogue(catalog::transaction& tx, std::vector<message_key>& added,
                             std::optional<store_position> appended_from) {
    catalog& cat = archive_.messages;
    for (item& it : items_) {
        if (it.existing) {
            continue;
        }
        auto inserted = cat.insert(*it.record, *it.where);
        it.id = inserted.id;
        added.push_back(it.id);
        rethreaded_.insert(rethreaded_.end(), inserted.rethreaded.begin(),
                           inserted.rethreaded.end());
        ++progress_.added;
        if (!it.record->defects.empty()) {
            ++progress_.defective;
        }
    }
    for (item& it : items_) {
        if (it.existing) {
            ++progress_.duplicates;
        }
        for (const envelope& env : it.sources) {
            cat.add_source(id_of(it), env);
        }
    }
    for (const file_state& f : files_) {
        cat.set_file_state(f.path, f.mtime, f.size);
    }
    // Only from where the catalog is complete: after a batch whose commit
    // failed, its records stay past catalogued_through for the next open.
    if (appended_from && cat.catalogued_through() == *appended_from) {
        cat.set_catalogued_through(archive_.store.end());
    }
    tx.commit();
}

message_key batch_writer::id_of(const item& it) const {
    if (!it.existing) {
        return it.id;
    }
    return *it.existing >= 0 ? *it.existing
                             : items_[static_cast<std::size_t>(-1 - *it.existing)].id;
}

// The records move to the archive's pending list; catch_up_index() writes
// them (with the threads as they are then) in one commit later.
void batch_writer::defer_index() {
    for (item& it : items_) {
        if (!it.existing) {
            archive_.pending.push_back({it.id, std::move(*it.record), it.sources});
        }
    }
    archive_.pending_rethreaded.insert(archive_.pending_rethreaded.end(), rethreaded_.begin(),
                                       rethreaded_.end());
}

// Documents for the new messages (with their threads as they are
// after the whole batch), and thread terms of older messages that a new one
// joined to another thread.
void batch_writer::index(const std::vector<message_key>& added) {
    catalog& cat = archive_.messages;
    fulltext& text = archive_.text;
    std::vector<document_source> documents;
    documents.reserve(added.size());
    std::vector<std::pair<message_key, thread_key>> rethreaded;
    {
        catalog::transaction reading(cat); // one WAL lock cycle for all the lookups
        for (item& it : items_) {
            if (!it.existing) {
                const auto row = cat.get(it.id);
                documents.push_back({it.id, &*it.record, row ? row->thread : 0, &it.sources});
            }
        }
        const message_key first_new = added.empty() ? 0 : added.front();
        for (message_key id : rethreaded_) {
            if (added.empty() || id < first_new) {
                if (const auto row = cat.get(id)) {
                    rethreaded.emplace_back(id, row->thread);
                }
            }
        }
        reading.commit();
    }
    // A thread per shard pays off for a catalog batch, not for a handful of
    // messages.
    constexpr std::size_t parallel_min_documents = 64;
    text.put_all(documents,
                 documents.size() >= parallel_min_documents ? worker_threads(options_.threads) : 1);
    for (const auto& [id, thread] : rethreaded) {
        text.set_thread(id, thread);
    }
    uncommitted_ += added.size() + rethreaded_.size();
    if (uncommitted_ >= options_.index_commit_documents) {
        commit_index();
    }
}

// Xapian merges each commit into its B-trees, so a commit costs about as much
// for 100 documents as for 10,000 once the index is large: commits are spaced
// by documents, not by catalog batches. indexed_through moves only here, so a
// crash before it makes the next open index the catalogued rest again.
void batch_writer::commit_index() {
    archive_.text.commit(worker_threads(options_.threads));
    uncommitted_ = 0;
    archive_.record_indexed_through(archive_.messages.max_id());
}

void batch_writer::finish() {
    flush();
    if (uncommitted_ > 0) {
        commit_index();
    }
}

std::vector<message_key> batch_writer::flush(std::vector<message_key>* keys) {
    std::vector<message_key> added;
    if (items_.empty() && files_.empty()) {
        return added;
    }
    if (mode_ == index_mode::now && !archive_.pending.empty()) {
        archive_.catch_up_index(); // indexed_through must not pass deferred documents
    }
    // Starting threads costs more than hashing and parsing a small batch
    // (an SMTP group commit of a few messages: 0.8 of its 2.7 ms went there).
    constexpr std::size_t parallel_min_bytes = 1u << 20;
    const unsigned threads = bytes_ < parallel_min_bytes ? 1u : worker_threads(options_.threads);
    parallel_for(items_.size(), threads,
                 [&](std::size_t i) { items_[i].hash = content_hash::of(items_[i].bytes); });
    // One transaction from the duplicate lookups to the inserts: SQLite takes
    // and drops its WAL locks (several fcntl calls) once per batch instead of
    // once per lookup. Nothing else writes the catalog meanwhile (the archive
    // has one writer), and readers are not held up by it (WAL).
    catalog::transaction tx(archive_.messages);
    find_duplicates();
    parallel_for(items_.size(), threads, [&](std::size_t i) {
        item& it = items_[i];
        if (!it.existing) {
            it.record = make_record(mime::parse(std::string_view(it.bytes)), it.hash);
        }
    });
    const store_position start = archive_.store.end();
    const bool appended = append_to_store();
    if (appended) {
        archive_.store.sync();
    }
    catalogue(tx, added, appended ? std::optional(start) : std::nullopt);
    if (keys != nullptr) {
        for (const item& it : items_) {
            keys->push_back(id_of(it));
        }
    }
    if (mode_ == index_mode::deferred) {
        defer_index();
    } else {
        index(added);
    }
    items_.clear();
    files_.clear();
    rethreaded_.clear();
    bytes_ = 0;
    if (options_.progress) {
        options_.progress(progress_);
    }
    return added;
}

} // namespace cairn::index
