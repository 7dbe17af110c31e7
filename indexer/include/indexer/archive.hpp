#pragma once
// An archive folder and everything done with it: `catalog.db` (SQLite),
// `index/` (Xapian) and `store/` (raw messages). The raw bytes in the store are
// the truth; catalog and index can be rebuilt from them (reindex()).
//
// Crash safety (docs/design.md): a batch is written store → fsync → catalog
// commit → index commit. On opening for writing, records the store holds past
// the catalog's catalogued_through (a crash before the catalog commit, or a
// power loss that took it: catalog commits are not synced) are catalogued, and
// messages in the catalog but not yet in the index are indexed; files are
// marked as read only in the catalog transaction that holds their messages.
// So killing ingest at any moment loses nothing (the store or the source has
// it) and duplicates nothing (the catalog knows every hash). A delivery has no
// source to read again, so its envelope goes into the store too
// (envelope_record.hpp).
//
// Thread-safety: an archive object is used from one thread (ingest parallelises
// parsing inside index()). Any number of read-only archives may be open while
// one writer works (SQLite WAL, Xapian's reader/writer model).

#include <indexer/catalog.hpp>
#include <indexer/envelope.hpp>
#include <indexer/fulltext.hpp>
#include <indexer/store.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::index {

/// The folder is not an archive (or not a usable one).
class archive_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct index_progress {
    std::uint64_t files = 0;           ///< files read
    std::uint64_t unchanged_files = 0; ///< files skipped as unchanged since the last run
    std::uint64_t messages = 0;        ///< messages found
    std::uint64_t added = 0;           ///< new messages archived
    std::uint64_t duplicates = 0; ///< messages already in the archive (a new source is recorded)
    std::uint64_t defective = 0;  ///< added messages with at least one defect
    std::uint64_t skipped = 0;    ///< files that are not mail or could not be read
    std::uint64_t bytes = 0;      ///< raw bytes of the messages found
    double seconds = 0;
};

struct skipped_file {
    std::string path;
    std::string reason;
};

struct index_report {
    index_progress totals;
    std::vector<skipped_file> skipped;
};

struct index_options {
    std::size_t batch_messages = 1000;   ///< one catalog transaction + one index commit per batch
    std::size_t batch_bytes = 64u << 20; ///< … or per this many raw bytes
    /// Full-text commits at most every this many documents (and at the end);
    /// a crash in between re-indexes the catalogued rest on the next open.
    std::size_t index_commit_documents = 4000;
    unsigned threads = 0; ///< parser and index-shard threads; 0 = one per core
    std::function<void(const index_progress&)> progress; ///< called now and then, and at the end
    /// Compact the full-text index after a run that added a large share of it
    /// (an import): a third of the size, faster queries, a few seconds more.
    bool compact = true;
};

/// One message for archive::deliver(): the raw bytes (viewed, not copied,
/// until deliver() returns) and where they came from.
struct delivery {
    std::string_view raw;
    envelope env;
};

struct delivery_result {
    message_key id = 0;     ///< the message's catalog id
    bool duplicate = false; ///< the same bytes were already archived
};

class index_work;

struct check_report {
    std::uint64_t store_records = 0;
    std::uint64_t messages = 0;
    std::uint64_t documents = 0;
    std::vector<std::string> problems; ///< one line each; empty when all is well
};

class archive {
public:
    /// $CAIRN_ARCHIVE, else $XDG_DATA_HOME/cairn, else ~/.local/share/cairn.
    [[nodiscard]] static std::filesystem::path default_dir();
    /// Creates the archive folder (or opens it if it already is one).
    [[nodiscard]] static archive init(const std::filesystem::path& dir);
    /// Opens an existing archive; throws archive_error when `dir` is not one.
    [[nodiscard]] static archive open(const std::filesystem::path& dir, bool writable);
    ~archive();
    archive(archive&&) noexcept;
    archive& operator=(archive&&) noexcept;

    /// Reads every message under `paths` (files, maildirs, mboxes, folders) into
    /// the archive. Incremental: unchanged files are not read again.
    index_report index(const std::vector<std::filesystem::path>& paths,
                       const index_options& options = {});

    /// Archives one message (SMTP/LMTP delivery). Durable and catalogued when it
    /// returns; indexed too.
    message_key add(std::string_view raw, const envelope& env);

    /// Group commit (SMTP/LMTP): appends every message and an envelope record
    /// per delivery to the store, makes them durable with ONE store fsync,
    /// catalogues them in ONE catalog transaction, and returns one result per
    /// message, in order. When it returns, the messages are durable and
    /// catalogued — a 250 may be given. The catalog commit is not synced: a
    /// power loss may take it, and the next open catalogues the messages and
    /// their envelopes again from the store. Full-text indexing is
    /// deferred to index_pending() (or the next open for writing, after a
    /// crash), so the caller decides when to pay for the Xapian commit.
    /// A message already archived (or twice in the group) is not stored again:
    /// its result is the existing id with `duplicate` set, and the envelope is
    /// still recorded as a new source — give each delivery a distinct
    /// envelope.path (the SMTP queue id) so that it is not merged with an
    /// earlier one. Throws (io_error, catalog errors) when nothing could be
    /// made durable; then no message of the group is catalogued.
    std::vector<delivery_result> deliver(std::span<const delivery> messages);

    /// Writes the full-text documents deferred by deliver(): one Xapian
    /// commit, then the catalog's indexed_through moves past them. The same as
    /// take_index_work(), write_index_work(), finish_index_work().
    void index_pending();

    /// deliver() left documents for index_pending().
    [[nodiscard]] bool index_is_pending() const noexcept;

    /// index_pending() in three steps, so that the Xapian work can run on
    /// another thread while this one goes on delivering (cairn serve):
    /// takes the deferred documents, with their threads as the catalog has
    /// them now. One piece of work at a time: finish or return one before
    /// taking the next.
    [[nodiscard]] index_work take_index_work();
    /// Puts the documents into the full-text index and commits. The one call
    /// that may run on another thread concurrently with deliver(),
    /// take_index_work() and finish_index_work(): it touches nothing but the
    /// full-text index. When it throws, return_index_work().
    void write_index_work(index_work& work);
    /// Records in the catalog that the written work is committed.
    void finish_index_work(const index_work& work);
    /// Gives back work whose write failed: the next take_index_work() has it
    /// again (and so does the next open for writing, after a crash).
    void return_index_work(index_work&& work);

    /// Rebuilds catalog and full-text index from the store (sources are kept).
    index_report reindex(const index_options& options = {});

    /// Rewrites the full-text index with full blocks and swaps it in
    /// (crash-safe: an interrupted swap is finished on the next open), one
    /// shard to a thread on up to `threads` threads (0: one per core).
    void compact_index(unsigned threads = 0);

    /// Verifies store hashes and catalog/index agreement.
    [[nodiscard]] check_report check();

    /// "42" (catalog id), "id:MESSAGE-ID" or "id:<MESSAGE-ID>", or a bare Message-ID.
    [[nodiscard]] std::optional<message_key> resolve(std::string_view reference) const;
    /// The original bytes of a message.
    [[nodiscard]] std::string raw(message_key id) const;

    [[nodiscard]] const std::filesystem::path& dir() const noexcept;
    [[nodiscard]] catalog& messages() noexcept;
    [[nodiscard]] fulltext& text() noexcept;
    [[nodiscard]] segment_store& store() noexcept;

    struct impl; ///< internal: shared by the ingest implementation files

private:
    explicit archive(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

/// Full-text work taken out of an archive by archive::take_index_work().
class index_work {
public:
    index_work();
    ~index_work();
    index_work(index_work&&) noexcept;
    index_work& operator=(index_work&&) noexcept;

    /// Documents to put plus older documents whose thread changed.
    [[nodiscard]] std::size_t size() const noexcept;

    struct contents; ///< internal (ingest/archive_impl.hpp)

private:
    friend class archive;
    friend struct archive::impl;
    std::unique_ptr<contents> contents_;
};

} // namespace cairn::index
