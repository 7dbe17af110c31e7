#include "archive_writer.hpp"

#include <boost/asio/post.hpp>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <exception>
#include <vector>

namespace cairn::smtp {
archive_writer::archive_writer(index::archive& archive, delivery_log& log,
                               std::chrono::milliseconds index_delay, std::size_t index_backlog)
    : archive_(archive)
    , log_(log)
    , index_delay_(index_delay)
    , index_backlog_(std::max<std::size_t>(index_backlog, 1))
    , indexer_([this] { index_loop(); })
    , thread_([this] { loop(); }) {}

archive_writer::~archive_writer() {
    stop();
}

void archive_writer::submit(std::shared_ptr<delivery_ticket> ticket) {
    {
        const std::lock_guard lock(mutex_);
        queue_.push_back(std::move(ticket));
    }
    wake_writer_.notify_one();
}

void archive_writer::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_writer_.notify_one();
    if (thread_.joinable()) {
        thread_.join(); // it stops the indexer once the last work is finished
    }
    if (indexer_.joinable()) {
        indexer_.join();
    }
}

void archive_writer::loop() {
    (void)pthread_setname_np(pthread_self(), "writer"); // for top -H, perf, /proc
    using clock = std::chrono::steady_clock;
    constexpr auto never = clock::time_point::max();
    // Full-text work is handed over once the writer has seen no mail for
    // index_quiet, or once the oldest un-indexed group is index_delay old.
    // Each handover costs a Xapian commit (several fdatasyncs): a commit per
    // group under steady load would compete with the group commits' fsyncs.
    auto index_due = never;
    auto quiet_due = never;
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto ready = [&] {
            return (!queue_.empty() && !backlogged()) || indexed_.has_value() ||
                   (stopping_ && !indexing_);
        };
        const auto until = indexing_ ? never : std::min(index_due, quiet_due);
        if (until == never) {
            wake_writer_.wait(lock, ready); // (wait_until(max) overflows in some libraries)
        } else {
            wake_writer_.wait_until(lock, until, ready);
        }
        if (indexed_) {
            auto work = std::move(*indexed_);
            indexed_.reset();
            lock.unlock();
            finish_index(work, indexed_ok_);
            lock.lock();
            indexing_ = false;
        }
        if (!queue_.empty() && !backlogged()) {
            auto group = std::exchange(queue_, {});
            unindexed_ += group.size();
            lock.unlock();
            write_group(group);
            const auto now = clock::now();
            if (index_due == never) {
                index_due = now + index_delay_;
            }
            quiet_due = now + index_quiet;
            lock.lock();
        }
        // At stop, failed work is not tried again: the next open indexes it.
        const bool index_due_now =
            stopping_ ? !index_failed_ : clock::now() >= std::min(index_due, quiet_due);
        if (!indexing_ && archive_.index_is_pending() && index_due_now) {
            lock.unlock();
            hand_over_index_work();
            lock.lock();
            unindexed_ = 0;
            index_due = never;
            quiet_due = never;
        }
        if (!indexing_ && !archive_.index_is_pending()) {
            index_due = never;
            quiet_due = never;
        }
        if (stopping_ && queue_.empty() && !indexing_ &&
            (!archive_.index_is_pending() || index_failed_)) {
            indexer_stopping_ = true;
            wake_indexer_.notify_one();
            return;
        }
    }
}

// Backpressure: parsed documents wait in memory until they are handed over,
// so while the indexer is busy the writer takes no more mail once
// index_backlog messages are waiting for it.
bool archive_writer::backlogged() const noexcept {
    return indexing_ && unindexed_ >= index_backlog_;
}

void archive_writer::hand_over_index_work() {
    std::optional<index::index_work> work;
    try {
        work = archive_.take_index_work();
    } catch (const std::exception& e) {
        // take_index_work() left the documents pending; the next open indexes
        // them if this keeps failing.
        log_.line(std::string("full-text indexing failed (retried): ") + e.what());
        index_failed_ = true;
        return;
    }
    const std::lock_guard lock(mutex_);
    to_index_ = std::move(work);
    indexing_ = true;
    wake_indexer_.notify_one();
}

void archive_writer::index_loop() {
    // Indexing is background work: sessions waiting for their 250 go first
    // when the cores are busy. SCHED_IDLE rather than nice 10: a niced thread
    // still keeps a core until the scheduler's wakeup granularity is used up,
    // so each session woken meanwhile waits (smtp-source's rate on 2 cores was
    // 3% higher, scripts/bench-smtp.sh). Idle time is all the indexer's, so
    // mail still becomes searchable within about a second, and when the cores
    // stay busy the writer's index_backlog stops taking mail until it caught up.
    const sched_param idle{};
    (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle); // still indexes if refused
    (void)pthread_setname_np(pthread_self(), "indexer");
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_indexer_.wait(lock, [&] { return to_index_.has_value() || indexer_stopping_; });
        if (!to_index_) {
            return;
        }
        auto work = std::move(*to_index_);
        to_index_.reset();
        lock.unlock();
        bool written = true;
        try {
            archive_.write_index_work(work);
        } catch (const std::exception& e) {
            log_.line(std::string("full-text indexing failed (retried): ") + e.what());
            written = false;
        }
        lock.lock();
        indexed_ = std::move(work);
        indexed_ok_ = written;
        wake_writer_.notify_one();
    }
}

void archive_writer::finish_index(index::index_work& work, bool written) {
    index_failed_ = !written;
    if (!written) {
        archive_.return_index_work(std::move(work));
        return;
    }
    try {
        archive_.finish_index_work(work);
    } catch (const std::exception& e) {
        // The documents are committed; only the catalog's note of it failed,
        // so the next open indexes them once more (replacing, not adding).
        log_.line(std::string("recording the full-text commit failed: ") + e.what());
    }
}

void archive_writer::write_group(std::deque<std::shared_ptr<delivery_ticket>>& group) {
    std::vector<index::delivery> batch;
    batch.reserve(group.size());
    for (const auto& t : group) {
        batch.push_back({t->raw, t->env});
    }
    std::vector<index::delivery_result> results;
    std::string failure;
    try {
        results = archive_.deliver(batch);
    } catch (const std::exception& e) {
        failure = e.what();
        log_.line("storage error, " + std::to_string(group.size()) +
                  " message(s) refused with 451: " + failure);
    }
    std::vector<std::string> lines;
    lines.reserve(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) {
        delivery_ticket& t = *group[i];
        const index::envelope& env = t.env;
        std::string line = "id=" + env.path + " size=" + std::to_string(t.raw.size()) + " from=<" +
                           env.mail_from + "> rcpt=" + std::to_string(env.rcpt_to.size()) +
                           " client=" + env.client_address + (env.tls ? " tls" : "");
        if (failure.empty()) {
            t.result = {250, "2.0.0", "Ok: queued as " + env.path};
            line += " result=250 message=" + std::to_string(results[i].id) +
                    (results[i].duplicate ? " duplicate" : "");
        } else {
            t.result = {451, "4.3.0", "Error: local error in processing, try again later"};
            line += " result=451";
        }
        lines.push_back(std::move(line));
        t.raw = std::string(); // the bytes are not needed any more
    }
    // Logged before any session can send its reply: a client that has its 250
    // finds the line in the log.
    log_.lines(lines);
    for (const auto& ticket : group) {
        boost::asio::post(ticket->wake.get_executor(), [ticket] {
            ticket->done = true;
            ticket->wake.cancel();
        });
    }
}

} // namespace cairn::smtp
