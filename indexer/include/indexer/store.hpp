#pragma once
// segment_store: the archive's byte-exact message store (`ARCHIVE/store/`).
//
// The raw bytes of every archived message live here and nowhere else; the
// catalog and the full-text index are derived from them and can be rebuilt
// by scanning the store (for_each). Millions of messages must not mean
// millions of files, so messages are appended to a few large segment files:
//
//   store/seg-000001.czs, seg-000002.czs, …   append-only, roll over at a size limit
//   store/LOCK                                  flock()ed by the one writing process
//
// A segment is a plain sequence of records, no file header. A record is a
// 64-byte header followed by exactly ONE zstd frame holding the message
// (integers little-endian):
//
//   offset size  field
//        0    4  magic "CZSR"
//        4    1  format version (1)
//        5    1  flags: bit 0 set = an envelope record (below); a reader
//                rejects any other bit
//        6    2  header size (64; lets a later version grow the header)
//        8    8  raw length (bytes of the message)
//       16    8  stored length (bytes of the zstd frame that follows)
//       24   32  SHA-256 of the raw message
//       56    4  CRC-32 (zlib) of the zstd frame bytes
//       60    4  CRC-32 (zlib) of header bytes 0..59
//
// The header checksum finds torn or garbage headers; the frame checksum finds
// a torn or damaged frame without decompressing it; the SHA-256 proves the
// decompressed bytes are the message that was stored.
//
// Most records hold a message. An envelope record holds how a delivered
// message arrived (SMTP/LMTP: client, HELO, MAIL FROM, RCPT TO, …), encoded by
// the archive: nothing else has that information, and keeping it in the same
// file as the message means one sync makes both durable, so the catalog can
// be rebuilt from the store after a power loss (see archive.hpp). The store
// gives the two kinds no other meaning.
//
// Dedup is NOT done here: the catalog maps hash → location and asks the store
// to append only what it has not seen. Asked twice, the store stores twice.
//
// Durability: append() writes into the page cache; sync() makes everything
// appended so far durable (fdatasync of the active segment, fsync of the
// folder when a segment was created). A caller reports success — an SMTP 250,
// a catalog commit — only after sync() returned. Ingest appends a batch and
// syncs once (group commit).
//
// Crash recovery: open() for writing checks the last segment record by record
// (header checksum, frame inside the file, frame checksum) and truncates it
// at the first record that fails: a crash can only tear what was appended
// after the last sync(). Earlier segments were synced before the writer moved
// on and are not re-checked on open (`cairn check` does that with for_each +
// read). recovered_bytes() says how many bytes were dropped (0 when they were
// all zeros a writer wrote ahead, see zero_fill_ahead()).
//
// Ownership and threads: a segment_store owns its file descriptors and the
// LOCK; it is movable, not copyable. One thread (the ingest thread) may call
// append() and sync(); any number of threads may call read(), read_to() and
// for_each() at the same time, including while the writer appends. A location
// may be read as soon as append() returned it. Across processes: at most one
// store is open for writing (the LOCK); read-only stores in other processes
// may read what the writer has appended, but never recover or truncate.
//
// Errors: every I/O failure, a held LOCK, and stored bytes that fail a check
// throw io_error with the segment path (and the message hash when known).
// Recoverable outcomes are return values (recovered_bytes()).
//
//   auto store = segment_store::open(archive / "store");
//   auto [where, hash] = store.append(raw);
//   store.sync();                                  // now it is durable
//   std::string again = store.read(where);         // verified against `hash`

#include <indexer/content_hash.hpp>
#include <indexer/error.hpp>
#include <mime/sink.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace cairn::index {

/// Where a record lives. The catalog stores these four numbers per message.
struct location {
    std::uint32_t segment = 0;       ///< segment number, 1 for seg-000001.czs
    std::uint64_t offset = 0;        ///< byte offset of the record header in the segment
    std::uint64_t raw_length = 0;    ///< length of the message itself
    std::uint64_t stored_length = 0; ///< length of its zstd frame; the record is 64 bytes more

    friend bool operator==(const location&, const location&) = default;
};

/// What a record holds (the header's flag bit 0).
enum class record_kind : std::uint8_t {
    message,  ///< a message's raw bytes
    envelope, ///< an envelope record: bytes the archive encodes
};

/// A point in append order: the end of one record and the start of the next.
/// {} lies before every record.
struct store_position {
    std::uint32_t segment = 0;
    std::uint64_t offset = 0;

    friend auto operator<=>(const store_position&, const store_position&) = default;
};

/// What for_each() visits.
struct stored_record {
    location where;
    content_hash hash; ///< SHA-256 of the record's raw bytes
    record_kind kind = record_kind::message;
};

/// What append() returns: where the message went and its SHA-256.
struct stored_message {
    location where;
    content_hash hash;
};

struct store_options {
    /// A segment is closed once the next record would take it past this size.
    /// A single message larger than the limit gets a segment of its own.
    std::uint64_t segment_limit = std::uint64_t{256} << 20;
    /// zstd level: 3 is zstd's default, a good speed/ratio point for mail.
    int compression_level = 3;
    /// Read-only: no LOCK, no creation, no recovery; append() and sync() throw.
    bool read_only = false;
    /// Check frame checksums of the last segment on open (reads the segment
    /// once: about 70 ms for 100 MB from the page cache). Off: only headers
    /// and lengths are checked, which still finds a short tail but not a frame
    /// whose bytes were lost inside the file.
    bool verify_tail_frames = true;
};

class segment_store {
public:
    /// Record header size; a record occupies header_size + stored_length bytes.
    static constexpr std::uint64_t header_size = 64;

    /// Opens the store folder `dir`, creating it (and seg-000001.czs) when
    /// absent unless read-only. A writer takes `dir/LOCK` and runs crash recovery
    /// on the last segment. Throws io_error when the folder cannot be created or
    /// read, the LOCK is held by another writer, or recovery cannot truncate.
    [[nodiscard]] static segment_store open(const std::filesystem::path& dir,
                                            const store_options& options = {});

    segment_store(segment_store&&) noexcept;
    segment_store& operator=(segment_store&&) noexcept;
    segment_store(const segment_store&) = delete;
    segment_store& operator=(const segment_store&) = delete;
    /// Closes the files and releases the LOCK. Does NOT sync: what was appended
    /// after the last sync() survives a clean exit (page cache) but not a crash.
    ~segment_store();

    /// Hashes, compresses and appends `raw` (any bytes, any length, empty too),
    /// rolling over to a new segment when the active one is full. The record is
    /// readable at once and durable after the next sync(). Writer thread only.
    /// Throws io_error on a write failure; the partial record is then cut off
    /// again, so the store stays usable.
    [[nodiscard]] stored_message append(std::string_view raw,
                                        record_kind kind = record_kind::message);
    /// append() of bytes whose content_hash::of the caller already has (ingest
    /// hashes every message to find duplicates): the bytes are not hashed twice.
    [[nodiscard]] stored_message append(std::string_view raw, const content_hash& hash,
                                        record_kind kind = record_kind::message);

    /// Makes every record appended so far durable: fdatasync of the active
    /// segment, and fsync of the folder when a segment file was created since
    /// the last sync (segments that filled up were synced when they did).
    /// Writer thread only. Throws io_error when the disk says no; after that
    /// the store refuses append() and sync() (a failed fsync may have lost the
    /// pages while clearing the error, so a retry could lie): reopen it, which
    /// re-checks the tail.
    void sync();

    /// For a writer that syncs after every few small appends (`cairn serve`'s
    /// group commits): keeps `bytes` of zeros written past the last record of
    /// the active segment (0, the default: none). An append then overwrites
    /// blocks that are already written and inside the file's size, so its
    /// fdatasync writes the data alone: no block allocation, no extent or
    /// inode size update with it (scripts/bench-smtp.sh: 5% more messages/s on
    /// ext4). It costs `bytes` of zeros written once per `bytes` of records,
    /// which a bulk import that syncs once per batch would only pay twice for.
    /// The zeros are cut when a segment fills and when the store closes; after
    /// a crash open() cuts them (recovered_bytes() is 0 when they were all it cut).
    /// Readers never see them: for_each stops at the end the writer published,
    /// or, in another process, at the first header that is not a record.
    void zero_fill_ahead(std::uint64_t bytes) noexcept;

    /// The message at `where`, decompressed and checked against its header,
    /// its frame checksum and its SHA-256. Throws io_error (with the hash from
    /// the header when it could be read) when the record is missing, damaged
    /// or does not match `where`.
    [[nodiscard]] std::string read(const location& where) const;

    /// As read(), but streams the message into `sink` in chunks of at most
    /// 64 KiB, so memory stays bounded for huge messages. The SHA-256 is checked
    /// at the end: on a mismatch the sink has already seen the bytes and
    /// io_error is thrown after them; treat what the sink got as garbage then.
    /// Returns the verified hash.
    content_hash read_to(const location& where, mime::sink_ref sink) const;

    /// Calls `visit(record)` for every record at or after `from`, in segment
    /// order and then offset order (the order they were appended). Reads headers only;
    /// does not decompress (pair with read() to verify everything). Records the
    /// in-process writer appends during the scan may or may not be visited. In
    /// the last segment an unreadable record ends the scan quietly (it is an
    /// in-flight append or a torn tail the next writer's open() drops); in any
    /// earlier segment it throws io_error. Returns the number of records visited.
    std::uint64_t for_each(const std::function<void(const stored_record&)>& visit,
                           store_position from = {}) const;

    /// The position just after the last record appended ({} for a read-only
    /// store): for_each(visit, end()) visits only what is appended later.
    [[nodiscard]] store_position end() const;

    /// Bytes open() cut off the tail of the last segment (0 after a clean stop).
    [[nodiscard]] std::uint64_t recovered_bytes() const noexcept;

    /// The store folder this store was opened on.
    [[nodiscard]] const std::filesystem::path& dir() const noexcept;

    /// The segment append() writes to now (0 for a read-only store).
    [[nodiscard]] std::uint32_t active_segment() const noexcept;

    /// `dir/seg-NNNNNN.czs` for segment `number`.
    [[nodiscard]] static std::filesystem::path segment_path(const std::filesystem::path& dir,
                                                            std::uint32_t number);

    struct impl; // private; defined in src/store/store_impl.hpp

private:
    explicit segment_store(std::unique_ptr<impl> state) noexcept;
    std::unique_ptr<impl> impl_;
};

} // namespace cairn::index
