// EventHub: the in-process EventBus. Use cases publish TicketChanged after each commit; every
// live view (a server-sent events stream, GET /api/v1/events) holds a Subscription with its own
// bounded queue, woken on its own executor. Staff subscriptions get every ticket's changes, a
// customer's only its organisation's; an event naming a user (a staff alert) only that user's.
// This node's views only: on PostgreSQL, app::RelayedEvents (app/live) also feeds it the events
// of the desk's other nodes (LISTEN/NOTIFY), and calls Resync when some may have been missed.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/accounts/principal.hpp"
#include "app/ports/event_bus.hpp"
#include "common/result.hpp"

namespace soporte::transport::web {

struct EventHubLimits {
  std::size_t max_subscribers = 512;  // concurrent live streams; past it Subscribe fails (503)
  std::size_t queue_limit = 64;       // events waiting per subscriber; past it they are dropped
  // One person (a few tabs and devices) and one customer organisation may not take every stream:
  // past these Subscribe fails with kResourceExhausted (429). Staff have no organisation bound.
  std::size_t max_per_user = 8;
  std::size_t max_per_org = 64;
};

class EventHub;

// One live listener. Wait() must be awaited on the executor given to Subscribe (the session's
// strand); Push() may be called from any thread.
class Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  struct Batch {
    std::vector<app::TicketChanged> events;
    // Events were dropped (queue full) or missed (another node's, EventHub::Resync): the client
    // should reload its view.
    bool resync = false;
    bool closed = false;  // the hub shut down: end the stream
  };
  Subscription(EventHub& hub, boost::asio::any_io_executor executor, const app::Principal& who,
               std::string credential, std::size_t queue_limit);
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Waits until an event arrives, the hub closes, or `timeout` passes (then an empty batch: the
  // caller sends a heartbeat). Never fails.
  boost::asio::awaitable<Batch> Wait(std::chrono::milliseconds timeout);

  // Queues `e` when this subscriber may see it. Thread-safe, never blocks on I/O.
  void Push(const app::TicketChanged& e);
  // Ends the subscription: the pending Wait returns closed. Thread-safe.
  void Close();
  // Drops what is queued; the next batch says resync. Thread-safe.
  void Resync();

 private:
  void Wake();

  EventHub& hub_;
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;  // touched only on executor_
  friend class EventHub;
  const bool staff_;
  const OrgId org_;
  const UserId user_;
  const std::string credential_;  // the session or API token it was opened with
  const std::size_t queue_limit_;
  std::mutex mutex_;
  std::deque<app::TicketChanged> queue_;
  bool overflow_ = false;
  bool closed_ = false;
};

class EventHub final : public app::EventBus {
 public:
  explicit EventHub(EventHubLimits limits = {}) : limits_(limits) {}

  // Thread-safe; returns at once (copies the subscriber list under the lock, pushes outside it).
  void Publish(const app::TicketChanged& event) override;
  // Every subscription's next batch says resync (its client reloads what it shows). Thread-safe.
  void Resync() override;

  // A new subscription for `who`, woken on `executor`. kUnavailable past max_subscribers or after
  // Shutdown. Thread-safe.
  // `credential` is the session or API token the stream was opened with (CloseCredential).
  // kResourceExhausted past max_per_user or max_per_org.
  Result<std::shared_ptr<Subscription>> Subscribe(boost::asio::any_io_executor executor,
                                                  const app::Principal& who,
                                                  std::string credential = {});
  // Ends the streams opened with `credential` (its session was logged out), or of `user` (the
  // account was deactivated), on this node. Other nodes' streams end at their next check of the
  // session (every heartbeat). Thread-safe.
  void CloseCredential(std::string_view credential);
  void CloseUser(UserId user);
  // Closes every subscription and refuses new ones (server shutdown). Thread-safe, idempotent.
  void Shutdown();

  std::size_t subscribers() const;

 private:
  friend class Subscription;
  void Remove(Subscription* s);

  const EventHubLimits limits_;
  mutable std::mutex mutex_;
  bool shut_down_ = false;
  std::unordered_map<Subscription*, std::weak_ptr<Subscription>> subs_;
  std::unordered_map<std::int64_t, std::size_t> per_user_;  // by user id
  std::unordered_map<std::int64_t, std::size_t> per_org_;   // customers' organisations
};

}  // namespace soporte::transport::web
