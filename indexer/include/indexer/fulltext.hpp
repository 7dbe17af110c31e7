#pragma once
// The full-text index: Xapian, one document per message, document id = catalog
// id. The term/prefix/value schema lives in fields.hpp (a constexpr table,
// documented there) and is compatible with notmuch and mu where they overlap.
// A new index is split into shards (Xapian databases searched as one) so that
// ingest writes them on several cores; src/fulltext/shard_layout.hpp has the
// layout and how catalog ids map to shards.
//
// Thread-safety: one writer object (ingest) or any number of read-only objects,
// each used from one thread (put_all, commit and compact_to start threads of
// their own when asked to). Xapian errors are translated to io_error (with the
// index path) or query_error (bad query syntax, with the position if known).

#include <indexer/catalog.hpp>
#include <indexer/record.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace cairn::index {

/// A query that cannot be understood: a date: or size: value outside the
/// grammar (fields.hpp), or syntax Xapian's parser rejects. An unknown prefix
/// is not an error: "foo:bar" searches for the words, as in Xapian and notmuch.
class query_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class sort_order : std::uint8_t { newest_first, oldest_first, relevance };

struct search_options {
    sort_order sort = sort_order::newest_first;
    std::uint64_t offset = 0;
    std::uint64_t limit = 50;
    std::int64_t now = 0; ///< unix seconds for relative dates (date:7d..); 0 = the clock
};

struct search_hits {
    std::vector<message_key> ids;
    std::uint64_t total = 0; ///< matches in all (exact for counts, else Xapian's estimate)
};

/// One document for fulltext::put_all: what put() takes, by pointer.
struct document_source {
    message_key id = 0;
    const message_record* record = nullptr;
    thread_key thread = 0;
    const std::vector<envelope>* sources = nullptr;
};

class fulltext {
public:
    [[nodiscard]] static fulltext open_writable(const std::filesystem::path& dir);
    [[nodiscard]] static fulltext open_readonly(const std::filesystem::path& dir);
    ~fulltext();
    fulltext(fulltext&&) noexcept;
    fulltext& operator=(fulltext&&) noexcept;

    /// put, set_thread, remove and commit need a writable object (std::logic_error
    /// otherwise); ids must be 1 .. 2^32-1, Xapian's docid range (std::out_of_range).
    ///
    /// Adds or replaces the document of message `id`. `folders` and `paths` are
    /// where it was found (folder:, path: prefixes); `thread` its thread.
    void put(message_key id, const message_record& record, thread_key thread,
             const std::vector<envelope>& sources);
    /// put() for each document, the shards written side by side on up to
    /// `threads` threads (the caller's included). The first failure is
    /// rethrown once every shard's thread has stopped.
    void put_all(std::span<const document_source> documents, unsigned threads = 1);
    /// Changes the thread term of an existing document; does nothing when `id`
    /// is not indexed (put() will write the right thread later).
    void set_thread(message_key id, thread_key thread);
    /// Removes a document; removing an absent one is not an error.
    void remove(message_key id);
    /// Removes every document (reindex starts from an empty index).
    void clear();
    /// Makes everything put so far durable (a Xapian commit per shard, on up to
    /// `threads` threads). Destroying a writer also commits (Xapian's
    /// behaviour) but swallows any failure, so call commit() to learn of one.
    /// Shards commit one after another: after a crash between two, the next
    /// open writes the catalogued documents past indexed_through again.
    void commit(unsigned threads = 1);
    /// Commits, then writes a compacted copy of the index to `out` (a folder that
    /// must not exist): full B-tree blocks, document ids kept. Batches appended
    /// one commit at a time leave Xapian's tables half empty (the position
    /// table is keyed by term first, so every batch splits blocks all over it);
    /// the copy is typically a third of the size and faster to search. Shards
    /// are compacted one to a thread, up to `threads`.
    void compact_to(const std::filesystem::path& out, unsigned threads = 1);

    [[nodiscard]] search_hits search(std::string_view query, const search_options& options) const;
    [[nodiscard]] std::uint64_t count(std::string_view query) const;
    [[nodiscard]] std::uint64_t document_count() const;
    [[nodiscard]] message_key last_document() const;
    [[nodiscard]] std::size_t shard_count() const;

private:
    struct impl;
    explicit fulltext(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace cairn::index
