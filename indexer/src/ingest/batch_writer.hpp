#pragma once
// The one ingest path: messages are collected into a batch, then hashed and
// parsed in parallel, appended to the store (with an envelope record for each
// delivery) and fsynced, catalogued in one SQLite transaction and indexed — in
// that order, which is what makes a crash at any point lose and duplicate
// nothing: what the store holds past the catalog's catalogued_through is
// catalogued again on the next open. Xapian commits come every
// index_commit_documents documents and at finish().
//
// index_mode::deferred stops after the catalog commit: the parsed records wait
// in archive::impl::pending for catch_up_index() (SMTP group commit: the 250 is
// owed after the catalog commit, the Xapian commit can follow a moment later).

#include "ingest/archive_impl.hpp"

#include <indexer/record.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cairn::index {

enum class index_mode : std::uint8_t {
    now,      ///< indexed right after the catalog commit (Xapian commits spaced, see finish())
    deferred, ///< documents wait for archive::impl::catch_up_index()
};

class batch_writer {
public:
    batch_writer(archive::impl& archive, const index_options& options, index_progress& progress,
                 index_mode mode = index_mode::now);

    /// Queues a message. `where` is set when the bytes are already in the store
    /// (reindex, catalogue_store_tail) and so are the envelope records of its
    /// sources; otherwise both are appended at flush().
    void push(std::string_view bytes, std::vector<envelope> sources,
              std::optional<location> where = std::nullopt);
    /// Records that a file has been read completely; committed with the batch.
    void file_done(const std::string& path, std::int64_t mtime, std::uint64_t size);
    /// Writes everything queued. Returns the ids of the messages it added;
    /// `keys`, when given, receives one id per pushed message in push order
    /// (the existing message's id for a duplicate).
    std::vector<message_key> flush(std::vector<message_key>* keys = nullptr);
    /// Flushes, then commits the full-text index if documents are waiting
    /// (index_mode::now commits every index_options::index_commit_documents).
    void finish();

private:
    struct item {
        std::string bytes;
        std::vector<envelope> sources;
        std::optional<location> where;
        content_hash hash;
        std::optional<message_key> existing; // already archived (or earlier in this batch)
        std::optional<message_record> record;
        message_key id = 0;
    };

    struct file_state {
        std::string path;
        std::int64_t mtime;
        std::uint64_t size;
    };

    void find_duplicates();
    /// Appends what the store lacks; returns whether anything was appended.
    bool append_to_store();
    void catalogue(catalog::transaction& tx, std::vector<message_key>& added,
                   std::optional<store_position> appended_from);
    void index(const std::vector<message_key>& added);
    void defer_index();
    void commit_index();
    [[nodiscard]] message_key id_of(const item& it) const;

    archive::impl& archive_;
    const index_options& options_;
    index_progress& progress_;
    index_mode mode_;
    std::vector<item> items_;
    std::vector<file_state> files_;
    std::vector<message_key> rethreaded_;
    std::size_t bytes_ = 0;
    std::size_t uncommitted_ = 0; // documents put or changed since the last Xapian commit
};

} // namespace cairn::index
