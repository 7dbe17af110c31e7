// Cataloguing what the store holds past the catalog's catalogued_through: the
// records of a batch whose catalog commit never happened (a crash between the
// store sync and the commit, a commit that failed) or was lost (a power loss:
// the catalog's commits are not synced, the store's appends are).

#include "ingest/archive_impl.hpp"
#include "ingest/batch_writer.hpp"

#include <indexer/envelope_record.hpp>

#include <unordered_map>

namespace cairn::index {

void archive::impl::catalogue_store_tail() {
    const store_position from = messages.catalogued_through();
    const store_position end = store.end();
    if (from == end) {
        return;
    }
    std::vector<stored_record> tail;
    store.for_each([&](const stored_record& r) { tail.push_back(r); }, from);

    std::unordered_map<content_hash, std::vector<envelope>> delivered; // message → envelopes
    for (const stored_record& r : tail) {
        if (r.kind == record_kind::envelope) {
            // The record's checksums and SHA-256 held, so bytes that do not
            // decode come from a newer cairn: left for it, not guessed at.
            if (auto decoded = decode_envelope_record(store.read(r.where))) {
                delivered[decoded->message].push_back(std::move(decoded->env));
            }
        }
    }
    // Deliveries of messages catalogued before come first, in their own
    // transaction: should the rest fail, they are redone (add_source is
    // idempotent) rather than lost.
    {
        catalog::transaction tx(messages);
        for (auto it = delivered.begin(); it != delivered.end();) {
            if (const auto id = messages.find_hash(it->first)) {
                for (const envelope& env : it->second) {
                    messages.add_source(*id, env);
                }
                it = delivered.erase(it);
            } else {
                ++it;
            }
        }
        tx.commit();
    }
    index_options options;
    index_progress progress;
    batch_writer batch(*this, options, progress);
    for (const stored_record& r : tail) {
        if (r.kind != record_kind::message || messages.find_hash(r.hash)) {
            continue;
        }
        std::vector<envelope> sources;
        if (auto found = delivered.find(r.hash); found != delivered.end()) {
            sources = std::move(found->second); // a second copy of the bytes gets none
        }
        batch.push(store.read(r.where), std::move(sources), r.where);
    }
    batch.finish();

    catalog::transaction tx(messages);
    messages.set_catalogued_through(end);
    tx.commit();
}

} // namespace cairn::index
