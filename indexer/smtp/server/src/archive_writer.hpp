#pragma once
// The one thread that writes the archive. Connections submit a finished
// message as a ticket and wait on the ticket's timer; the writer takes every
// ticket pending, archives them with one archive::deliver() (one fsync, one
// catalog transaction: group commit), fills in each verdict and wakes each
// connection on its own executor. Full-text indexing (index_pending) follows
// once no mail came for index_quiet, or at most index_delay after a group
// while more mail keeps coming.

#include "delivery_log.hpp"

#include <indexer/archive.hpp>
#include <smtp/session.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cairn::smtp {

/// One message on its way to the archive, shared by connection and writer.
struct delivery_ticket {
    explicit delivery_ticket(const boost::asio::any_io_executor& executor)
        : wake(executor) {}

    // Filled by the connection before submit().
    std::string raw;
    index::envelope env;

    // Filled by the writer; read by the connection once `done` (set on the
    // connection's executor, so no lock is needed).
    verdict result;
    bool done = false;
    boost::asio::steady_timer wake; ///< cancelled when the verdict is in
};

class archive_writer {
public:
    archive_writer(index::archive& archive, delivery_log& log,
                   std::chrono::milliseconds index_delay);
    ~archive_writer(); ///< stop()s
    archive_writer(const archive_writer&) = delete;
    archive_writer& operator=(const archive_writer&) = delete;

    void submit(std::shared_ptr<delivery_ticket> ticket);
    /// Archives what is queued, indexes, and joins the thread. Idempotent.
    void stop();

private:
    void loop();
    void write_group(std::deque<std::shared_ptr<delivery_ticket>>& group);
    void index_now();

    index::archive& archive_;
    delivery_log& log_;
    static constexpr std::chrono::milliseconds index_quiet{50};
    std::chrono::milliseconds index_delay_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<delivery_ticket>> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace cairn::smtp
