#include "catalog/checkpointer.hpp"

#include <pthread.h>
#include <sched.h>
#include <sqlite3.h>

namespace cairn::index::catalog_detail {

checkpointer::checkpointer(connection& writer)
    : writer_(writer)
    , db_(writer.path())
    , thread_([this] { loop(); }) {
    sqlite3_wal_hook(writer_.handle(), &checkpointer::on_commit, this);
}

namespace {

constexpr int sqlite_autocheckpoint_pages = 1000; // SQLITE_DEFAULT_WAL_AUTOCHECKPOINT

} // namespace

checkpointer::~checkpointer() {
    // Unhooks this and gives the writer back SQLite's own checkpoints.
    sqlite3_wal_autocheckpoint(writer_.handle(), sqlite_autocheckpoint_pages);
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

// Runs in the writer's thread after each commit, with the log's page count.
int checkpointer::on_commit(void* self, sqlite3* db, const char* schema, int pages) {
    auto& me = *static_cast<checkpointer*>(self);
    if (pages >= inline_limit) {
        // Failure (SQLITE_BUSY: another checkpoint runs) leaves the log longer, no worse.
        (void)sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (pages >= wake_at) {
        {
            const std::lock_guard lock(me.mutex_);
            me.requested_ = true;
        }
        me.wake_.notify_one();
    }
    return SQLITE_OK;
}

void checkpointer::loop() {
    (void)pthread_setname_np(pthread_self(), "checkpointer"); // for top -H, perf, /proc
    const sched_param idle{};
    (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return requested_ || stopping_; });
        if (stopping_) {
            return;
        }
        requested_ = false;
        lock.unlock();
        // As after SQLite's own: a failed checkpoint is tried again at the next wake.
        (void)sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                        nullptr);
        lock.lock();
    }
}

} // namespace cairn::index::catalog_detail
