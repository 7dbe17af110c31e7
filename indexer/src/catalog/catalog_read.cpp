// catalog: every read. Each query is served by an index (see schema.cpp).

#include "catalog/catalog_impl.hpp"

#include <indexer/catalog.hpp>

#include <algorithm>
#include <string>
#include <string_view>

namespace cairn::index {

using catalog_detail::connection;
using catalog_detail::statement;

namespace {

constexpr std::string_view row_columns =
    "id, hash, segment, offset, raw_length, stored_length, size, message_id, date, "
    "date_offset, subject, from_name, from_address, in_reply_to, thread, added_at";

message_row read_row(const statement& q) {
    message_row row;
    row.id = q.get<std::int64_t>(0);
    row.hash = q.get<content_hash>(1);
    row.where.segment = static_cast<std::uint32_t>(q.get<std::int64_t>(2));
    row.where.offset = q.get<std::uint64_t>(3);
    row.where.raw_length = q.get<std::uint64_t>(4);
    row.where.stored_length = q.get<std::uint64_t>(5);
    row.size = q.get<std::uint64_t>(6);
    row.message_id = q.get<std::string>(7);
    row.date = q.get<std::optional<std::int64_t>>(8);
    row.date_offset_minutes = static_cast<int>(q.get<std::int64_t>(9));
    row.subject = q.get<std::string>(10);
    row.from.name = q.get<std::string>(11);
    row.from.address = q.get<std::string>(12);
    row.in_reply_to = q.get<std::string>(13);
    row.thread = q.get<std::int64_t>(14);
    row.added_at = q.get<std::int64_t>(15);
    return row;
}

std::string select_rows(std::string_view tail) {
    std::string sql = "SELECT ";
    sql += row_columns;
    sql += " FROM messages ";
    sql += tail;
    return sql;
}

/// Every row of a one-column text query about one message.
std::vector<std::string> texts(connection& db, std::string_view sql, message_key id) {
    std::vector<std::string> values;
    auto q = db.use(sql);
    q.bind(id);
    while (q.step()) {
        values.push_back(q.get<std::string>(0));
    }
    return values;
}

std::optional<std::int64_t> one_integer(connection& db, std::string_view sql,
                                        std::string_view key) {
    auto q = db.use(sql);
    q.bind(key);
    if (!q.step() || q->is_null(0)) {
        return std::nullopt;
    }
    return q.get<std::int64_t>(0);
}

std::vector<std::string> split_lines(const std::string& joined) {
    std::vector<std::string> lines;
    if (joined.empty()) {
        return lines;
    }
    std::size_t start = 0;
    for (;;) {
        const auto end = joined.find('\n', start);
        lines.push_back(joined.substr(start, end - start));
        if (end == std::string::npos) {
            return lines;
        }
        start = end + 1;
    }
}

} // namespace

std::optional<message_key> catalog::find_hash(const content_hash& hash) const {
    auto q = impl_->db.use("SELECT id FROM messages WHERE hash = ?1");
    q.bind(hash);
    if (!q.step()) {
        return std::nullopt;
    }
    return q.get<std::int64_t>(0);
}

std::optional<message_key> catalog::find_message_id(std::string_view message_id) const {
    if (message_id.empty()) {
        return std::nullopt; // stored as NULL: "no Message-ID" matches nothing
    }
    return one_integer(
        impl_->db, "SELECT id FROM messages WHERE message_id = ?1 ORDER BY id LIMIT 1", message_id);
}

std::optional<message_row> catalog::get(message_key id) const {
    static const std::string sql = select_rows("WHERE id = ?1");
    auto q = impl_->db.use(sql);
    q.bind(id);
    if (!q.step()) {
        return std::nullopt;
    }
    return read_row(*q);
}

std::vector<message_row> catalog::thread_messages(thread_key thread) const {
    // Undated messages first, then by date; id breaks ties (arrival order).
    static const std::string sql = select_rows("WHERE thread = ?1 ORDER BY date, id");
    std::vector<message_row> rows;
    auto q = impl_->db.use(sql);
    q.bind(thread);
    while (q.step()) {
        rows.push_back(read_row(*q));
    }
    return rows;
}

std::vector<std::string> catalog::references(message_key id) const {
    return texts(impl_->db,
                 "SELECT ref_id FROM message_references WHERE message = ?1 ORDER BY position", id);
}

std::vector<address_entry> catalog::recipients(message_key id, recipient_kind kind) const {
    std::vector<address_entry> list;
    auto q = impl_->db.use("SELECT name, address FROM recipients WHERE message = ?1 AND kind = ?2 "
                           "ORDER BY position");
    q.bind(id, kind);
    while (q.step()) {
        list.push_back({q.get<std::string>(0), q.get<std::string>(1)});
    }
    return list;
}

std::vector<attachment_entry> catalog::attachments(message_key id) const {
    std::vector<attachment_entry> list;
    auto q = impl_->db.use("SELECT part, filename, mime_type, disposition, size, sha256 "
                           "FROM attachments WHERE message = ?1 ORDER BY position");
    q.bind(id);
    while (q.step()) {
        attachment_entry a;
        a.part = static_cast<std::uint32_t>(q.get<std::int64_t>(0));
        a.filename = q.get<std::string>(1);
        a.mime_type = q.get<std::string>(2);
        a.disposition = q.get<std::string>(3);
        a.size = q.get<std::uint64_t>(4);
        a.sha256 = q.get<std::string>(5);
        list.push_back(std::move(a));
    }
    return list;
}

std::vector<envelope> catalog::sources(message_key id) const {
    std::vector<envelope> list;
    auto q = impl_->db.use("SELECT kind, path, offset, folder, flags, mtime, file_size, "
                           "client_address, helo, mail_from, rcpt_to, tls, received_at "
                           "FROM sources WHERE message = ?1 ORDER BY id");
    q.bind(id);
    while (q.step()) {
        envelope env;
        env.kind = static_cast<source_kind>(q.get<std::int64_t>(0));
        env.path = q.get<std::string>(1);
        env.offset = q.get<std::uint64_t>(2);
        env.folder = q.get<std::string>(3);
        env.flags = q.get<std::string>(4);
        env.mtime = q.get<std::int64_t>(5);
        env.file_size = q.get<std::uint64_t>(6);
        env.client_address = q.get<std::string>(7);
        env.helo = q.get<std::string>(8);
        env.mail_from = q.get<std::string>(9);
        env.rcpt_to = split_lines(q.get<std::string>(10));
        env.tls = q.get<std::int64_t>(11) != 0;
        env.received_at = q.get<std::int64_t>(12);
        list.push_back(std::move(env));
    }
    return list;
}

std::vector<std::string> catalog::defects(message_key id) const {
    return texts(impl_->db, "SELECT name FROM defects WHERE message = ?1 ORDER BY position", id);
}

std::optional<std::pair<std::int64_t, std::uint64_t>>
catalog::file_state(const std::string& path) const {
    auto q = impl_->db.use("SELECT mtime, size FROM files WHERE path = ?1");
    q.bind(path);
    if (!q.step()) {
        return std::nullopt;
    }
    return std::pair{q.get<std::int64_t>(0), q.get<std::uint64_t>(1)};
}

message_key catalog::indexed_through() const {
    return one_integer(impl_->db, "SELECT value FROM meta WHERE key = ?1", "indexed_through")
        .value_or(0);
}

store_position catalog::catalogued_through() const {
    constexpr std::string_view sql = "SELECT value FROM meta WHERE key = ?1";
    const auto segment = one_integer(impl_->db, sql, "catalogued_segment");
    const auto offset = one_integer(impl_->db, sql, "catalogued_offset");
    if (!segment || !offset) {
        return {};
    }
    return {static_cast<std::uint32_t>(*segment), static_cast<std::uint64_t>(*offset)};
}

message_key catalog::max_id() const {
    auto q = impl_->db.use("SELECT max(id) FROM messages"); // b-tree end: see next_id
    q.step();
    return q.get<std::optional<std::int64_t>>(0).value_or(0);
}

catalog_stats catalog::stats(std::size_t top_senders) const {
    connection& db = impl_->db;
    catalog_stats stats;
    {
        auto q = db.use("SELECT count(*), coalesce(sum(size), 0), min(date), max(date), "
                        "count(DISTINCT thread) FROM messages");
        q.step();
        stats.messages = q.get<std::uint64_t>(0);
        stats.raw_bytes = q.get<std::uint64_t>(1);
        stats.first_date = q.get<std::optional<std::int64_t>>(2);
        stats.last_date = q.get<std::optional<std::int64_t>>(3);
        stats.threads = q.get<std::uint64_t>(4);
    }
    {
        auto q = db.use("SELECT count(*) FROM attachments");
        q.step();
        stats.attachments = q.get<std::uint64_t>(0);
    }
    // Grouped case-insensitively (the index's collation), reported lowercase:
    // Alice@Example.org and alice@example.org are one sender.
    auto q = db.use("SELECT from_address, count(*) AS n FROM messages WHERE from_address <> '' "
                    "GROUP BY from_address COLLATE NOCASE "
                    "ORDER BY n DESC, from_address COLLATE NOCASE LIMIT ?1");
    q.bind(top_senders);
    while (q.step()) {
        auto address = q.get<std::string>(0);
        // ASCII only, as NOCASE folds: no locale in the catalog's answers.
        std::transform(address.begin(), address.end(), address.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
        stats.top_senders.emplace_back(std::move(address), q.get<std::uint64_t>(1));
    }
    return stats;
}

void catalog::for_each(const std::function<void(const message_row&)>& fn) const {
    // Not from the cache: fn may call back into this catalog, even for_each.
    statement q(impl_->db, select_rows("ORDER BY id"));
    while (q.step()) {
        fn(read_row(q));
    }
}

} // namespace cairn::index
