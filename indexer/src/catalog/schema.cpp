// The catalog schema (catalog.db, SQLite in WAL mode) and its migrations.
//
// The raw bytes in the store are the truth; everything here can be rebuilt
// from them (`cairn reindex`). Times are unix seconds (UTC). Text is UTF-8.
// Child rows keep their order in a `position` column (0, 1, …), so a message
// reads back exactly as it was recorded.
//
// messages — one row per archived message (identical bytes are one message)
//   id             INTEGER PRIMARY KEY  catalog id; also the Xapian document id (> 0)
//   hash           BLOB UNIQUE          SHA-256 of the raw bytes (32 bytes): identity, dedup
//   segment        INTEGER              store location: segment number (seg-NNNNNN.czs) …
//   offset         INTEGER              … byte offset of the record header in it …
//   raw_length     INTEGER              … length of the message …
//   stored_length  INTEGER              … length of its zstd frame
//   size           INTEGER              raw bytes (what `size:` searches)
//   message_id     TEXT NULL            Message-ID without brackets; NULL when there is none
//   date           INTEGER NULL         Date header as unix seconds; NULL when absent or unreadable
//   date_offset    INTEGER              the sender's UTC offset in minutes, for display
//   subject        TEXT                 decoded Subject ('' when none)
//   from_name      TEXT                 first From mailbox: decoded display name …
//   from_address   TEXT                 … and addr-spec as written
//   in_reply_to    TEXT                 first In-Reply-To id without brackets ('' when none)
//   thread         INTEGER              thread key (see thread_ids)
//   added_at       INTEGER              when the message was archived
//   indexes: hash (UNIQUE), message_id, (thread, date), date, from_address NOCASE
//
// recipients — To, Cc, Bcc and Reply-To mailboxes
//   message INTEGER → messages.id, kind INTEGER (0 to, 1 cc, 2 bcc, 3 reply_to:
//   recipient_kind), position INTEGER (order within the kind), name TEXT (decoded),
//   address TEXT (as written); key (message, kind, position); index address NOCASE
//
// attachments — parts a reader would call attachments
//   message → messages.id, position (order in the record), part (part id in the
//   parsed message), filename (decoded, '' when none), mime_type (lowercase
//   type/subtype), disposition ('attachment', 'inline' or ''), size (decoded
//   bytes), sha256 (hex of the decoded bytes); key (message, position)
//
// message_references — the References ids, without brackets
//   message → messages.id, position, ref_id TEXT; key (message, position)
//
// sources — every place a message was found (one message, many sources)
//   id INTEGER PRIMARY KEY (insertion order), message → messages.id,
//   kind INTEGER (source_kind: 0 file, 1 maildir, 2 mbox, 3 smtp, 4 lmtp),
//   path TEXT ('' for SMTP/LMTP), offset INTEGER (mbox byte offset, else 0),
//   folder TEXT, flags TEXT (maildir flags), mtime INTEGER, file_size INTEGER,
//   SMTP/LMTP envelope: client_address TEXT, helo TEXT, mail_from TEXT,
//   rcpt_to TEXT (the recipients joined by '\n'), tls INTEGER (0/1), received_at INTEGER;
//   UNIQUE (message, kind, path, offset): seeing the same file again adds nothing
//   (its folder, flags, mtime and size are refreshed)
//
// defects — what the parser repaired or found broken
//   message → messages.id, position, name TEXT (mime::defect name); key (message, position)
//
// files — the state of every scanned file, for incremental rescans
//   path TEXT PRIMARY KEY, mtime INTEGER, size INTEGER
//
// thread_ids — every Message-ID seen (as a message's own id, its In-Reply-To or
// a References entry) and the thread it belongs to. A message joins the
// threads of all its ids, merging them; ids seen only as references are kept,
// so a parent arriving after its children joins them. Grouping is therefore
// independent of arrival order.
//   message_id TEXT PRIMARY KEY, thread INTEGER; index thread
//
// meta — catalog-wide values
//   key TEXT PRIMARY KEY, value; keys: 'indexed_through' (highest message id whose
//   full-text document is committed), 'catalogued_segment' and
//   'catalogued_offset' (the store position before which every record is
//   catalogued; absent: the store's start)
//
// Versions (PRAGMA user_version): 0 is an empty file, 1 creates all of the
// above. A change to the schema is one more function in `migrations` below;
// each runs in its own transaction with the version bump, so a crash leaves
// the catalog at the old or the new version, never between.

#include "catalog/schema.hpp"

#include "catalog/connection.hpp"

#include <indexer/error.hpp>

#include <array>
#include <string>

namespace cairn::index::catalog_detail {

namespace {

void create_version_1(connection& db) {
    db.exec(R"sql(
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value
) WITHOUT ROWID;

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    hash          BLOB    NOT NULL UNIQUE,
    segment       INTEGER NOT NULL,
    offset        INTEGER NOT NULL,
    raw_length    INTEGER NOT NULL,
    stored_length INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    message_id    TEXT,
    date          INTEGER,
    date_offset   INTEGER NOT NULL DEFAULT 0,
    subject       TEXT    NOT NULL DEFAULT '',
    from_name     TEXT    NOT NULL DEFAULT '',
    from_address  TEXT    NOT NULL DEFAULT '',
    in_reply_to   TEXT    NOT NULL DEFAULT '',
    thread        INTEGER NOT NULL,
    added_at      INTEGER NOT NULL
);
CREATE INDEX messages_message_id ON messages (message_id);
CREATE INDEX messages_thread ON messages (thread, date);
CREATE INDEX messages_date ON messages (date);
CREATE INDEX messages_from ON messages (from_address COLLATE NOCASE);

CREATE TABLE recipients (
    message  INTEGER NOT NULL REFERENCES messages (id),
    kind     INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    address  TEXT    NOT NULL,
    PRIMARY KEY (message, kind, position)
) WITHOUT ROWID;
CREATE INDEX recipients_address ON recipients (address COLLATE NOCASE);

CREATE TABLE attachments (
    message     INTEGER NOT NULL REFERENCES messages (id),
    position    INTEGER NOT NULL,
    part        INTEGER NOT NULL,
    filename    TEXT    NOT NULL,
    mime_type   TEXT    NOT NULL,
    disposition TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    PRIMARY KEY (message, position)
) WITHOUT ROWID;

CREATE TABLE message_references (
    message  INTEGER NOT NULL REFERENCES messages (id),
    position INTEGER NOT NULL,
    ref_id   TEXT    NOT NULL,
    PRIMARY KEY (message, position)
) WITHOUT ROWID;

CREATE TABLE sources (
    id             INTEGER PRIMARY KEY,
    message        INTEGER NOT NULL REFERENCES messages (id),
    kind           INTEGER NOT NULL,
    path           TEXT    NOT NULL,
    offset         INTEGER NOT NULL,
    folder         TEXT    NOT NULL,
    flags          TEXT    NOT NULL,
    mtime          INTEGER NOT NULL,
    file_size      INTEGER NOT NULL,
    client_address TEXT    NOT NULL,
    helo           TEXT    NOT NULL,
    mail_from      TEXT    NOT NULL,
    rcpt_to        TEXT    NOT NULL,
    tls            INTEGER NOT NULL,
    received_at    INTEGER NOT NULL,
    UNIQUE (message, kind, path, offset)
);

CREATE TABLE defects (
    message  INTEGER NOT NULL REFERENCES messages (id),
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    PRIMARY KEY (message, position)
) WITHOUT ROWID;

CREATE TABLE files (
    path  TEXT    PRIMARY KEY,
    mtime INTEGER NOT NULL,
    size  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE thread_ids (
    message_id TEXT    PRIMARY KEY,
    thread     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX thread_ids_thread ON thread_ids (thread);
)sql");
}

using migration = void (*)(connection&);

/// migrations[v] takes the schema from version v to v + 1.
constexpr std::array<migration, 1> migrations = {&create_version_1};

int user_version(connection& db) {
    auto q = db.use("PRAGMA user_version");
    q.step();
    return static_cast<int>(q.get<std::int64_t>(0));
}

} // namespace

int schema_version() noexcept {
    return static_cast<int>(migrations.size());
}

void migrate(connection& db) {
    // Up to date (every open but the first): no write lock, so a reader opening
    // the catalog never waits for the ingest's transaction.
    if (user_version(db) == schema_version()) {
        return;
    }
    for (;;) {
        // Each step re-reads the version inside its write transaction: another
        // process may have migrated while this one waited for the lock.
        write_transaction transaction(db);
        const int version = user_version(db);
        if (version == schema_version()) {
            transaction.commit();
            return;
        }
        if (version < 0 || version > schema_version()) {
            throw io_error("catalog schema version " + std::to_string(version) +
                               " is not one this cairn knows (1 to " +
                               std::to_string(schema_version()) + "); a newer cairn wrote it",
                           db.path());
        }
        migrations[static_cast<std::size_t>(version)](db);
        db.exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
        transaction.commit();
        db.clear_cache(); // statements prepared against the old schema
    }
}

} // namespace cairn::index::catalog_detail
