#pragma once
// The one ingest path: messages are collected into a batch, then hashed and
// parsed in parallel, appended to the store and fsynced, catalogued in one
// SQLite transaction and indexed in one Xapian commit — in that order, which is
// what makes a crash at any point lose and duplicate nothing.

#include "ingest/archive_impl.hpp"

#include <indexer/record.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cairn::index {

class batch_writer {
public:
    batch_writer(archive::impl& archive, const index_options& options, index_progress& progress);

    /// Queues a message. `where` is set when the bytes are already in the store
    /// (reindex); otherwise they are appended at flush().
    void push(std::string_view bytes, std::vector<envelope> sources,
              std::optional<location> where = std::nullopt);
    /// Records that a file has been read completely; committed with the batch.
    void file_done(const std::string& path, std::int64_t mtime, std::uint64_t size);
    /// Writes everything queued. Returns the ids of the messages it added.
    std::vector<message_key> flush();

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
    void catalogue(std::vector<message_key>& added);
    void index(const std::vector<message_key>& added);

    archive::impl& archive_;
    const index_options& options_;
    index_progress& progress_;
    std::vector<item> items_;
    std::vector<file_state> files_;
    std::vector<message_key> rethreaded_;
    std::size_t bytes_ = 0;
};

} // namespace cairn::index
