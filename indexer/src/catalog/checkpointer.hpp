#pragma once
// checkpointer: copies the catalog's write-ahead log back into the database on
// a thread and connection of its own. SQLite's default runs that checkpoint
// inside the commit that takes the log past 1000 pages, so one commit in
// every few dozen waits for two fsyncs and the copy: under `cairn serve`, a
// group commit whose sessions all wait for their 250. Here a commit only
// wakes the thread (passive checkpoints block neither the writer nor
// readers), and only at 16000 pages: a page rewritten by many commits is
// copied once per checkpoint, and fewer checkpoints compete less with the
// store's syncs for the disk (smtp-source's rate, 6 alternating rounds: 4%
// higher with the thread at SQLite's 1000 pages, 11% more at 16000 than at
// 4000). The log file keeps the size it reached (SQLite reuses it from the
// start) until the last connection closes and removes it; a mail server's
// disk can spare that. The thread runs SCHED_IDLE; should it fall behind,
// a commit that finds the log past inline_limit pages checkpoints inline as
// before, so the log stays bounded.

#include "catalog/connection.hpp"

#include <indexer/catalog.hpp>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

namespace cairn::index::catalog_detail {

class checkpointer {
public:
    /// Log pages after which a commit wakes the thread, and after which it
    /// checkpoints inline instead (the thread fell behind).
    static constexpr int wake_at = catalog::background_checkpoint_pages;
    static constexpr int inline_limit = 4 * wake_at;

    /// Opens a second connection to `writer`'s database and takes over its
    /// checkpoints (sqlite3_wal_hook on `writer`, which must outlive this).
    explicit checkpointer(connection& writer);
    ~checkpointer(); ///< a checkpoint in progress finishes; then the writer checkpoints as SQLite
                     ///< does
    checkpointer(const checkpointer&) = delete;
    checkpointer& operator=(const checkpointer&) = delete;

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
    void loop();

    connection& writer_;
    connection db_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool requested_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace cairn::index::catalog_detail
