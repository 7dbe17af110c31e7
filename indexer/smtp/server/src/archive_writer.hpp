#pragma once
// The one thread that writes store and catalog. Connections submit a finished
// message as a ticket and wait on the ticket's timer; the writer takes every
// ticket pending, archives them with one archive::deliver() (one store sync,
// one catalog transaction: group commit), fills in each verdict and
// wakes each connection on its own executor. Full-text indexing runs on a
// second thread, the indexer, so that group commits never wait for a Xapian
// commit: once no mail came for index_quiet, or at most index_delay after a
// group while more mail keeps coming, the writer takes the deferred documents
// (take_index_work) and hands them over; when the indexer has committed
// them, the writer records it in the catalog (finish_index_work).

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
#include <optional>
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
                   std::chrono::milliseconds index_delay, std::size_t index_backlog);
    ~archive_writer(); ///< stop()s
    archive_writer(const archive_writer&) = delete;
    archive_writer& operator=(const archive_writer&) = delete;

    void submit(std::shared_ptr<delivery_ticket> ticket);
    /// Archives what is queued, indexes, and joins the thread. Idempotent.
    void stop();

private:
    void loop();
    void index_loop();
    void write_group(std::deque<std::shared_ptr<delivery_ticket>>& group);
    /// After the indexer is done: records the work, or gives it back.
    void finish_index(index::index_work& work, bool written);
    void hand_over_index_work();
    [[nodiscard]] bool backlogged() const noexcept; ///< with mutex_ held

    index::archive& archive_;
    delivery_log& log_;
    static constexpr std::chrono::milliseconds index_quiet{50};
    std::chrono::milliseconds index_delay_;
    std::size_t index_backlog_;
    std::size_t unindexed_ = 0; ///< messages written since the last handover (writer thread)
    std::mutex mutex_;
    std::condition_variable wake_writer_;
    std::condition_variable wake_indexer_;
    std::deque<std::shared_ptr<delivery_ticket>> queue_;
    bool stopping_ = false;
    bool indexing_ = false;                     ///< work handed over and not finished yet
    std::optional<index::index_work> to_index_; ///< writer → indexer
    std::optional<index::index_work> indexed_;  ///< indexer → writer
    bool indexed_ok_ = false;
    bool indexer_stopping_ = false;
    bool index_failed_ = false; ///< the last take or write failed (writer thread only)
    std::thread indexer_;
    std::thread thread_;
};

} // namespace cairn::smtp
