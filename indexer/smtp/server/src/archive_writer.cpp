#include "archive_writer.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>
#include <exception>
#include <vector>

namespace cairn::smtp {

archive_writer::archive_writer(index::archive& archive, delivery_log& log,
                               std::chrono::milliseconds index_delay)
    : archive_(archive)
    , log_(log)
    , index_delay_(index_delay)
    , thread_([this] { loop(); }) {}

archive_writer::~archive_writer() {
    stop();
}

void archive_writer::submit(std::shared_ptr<delivery_ticket> ticket) {
    {
        const std::lock_guard lock(mutex_);
        queue_.push_back(std::move(ticket));
    }
    wake_.notify_one();
}

void archive_writer::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void archive_writer::loop() {
    using clock = std::chrono::steady_clock;
    constexpr auto never = clock::time_point::max();
    // Full-text indexing waits until the writer has seen no mail for
    // index_quiet, or until the oldest un-indexed group is index_delay old.
    // A Xapian commit costs several fdatasyncs: indexing after every group
    // under steady load made sessions wait on it and halved the 250 rate.
    auto index_due = never;
    auto quiet_due = never;
    std::unique_lock lock(mutex_);
    for (;;) {
        const auto ready = [&] { return !queue_.empty() || stopping_; };
        const auto until = std::min(index_due, quiet_due);
        if (until == never) {
            wake_.wait(lock, ready); // (wait_until(max) overflows in some libraries)
        } else {
            wake_.wait_until(lock, until, ready);
        }
        if (!queue_.empty()) {
            auto group = std::exchange(queue_, {});
            lock.unlock();
            write_group(group);
            const auto now = clock::now();
            if (index_due == never) {
                index_due = now + index_delay_;
            }
            quiet_due = now + index_quiet;
            lock.lock();
            if (!stopping_ && now < index_due) {
                continue; // more mail may come: its group commit comes first
            }
        }
        if (archive_.index_is_pending() &&
            (stopping_ || clock::now() >= std::min(index_due, quiet_due))) {
            lock.unlock();
            index_now();
            lock.lock();
        }
        if (!archive_.index_is_pending()) {
            index_due = never;
            quiet_due = never;
        }
        if (stopping_ && queue_.empty()) {
            return;
        }
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
        log_.line(line);
        t.raw = std::string(); // the bytes are not needed any more
        boost::asio::post(t.wake.get_executor(), [ticket = group[i]] {
            ticket->done = true;
            ticket->wake.cancel();
        });
    }
}

void archive_writer::index_now() {
    try {
        archive_.index_pending();
    } catch (const std::exception& e) {
        // The messages are durable and catalogued; the next open indexes them.
        log_.line(std::string("full-text indexing failed (retried at next start): ") + e.what());
    }
}

} // namespace cairn::smtp
