// Full-text indexing of catalogued messages, in three steps so that the Xapian
// work can run on its own thread (cairn serve) while the archive thread goes
// on storing and cataloguing: take (catalog and store reads), write (Xapian
// only), finish (catalog: indexed_through).

#include "ingest/archive_impl.hpp"

#include <mime/message.hpp>

#include <algorithm>
#include <iterator>

namespace cairn::index {

index_work::index_work()
    : contents_(std::make_unique<contents>()) {}

index_work::~index_work() = default;
index_work::index_work(index_work&&) noexcept = default;
index_work& index_work::operator=(index_work&&) noexcept = default;

std::size_t index_work::size() const noexcept {
    return contents_->documents.size() + contents_->rethreaded.size();
}

index_work archive::impl::take_index_work() {
    index_work work;
    index_work::contents& c = *work.contents_;
    // The reads below in one transaction: SQLite's WAL locks once, not per row.
    catalog::transaction reading(messages);
    const message_key done = messages.indexed_through();
    const message_key last = std::max(messages.max_id(), done);
    c.through = last;
    // Records kept from deliver() move into the work only once every read
    // that can throw is done, so a failed take leaves `pending` whole.
    std::vector<std::pair<std::size_t, pending_document*>> kept; // document index, source
    auto cached = pending.begin();                               // in id order, like the loop
    for (message_key id = done + 1; id <= last; ++id) {
        while (cached != pending.end() && cached->id < id) {
            ++cached;
        }
        const auto row = messages.get(id);
        if (!row) {
            continue;
        }
        if (cached != pending.end() && cached->id == id) {
            kept.emplace_back(c.documents.size(), &*cached);
            c.documents.push_back({{id, {}, {}}, row->thread});
            continue;
        }
        const std::string raw = store.read(row->where);
        c.documents.push_back(
            {{id, make_record(mime::parse(std::string_view(raw)), row->hash), messages.sources(id)},
             row->thread});
    }
    for (message_key id : pending_rethreaded) {
        if (id <= done) {
            if (const auto row = messages.get(id)) {
                c.rethreaded.emplace_back(id, row->thread);
            }
        }
    }
    reading.commit();
    for (auto [index, source] : kept) {
        c.documents[index].parsed = std::move(*source);
    }
    pending.clear();
    pending_rethreaded.clear();
    return work;
}

void archive::impl::write_index_work(index_work& work) {
    index_work::contents& c = *work.contents_;
    if (c.documents.empty() && c.rethreaded.empty()) {
        return;
    }
    for (const auto& doc : c.documents) {
        text.put(doc.parsed.id, doc.parsed.record, doc.thread, doc.parsed.sources);
    }
    for (const auto& [id, thread] : c.rethreaded) {
        text.set_thread(id, thread);
    }
    text.commit();
    c.documents = {}; // the parsed records are large; only `through` is needed now
    c.rethreaded = {};
}

void archive::impl::finish_index_work(const index_work& work) {
    record_indexed_through(work.contents_->through);
}

void archive::impl::record_indexed_through(message_key through) {
    if (through > messages.indexed_through()) {
        catalog::transaction tx(messages);
        messages.set_indexed_through(through);
        tx.commit();
    }
}

// The documents go back in front of any pending since (they are older), so
// the next take_index_work() writes them again.
void archive::impl::return_index_work(index_work&& work) {
    index_work::contents& c = *work.contents_;
    std::vector<pending_document> returned;
    returned.reserve(c.documents.size() + pending.size());
    for (auto& doc : c.documents) {
        returned.push_back(std::move(doc.parsed));
    }
    std::move(pending.begin(), pending.end(), std::back_inserter(returned));
    pending = std::move(returned);
    for (const auto& [id, thread] : c.rethreaded) {
        pending_rethreaded.push_back(id);
    }
}

void archive::impl::catch_up_index() {
    index_work work = take_index_work();
    try {
        write_index_work(work);
    } catch (...) {
        return_index_work(std::move(work));
        throw;
    }
    finish_index_work(work);
}

index_work archive::take_index_work() {
    return impl_->take_index_work();
}

void archive::write_index_work(index_work& work) {
    impl_->write_index_work(work);
}

void archive::finish_index_work(const index_work& work) {
    impl_->finish_index_work(work);
}

void archive::return_index_work(index_work&& work) {
    impl_->return_index_work(std::move(work));
}

} // namespace cairn::index
