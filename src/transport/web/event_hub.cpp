#include "transport/web/event_hub.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace soporte::transport::web {

namespace asio = boost::asio;

Subscription::Subscription(EventHub& hub, asio::any_io_executor executor, const app::Principal& who,
                           std::string credential, std::size_t queue_limit)
    : hub_(hub),
      executor_(executor),
      timer_(executor),
      staff_(who.staff()),
      org_(who.org_id),
      user_(who.user_id),
      credential_(std::move(credential)),
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

void Subscription::Resync() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    queue_.clear();  // the reload shows them
    overflow_ = true;
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

void EventHub::Resync() {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : subs_)
      if (auto s = weak.lock()) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->Resync();
}

Result<std::shared_ptr<Subscription>> EventHub::Subscribe(asio::any_io_executor executor,
                                                          const app::Principal& who,
                                                          std::string credential) {
  std::lock_guard lock(mutex_);
  if (shut_down_) return Fail(ErrorCode::kUnavailable, "the server is stopping");
  if (subs_.size() >= limits_.max_subscribers)
    return Fail(ErrorCode::kUnavailable, "too many live connections; try again later");
  const bool counts_org = !who.staff() && who.org_id.valid();
  const bool counts_user = who.user_id.valid();
  if (counts_user && per_user_[who.user_id.value()] >= limits_.max_per_user) {
    return Fail(ErrorCode::kResourceExhausted, "too many live views open for this user (" +
                                                   std::to_string(limits_.max_per_user) +
                                                   "); close a tab or window");
  }
  if (counts_org && per_org_[who.org_id.value()] >= limits_.max_per_org) {
    return Fail(ErrorCode::kResourceExhausted, "too many live views open for this organisation (" +
                                                   std::to_string(limits_.max_per_org) +
                                                   "); try again later");
  }
  if (counts_user) ++per_user_[who.user_id.value()];
  if (counts_org) ++per_org_[who.org_id.value()];
  auto s = std::make_shared<Subscription>(*this, executor, who, std::move(credential),
                                          limits_.queue_limit);
  subs_.emplace(s.get(), s);
  return s;
}

void EventHub::CloseCredential(std::string_view credential) {
  if (credential.empty()) return;
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : subs_)
      if (raw->credential_ == credential)
        if (auto s = weak.lock()) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->Close();
}

void EventHub::CloseUser(UserId user) {
  std::vector<std::shared_ptr<Subscription>> targets;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : subs_)
      if (raw->user_ == user)
        if (auto s = weak.lock()) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->Close();
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
  auto drop = [](std::unordered_map<std::int64_t, std::size_t>& counts, std::int64_t key) {
    if (auto it = counts.find(key); it != counts.end() && --it->second == 0) counts.erase(it);
  };
  if (s->user_.valid()) drop(per_user_, s->user_.value());
  if (!s->staff_ && s->org_.valid()) drop(per_org_, s->org_.value());
}

}  // namespace soporte::transport::web
