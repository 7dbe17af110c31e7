#pragma once
// The catalog: SQLite (WAL) tables describing every archived message — the
// authority on identity (hash → message), threads, recipients, attachments,
// sources and defects. The schema and its migrations are documented at the top
// of src/catalog/schema.cpp.
//
// Ownership and threads: one catalog object per connection. Not thread-safe; the
// ingest pipeline writes from one thread, readers open their own catalog.
// Errors: SQLite failures are thrown as io_error with the database path and the
// SQLite message; "not found" is an empty optional.

#include <indexer/content_hash.hpp>
#include <indexer/envelope.hpp>
#include <indexer/record.hpp>
#include <indexer/store.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::index {

/// A message's catalog id. It is also its Xapian document id (so it is > 0).
using message_key = std::int64_t;
using thread_key = std::int64_t;

/// What the catalog knows of one message (the "row" printed by search).
struct message_row {
    message_key id = 0;
    content_hash hash;
    location where;
    std::uint64_t size = 0;
    std::string message_id;
    std::optional<std::int64_t> date;
    int date_offset_minutes = 0;
    std::string subject;
    address_entry from;
    std::string in_reply_to;
    thread_key thread = 0;
    std::int64_t added_at = 0; ///< unix seconds when archived
};

enum class recipient_kind : std::uint8_t { to, cc, bcc, reply_to };

struct catalog_stats {
    std::uint64_t messages = 0;
    std::uint64_t raw_bytes = 0;
    std::uint64_t attachments = 0;
    std::uint64_t threads = 0;
    std::optional<std::int64_t> first_date, last_date;
    std::vector<std::pair<std::string, std::uint64_t>> top_senders; ///< address, count
};

class catalog {
public:
    /// Opens (creating and migrating as needed) the database file. WAL mode,
    /// foreign keys on, synchronous=NORMAL: a commit survives a crash of the
    /// process, and a power loss may drop the last commits. That is enough
    /// because the store is the authority: every record it holds past
    /// catalogued_through() is catalogued again on the next writable open
    /// (archive.hpp), envelopes of deliveries included.
    [[nodiscard]] static catalog open(const std::filesystem::path& db_file);
    ~catalog();
    catalog(catalog&&) noexcept;
    catalog& operator=(catalog&&) noexcept;

    /// From now on the write-ahead log is copied back into the database by a
    /// thread of the catalog's own once it holds background_checkpoint_pages,
    /// not inside the commit that fills it, so that no commit waits for a
    /// checkpoint (for `cairn serve`, whose commits have sessions waiting on
    /// them). Call from the writer's thread; a second call does nothing.
    void checkpoint_in_background();
    static constexpr int background_checkpoint_pages = 16000; ///< 64 MiB of 4 KiB pages

    /// RAII transaction: commits on commit(), rolls back if destroyed without it.
    class transaction {
    public:
        explicit transaction(catalog& c);
        ~transaction();
        transaction(const transaction&) = delete;
        transaction& operator=(const transaction&) = delete;
        void commit();

    private:
        catalog* catalog_;
        bool done_ = false;
    };

    // --- writing (inside a transaction) ---
    struct insert_result {
        message_key id = 0;
        thread_key thread = 0;
        /// Messages whose thread changed because this message joined two threads
        /// (the full-text index must update them).
        std::vector<message_key> rethreaded;
    };

    /// Inserts a new message (the caller has checked find_hash). Assigns its
    /// thread: messages connected through Message-ID / In-Reply-To / References
    /// share a thread whatever order they arrive in (ids seen only as references
    /// are remembered, so a parent arriving later joins its children).
    insert_result insert(const message_record& record, const location& where);
    /// Records one place the message was found (several are allowed; the same
    /// path twice is stored once).
    void add_source(message_key id, const envelope& env);
    /// Remembers a scanned file's state, for incremental rescans.
    void set_file_state(const std::string& path, std::int64_t mtime, std::uint64_t size);
    /// Highest message id whose full-text document is committed.
    void set_indexed_through(message_key id);
    /// Every store record before `end` is catalogued (messages and the
    /// sources their envelope records name).
    void set_catalogued_through(store_position end);
    /// Deletes every message row (for reindex) and with it catalogued_through;
    /// keeps the schema.
    void clear_messages();

    // --- reading ---
    [[nodiscard]] std::optional<message_key> find_hash(const content_hash& hash) const;
    [[nodiscard]] std::optional<message_key> find_message_id(std::string_view message_id) const;
    [[nodiscard]] std::optional<message_row> get(message_key id) const;
    [[nodiscard]] std::vector<message_row> thread_messages(thread_key thread) const; ///< by date
    [[nodiscard]] std::vector<std::string> references(message_key id) const;
    [[nodiscard]] std::vector<address_entry> recipients(message_key id, recipient_kind kind) const;
    [[nodiscard]] std::vector<attachment_entry> attachments(message_key id) const;
    [[nodiscard]] std::vector<envelope> sources(message_key id) const;
    [[nodiscard]] std::vector<std::string> defects(message_key id) const;
    /// The last (mtime, size) recorded for a file path.
    [[nodiscard]] std::optional<std::pair<std::int64_t, std::uint64_t>>
    file_state(const std::string& path) const;
    [[nodiscard]] message_key indexed_through() const;
    /// {} (the store's start) when never set.
    [[nodiscard]] store_position catalogued_through() const;
    [[nodiscard]] message_key max_id() const;
    [[nodiscard]] catalog_stats stats(std::size_t top_senders = 10) const;
    /// Calls fn for every message in id order.
    void for_each(const std::function<void(const message_row&)>& fn) const;

private:
    struct impl;
    explicit catalog(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

} // namespace cairn::index
