#include "transport/chat/chat_hub.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "transport/api/codec/chat_codec.hpp"

namespace soporte::transport::chat {

namespace asio = boost::asio;

ChatConnection::ChatConnection(asio::any_io_executor executor, std::size_t queue_limit)
    : executor_(executor), timer_(executor), queue_limit_(queue_limit) {
  timer_.expires_at(asio::steady_timer::time_point::max());
}

void ChatConnection::Send(std::string frame, std::int64_t seq) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (queue_.size() >= queue_limit_) {
      closed_ = true;  // too slow a reader: it reconnects and resumes from its last seq
    } else {
      queue_.emplace_back(std::move(frame), seq);
    }
  }
  Wake();
}

void ChatConnection::Close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  Wake();
}

void ChatConnection::Wake() {
  asio::post(executor_, [self = shared_from_this()] { self->timer_.cancel(); });
}

asio::awaitable<bool> ChatConnection::Next(std::string& out, std::int64_t& seq) {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (!queue_.empty()) {
        out = std::move(queue_.front().first);
        seq = queue_.front().second;
        queue_.erase(queue_.begin());
        if (queue_.empty()) queue_.shrink_to_fit();
        co_return true;
      }
      if (closed_) co_return false;
    }
    timer_.expires_at(asio::steady_timer::time_point::max());
    auto [ec] = co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // woken (cancelled) or cancelled with the connection: look again
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) co_return false;
  }
}

ChatHub::ChatHub(ChatHubLimits limits) : limits_(limits) {}

void ChatHub::Join(std::int64_t chat_id, const std::shared_ptr<ChatConnection>& c) {
  std::lock_guard lock(mutex_);
  rooms_[chat_id].push_back(c);
  ++count_;
}

void ChatHub::Leave(std::int64_t chat_id, const ChatConnection* c) {
  std::lock_guard lock(mutex_);
  auto it = rooms_.find(chat_id);
  if (it == rooms_.end()) return;
  auto& room = it->second;
  const auto before = room.size();
  std::erase_if(room, [c](const std::weak_ptr<ChatConnection>& w) {
    auto s = w.lock();
    return !s || s.get() == c;
  });
  count_ -= std::min(count_, before - room.size());
  if (room.empty()) rooms_.erase(it);
}

void ChatHub::Broadcast(std::int64_t chat_id, const std::string& frame,
                        const ChatConnection* except) {
  std::vector<std::shared_ptr<ChatConnection>> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = rooms_.find(chat_id);
    if (it == rooms_.end()) return;
    for (auto& w : it->second)
      if (auto s = w.lock(); s && s.get() != except) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->Send(frame);  // outside the lock (STYLE-EXAMPLES §6)
}

void ChatHub::Publish(const app::ChatEvent& e) {
  std::vector<std::shared_ptr<ChatConnection>> room, consoles;
  {
    std::lock_guard lock(mutex_);
    auto collect = [&](std::int64_t id, auto& out) {
      auto it = rooms_.find(id);
      if (it == rooms_.end()) return;
      for (auto& w : it->second)
        if (auto s = w.lock()) out.push_back(std::move(s));
    };
    collect(e.chat.id, room);
    collect(0, consoles);
  }
  if (e.kind == "message" && e.message) {
    const std::string frame = api::codec::MessageFrame(*e.message);
    for (auto& s : room) s->Send(frame, e.message->seq);
  } else if (e.kind != "waiting") {
    const std::string frame = api::codec::StateFrame(e.chat);
    for (auto& s : room) s->Send(frame);
  }
  if (!consoles.empty()) {
    const std::string frame = api::codec::StateFrame(e.chat);
    for (auto& s : consoles) s->Send(frame);
  }
}

bool ChatHub::Count(std::unordered_map<std::string, Window>& m, const std::string& key, int limit,
                    std::chrono::steady_clock::time_point now) {
  Window& w = m[key];
  if (now - w.start >= limits_.window) w = Window{now, 0};
  if (w.count >= limit) return false;
  ++w.count;
  return true;
}

bool ChatHub::AllowMessage(std::int64_t chat_id, const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (rates_.size() > 100000) rates_.clear();  // bounded: forget old windows wholesale
  // Appended, not "c" + std::to_string(…): there GCC 12 at -O2 reports an impossible overlap
  // (-Wrestrict, GCC PR 105329), as in main/serve_steps.cpp ListenUrl.
  std::string chat_key = "c";
  chat_key += std::to_string(chat_id);
  const std::string addr_key = "a" + address;
  auto& chat_w = rates_[chat_key];
  auto& addr_w = rates_[addr_key];
  const bool chat_fresh = now - chat_w.start >= limits_.window;
  const bool addr_fresh = now - addr_w.start >= limits_.window;
  if ((!chat_fresh && chat_w.count >= limits_.messages_per_chat) ||
      (!addr_fresh && addr_w.count >= limits_.messages_per_address))
    return false;
  (void)Count(rates_, chat_key, limits_.messages_per_chat, now);
  (void)Count(rates_, addr_key, limits_.messages_per_address, now);
  return true;
}

bool ChatHub::AllowLeftMessage(const std::string& address) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (rates_.size() > 100000) rates_.clear();
  Window& w = rates_["l" + address];
  if (now - w.start >= limits_.left_window) w = Window{now, 0};
  if (w.count >= limits_.left_messages_per_address) return false;
  ++w.count;
  return true;
}

int ChatHub::VisitorSockets(std::int64_t chat_id, int delta) {
  std::lock_guard lock(mutex_);
  int& n = visitor_sockets_[chat_id];
  n = std::max(0, n + delta);
  const int now = n;
  if (now == 0) visitor_sockets_.erase(chat_id);
  return now;
}

namespace {

template <class Pred>
std::vector<std::shared_ptr<ChatConnection>> Matching(
    const std::unordered_map<std::int64_t, std::vector<std::weak_ptr<ChatConnection>>>& rooms,
    Pred pred) {
  std::vector<std::shared_ptr<ChatConnection>> out;
  for (const auto& [id, room] : rooms)
    for (const auto& w : room)
      if (auto s = w.lock(); s && pred(*s)) out.push_back(std::move(s));
  return out;
}

}  // namespace

void ChatHub::CloseCredential(std::string_view credential) {
  if (credential.empty()) return;
  std::vector<std::shared_ptr<ChatConnection>> hit;
  {
    std::lock_guard lock(mutex_);
    hit = Matching(rooms_, [&](const ChatConnection& c) { return c.credential() == credential; });
  }
  for (auto& c : hit) c->Close();
}

void ChatHub::CloseUser(UserId user) {
  if (!user.valid()) return;
  std::vector<std::shared_ptr<ChatConnection>> hit;
  {
    std::lock_guard lock(mutex_);
    hit = Matching(rooms_, [&](const ChatConnection& c) { return c.user() == user; });
  }
  for (auto& c : hit) c->Close();
}

std::vector<std::string> ChatHub::Credentials() const {
  std::vector<std::string> out;
  {
    std::lock_guard lock(mutex_);
    for (auto& c :
         Matching(rooms_, [](const ChatConnection& c) { return !c.credential().empty(); }))
      out.push_back(c->credential());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void ChatHub::Resync() { Shutdown(); }

void ChatHub::Shutdown() {
  std::vector<std::shared_ptr<ChatConnection>> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, room] : rooms_)
      for (auto& w : room)
        if (auto s = w.lock()) all.push_back(std::move(s));
  }
  for (auto& s : all) s->Close();
}

std::size_t ChatHub::connections() const {
  std::lock_guard lock(mutex_);
  return count_;
}

}  // namespace soporte::transport::chat
