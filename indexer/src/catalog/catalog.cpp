// catalog: opening, transactions and every write. Reads are in catalog_read.cpp,
// thread assignment in threads.cpp, the schema in schema.cpp.

#include "catalog/catalog_impl.hpp"
#include "catalog/schema.hpp"

#include <indexer/catalog.hpp>
#include <indexer/error.hpp>

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::index {

using catalog_detail::connection;
using catalog_detail::savepoint;

catalog::impl::impl(const std::filesystem::path& file)
    : db(file) {
    catalog_detail::migrate(db);
}

catalog catalog::open(const std::filesystem::path& db_file) {
    return catalog(std::make_unique<impl>(db_file));
}

catalog::catalog(std::unique_ptr<impl> p)
    : impl_(std::move(p)) {}

catalog::~catalog() = default;
catalog::catalog(catalog&&) noexcept = default;
catalog& catalog::operator=(catalog&&) noexcept = default;

void catalog::checkpoint_in_background() {
    if (!impl_->checkpoints) {
        impl_->checkpoints = std::make_unique<catalog_detail::checkpointer>(impl_->db);
    }
}

catalog::transaction::transaction(catalog& c)
    : catalog_(&c) {
    catalog_->impl_->db.begin();
    catalog_->impl_->poisoned = false;
}

catalog::transaction::~transaction() {
    if (!done_) {
        catalog_->impl_->db.rollback();
    }
}

void catalog::transaction::commit() {
    impl& state = *catalog_->impl_;
    if (state.poisoned) {
        state.db.rollback();
        done_ = true;
        throw io_error("cannot commit the catalog transaction: an insert failed half-way, so "
                       "the whole transaction was rolled back",
                       state.db.path());
    }
    state.db.commit();
    done_ = true;
}

namespace {

message_key next_id(connection& db) {
    // Exactly "SELECT max(id)": SQLite answers that from the end of the b-tree;
    // wrapped in an expression (coalesce) it would scan the table.
    auto q = db.use("SELECT max(id) FROM messages");
    q.step();
    return q.get<std::optional<std::int64_t>>(0).value_or(0) + 1;
}

void insert_recipients(connection& db, message_key id, recipient_kind kind,
                       const std::vector<address_entry>& list) {
    for (std::size_t position = 0; position < list.size(); ++position) {
        auto q = db.use("INSERT INTO recipients (message, kind, position, name, address) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)");
        q.bind(id, kind, position, list[position].name, list[position].address);
        q.run();
    }
}

// One statement per row, not multi-row INSERTs: a statement that writes several
// rows makes SQLite keep a statement journal (a copy of every page it touches,
// to undo a failure half-way), which costs more than the statements it saves.
void insert_children(connection& db, message_key id, const message_record& record) {
    insert_recipients(db, id, recipient_kind::to, record.to);
    insert_recipients(db, id, recipient_kind::cc, record.cc);
    insert_recipients(db, id, recipient_kind::bcc, record.bcc);
    insert_recipients(db, id, recipient_kind::reply_to, record.reply_to);
    for (std::size_t position = 0; position < record.attachments.size(); ++position) {
        const auto& a = record.attachments[position];
        auto q = db.use("INSERT INTO attachments (message, position, part, filename, mime_type, "
                        "disposition, size, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        q.bind(id, position, a.part, a.filename, a.mime_type, a.disposition, a.size, a.sha256);
        q.run();
    }
    for (std::size_t position = 0; position < record.references.size(); ++position) {
        auto q = db.use(
            "INSERT INTO message_references (message, position, ref_id) VALUES (?1, ?2, ?3)");
        q.bind(id, position, record.references[position]);
        q.run();
    }
    for (std::size_t position = 0; position < record.defects.size(); ++position) {
        auto q = db.use("INSERT INTO defects (message, position, name) VALUES (?1, ?2, ?3)");
        q.bind(id, position, record.defects[position]);
        q.run();
    }
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string joined;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            joined += '\n';
        }
        joined += lines[i];
    }
    return joined;
}

} // namespace

catalog::insert_result catalog::insert(const message_record& record, const location& where) {
    connection& db = impl_->db;
    // Outside a transaction, one message is a transaction of its own.
    std::optional<savepoint> own;
    if (!db.in_transaction()) {
        own.emplace(db);
    }
    const message_key id = next_id(db);
    const auto plan = catalog_detail::plan_thread(db, id, record);
    {
        // The first write, and the one bad input can fail (a duplicate hash):
        // when it throws, nothing of this message has been written.
        auto q = db.use(
            "INSERT INTO messages (id, hash, segment, offset, raw_length, stored_length, size, "
            "message_id, date, date_offset, subject, from_name, from_address, in_reply_to, "
            "thread, added_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
        const auto message_id = record.message_id.empty()
                                    ? std::nullopt
                                    : std::optional<std::string_view>(record.message_id);
        q.bind(id, record.hash, where.segment, where.offset, where.raw_length, where.stored_length,
               record.size, message_id, record.date, record.date_offset_minutes, record.subject,
               record.from.name, record.from.address, record.in_reply_to, plan.thread,
               static_cast<std::int64_t>(std::time(nullptr)));
        q.run();
    }
    std::vector<message_key> rethreaded;
    try {
        rethreaded = catalog_detail::apply_thread(db, plan);
        insert_children(db, id, record);
    } catch (...) {
        // Half a message is written. A savepoint per insert would undo just
        // that, but costs a third of the insert time (SQLite copies every page
        // it touches); instead the caller's transaction refuses to commit.
        impl_->poisoned = !own;
        throw;
    }
    if (own) {
        own->release();
    }
    return {id, plan.thread, std::move(rethreaded)};
}

void catalog::add_source(message_key id, const envelope& env) {
    // The same file seen again is the same source; its maildir flags, folder
    // and file state may have changed since, so those are refreshed.
    const std::string rcpt_to = join_lines(env.rcpt_to); // bound without a copy: outlives q
    auto q = impl_->db.use(
        "INSERT INTO sources (message, kind, path, offset, folder, flags, mtime, file_size, "
        "client_address, helo, mail_from, rcpt_to, tls, received_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
        "ON CONFLICT (message, kind, path, offset) DO UPDATE SET folder = excluded.folder, "
        "flags = excluded.flags, mtime = excluded.mtime, file_size = excluded.file_size");
    q.bind(id, env.kind, env.path, env.offset, env.folder, env.flags, env.mtime, env.file_size,
           env.client_address, env.helo, env.mail_from, rcpt_to, env.tls, env.received_at);
    q.run();
}

void catalog::set_file_state(const std::string& path, std::int64_t mtime, std::uint64_t size) {
    auto q = impl_->db.use("INSERT INTO files (path, mtime, size) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (path) DO UPDATE SET mtime = excluded.mtime, "
                           "size = excluded.size");
    q.bind(path, mtime, size);
    q.run();
}

void catalog::set_indexed_through(message_key id) {
    auto q = impl_->db.use("INSERT INTO meta (key, value) VALUES ('indexed_through', ?1) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(id);
    q.run();
}

void catalog::set_catalogued_through(store_position end) {
    auto q = impl_->db.use("INSERT INTO meta (key, value) VALUES ('catalogued_segment', ?1), "
                           "('catalogued_offset', ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(end.segment, end.offset);
    q.run();
}

void catalog::clear_messages() {
    connection& db = impl_->db;
    savepoint step(db);
    // Children first: the foreign keys refuse orphans.
    db.exec("DELETE FROM recipients;"
            "DELETE FROM attachments;"
            "DELETE FROM message_references;"
            "DELETE FROM sources;"
            "DELETE FROM defects;"
            "DELETE FROM messages;"
            "DELETE FROM thread_ids;"
            "DELETE FROM files;"
            "DELETE FROM meta WHERE key IN ('indexed_through', 'catalogued_segment', "
            "'catalogued_offset');");
    step.release();
}

} // namespace cairn::index
