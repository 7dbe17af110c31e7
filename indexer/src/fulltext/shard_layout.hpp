#pragma once
// How the full-text index folder is laid out on disk.
//
// An index is one or more Xapian databases (shards), so that ingest can write
// them on several cores at once; searches see them as one database. Xapian
// numbers the documents of n shards by interleaving: document d of shard i
// (both from 0 and 1) is document (d - 1) * n + i + 1 of the whole. The
// catalog id k therefore lives in shard (k - 1) % n as document (k - 1) / n + 1,
// and the whole index keeps document id = catalog id.
//
// Two layouts:
//   index/iamglass, ...            one glass database: one shard (archives
//                                  made before sharding, and compactions of them)
//   index/XAPIANDB, index/0, ...   a Xapian stub file naming the shard folders
//                                  ("glass 0" per line), so that xapian-delve or
//                                  any Xapian program opens index/ as one database

#include <filesystem>
#include <optional>
#include <vector>

namespace cairn::index::detail {

/// Shards of a new index: as many as the machines cairn targets have cores to
/// spare for ingest; each more adds a posting list to every term of a query.
inline constexpr unsigned default_shards = 2;

/// The shard folders of an existing index folder, in Xapian's order; nullopt
/// when `dir` holds no index yet. Throws io_error on a stub file it did not write.
[[nodiscard]] std::optional<std::vector<std::filesystem::path>>
read_shards(const std::filesystem::path& dir);

/// The shard folders a new sharded index in `dir` will have.
[[nodiscard]] std::vector<std::filesystem::path> new_shards(const std::filesystem::path& dir,
                                                            unsigned count);

/// Writes `dir`/XAPIANDB naming `count` shard folders, atomically (a temporary
/// file renamed over it, then the folder synced). Written only once every
/// shard exists, so a crash before it leaves a folder read_shards() calls
/// empty, and the next open creates the shards again (over what exists).
void write_stub(const std::filesystem::path& dir, unsigned count);

/// Where document `id` of the whole index lives.
struct shard_address {
    std::size_t shard = 0;
    unsigned local = 0; ///< the Xapian document id inside that shard
};

[[nodiscard]] constexpr shard_address address_of(unsigned id, std::size_t shards) noexcept {
    return {(id - 1) % shards, static_cast<unsigned>((id - 1) / shards + 1)};
}

} // namespace cairn::index::detail
