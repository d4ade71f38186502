#include "transport/web/event_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace soporte::transport::web {

namespace asio = boost::asio;

Subscription::Subscription(EventHub& hub, asio::any_io_executor executor, const app::Principal& who,
                           std::size_t queue_limit)
    : hub_(hub),
      executor_(executor),
      timer_(executor),
      staff_(who.staff()),
      org_(who.org_id),
      user_(who.user_id),
      queue_limit_(queue_limit) {}

Subscription::~Subscription() { hub_.Remove(this); }

void Subscription::Push(const app::TicketChanged& e) {
  // Customers: their organisation only, and never the news that an internal note was written.
  if (!staff_ && (e.org_id != org_ || e.what == "note")) return;
  // A user's own event (a staff alert): nobody else hears of it.
  if (e.user_id.valid() && e.user_id != user_) return;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (queue_.size() >= queue_limit_) {
      queue_.clear();  // a slow reader: drop, and tell it to reload (STYLE-EXAMPLES §6)
      overflow_ = true;
    } else {
      queue_.push_back(e);
    }
  }
  Wake();
}

void Subscription::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  Wake();
}

void Subscription::Wake() {
  // The timer lives on the subscriber's strand; cancel it there. Wait() checks the queue before
  // it starts waiting, on the same strand, so no wake-up is lost.
  asio::post(executor_, [w = weak_from_this()] {
    if (auto s = w.lock()) s->timer_.cancel();
  });
}

asio::awaitable<Subscription::Batch> Subscription::Wait(std::chrono::milliseconds timeout) {
  auto take = [this](Batch& b) {
    std::lock_guard lock(mutex_);
    b.closed = closed_;
    b.resync = overflow_;
    overflow_ = false;
    b.events.assign(queue_.begin(), queue_.end());
    queue_.clear();
    return b.closed || b.resync || !b.events.empty();
  };
  Batch batch;
  if (take(batch)) co_return batch;
  timer_.expires_after(timeout);
  auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;
  take(batch);
  co_return batch;
}

void EventHub::Publish(const app::TicketChanged& event) {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mutex_);
    targets.reserve(subs_.size());
    for (auto& [raw, weak] : subs_)
      if (auto s = weak.lock()) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->Push(event);
}

Result<std::shared_ptr<Subscription>> EventHub::Subscribe(asio::any_io_executor executor,
                                                          const app::Principal& who) {
  std::lock_guard lock(mutex_);
  if (shut_down_) return Fail(ErrorCode::kUnavailable, "the server is stopping");
  if (subs_.size() >= limits_.max_subscribers)
    return Fail(ErrorCode::kUnavailable, "too many live connections; try again later");
  auto s = std::make_shared<Subscription>(*this, executor, who, limits_.queue_limit);
  subs_.emplace(s.get(), s);
  return s;
}

void EventHub::Shutdown() {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mutex_);
    shut_down_ = true;
    for (auto& [raw, weak] : subs_)
      if (auto s = weak.lock()) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->Close();
}

std::size_t EventHub::subscribers() const {
  std::lock_guard lock(mutex_);
  return subs_.size();
}

void EventHub::Remove(Subscription* s) {
  std::lock_guard lock(mutex_);
  subs_.erase(s);
}

}  // namespace soporte::transport::web
