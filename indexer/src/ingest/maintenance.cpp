// reindex (rebuild catalog and index from the store) and check (verify that the
// store, catalog and index agree).

#include "ingest/archive_impl.hpp"
#include "ingest/batch_writer.hpp"

#include <indexer/error.hpp>

#include <chrono>
#include <unordered_map>
#include <unordered_set>

namespace cairn::index {

index_report archive::reindex(const index_options& options) {
    const auto start = std::chrono::steady_clock::now();
    impl& a = *impl_;
    // Where messages were found is not in the store: keep it across the rebuild.
    std::unordered_map<content_hash, std::vector<envelope>> sources;
    a.messages.for_each(
        [&](const message_row& row) { sources[row.hash] = a.messages.sources(row.id); });
    {
        catalog::transaction tx(a.messages);
        a.messages.clear_messages();
        tx.commit();
    }
    a.text.clear();
    a.text.commit();

    std::vector<std::pair<location, content_hash>> records;
    a.store.for_each([&](const stored_record& r) {
        if (r.kind == record_kind::message) {
            records.emplace_back(r.where, r.hash);
        }
    });
    index_report report;
    batch_writer batch(a, options, report.totals);
    std::unordered_set<content_hash> seen;
    for (const auto& [where, hash] : records) {
        if (!seen.insert(hash).second) {
            continue; // stored twice (a crash before the catalog commit): one row
        }
        auto found = sources.find(hash);
        batch.push(a.store.read(where),
                   found != sources.end() ? std::move(found->second) : std::vector<envelope>{},
                   where);
    }
    batch.finish();
    {
        // clear_messages() forgot it: an interrupted reindex is finished by the
        // next open (catalogue_store_tail), with the envelopes of deliveries.
        catalog::transaction tx(a.messages);
        a.messages.set_catalogued_through(a.store.end());
        tx.commit();
    }
    if (options.compact && worth_compacting(report.totals.added, a.text.document_count())) {
        compact_index(options.threads);
    }
    report.totals.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

check_report archive::check() {
    impl& a = *impl_;
    check_report report;
    std::unordered_set<content_hash> stored;
    std::vector<location> locations; // every record, envelope records too
    a.store.for_each([&](const stored_record& r) {
        if (r.kind == record_kind::message) {
            stored.insert(r.hash);
        }
        locations.push_back(r.where);
    });
    report.store_records = locations.size();
    for (const location& where : locations) {
        try {
            (void)a.store.read(where); // verifies the frame checksum and the SHA-256
        } catch (const io_error& e) {
            report.problems.push_back(std::string("store: ") + e.what());
        }
    }
    a.messages.for_each([&](const message_row& row) {
        ++report.messages;
        if (!stored.contains(row.hash)) {
            report.problems.push_back("catalog: message " + std::to_string(row.id) +
                                      " has no bytes in the store");
        }
    });
    report.documents = a.text.document_count();
    if (report.documents != report.messages) {
        report.problems.push_back("index: " + std::to_string(report.documents) + " documents for " +
                                  std::to_string(report.messages) +
                                  " messages (run `cairn reindex`)");
    }
    if (a.messages.indexed_through() < a.messages.max_id()) {
        report.problems.push_back("index: messages after " +
                                  std::to_string(a.messages.indexed_through()) +
                                  " are not indexed yet (open the archive for writing)");
    }
    return report;
}

} // namespace cairn::index
