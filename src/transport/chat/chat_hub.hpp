// ChatHub: the in-process fan-out of the live chat (the EventHub's idea, for chats): every open
// WebSocket of a chat holds a ChatConnection in that chat's room, with a small bounded queue of
// frames woken on its own executor; ChatService publishes each committed change (app::ChatEvents)
// and the hub renders it once and queues it in the room (and in the room 0 of the agents'
// consoles, which see every chat's state). Also this node's first filter of the chat rate limits
// (per chat, per client address, left messages): a flood on one node stops here before any
// storage work; app::ChatService counts the same limits in the store, so they hold across nodes.
// This node's sockets only: on PostgreSQL, app::RelayedEvents (app/live) also publishes here the
// other nodes' chat events, read back from the store (the rows, not the pushes, are the truth: a
// client resumes from the last seq it holds), and calls Resync when some may have been missed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "app/chat/chat_service.hpp"

namespace soporte::transport::chat {

// One WebSocket's outgoing frames. Send() may be called from any thread; Next() is awaited on
// the connection's executor only. Memory when idle: the timer and an empty vector.
class ChatConnection : public std::enable_shared_from_this<ChatConnection> {
 public:
  ChatConnection(boost::asio::any_io_executor executor, std::size_t queue_limit);
  // Queues `frame` (a message frame with its `seq`, 0 for other frames). Frames arrive in the
  // order their publishers got here, which is not always their seq order (two commits of one
  // chat published from two threads): the writer orders them (chat_handlers.cpp Writer). Past
  // the queue limit the connection is closed (the client reconnects and resumes). Thread-safe.
  void Send(std::string frame, std::int64_t seq = 0);
  // Waits for the next frame and its seq. False once closed and drained.
  boost::asio::awaitable<bool> Next(std::string& out, std::int64_t& seq);
  // Ends it: Next returns false. Thread-safe.
  void Close();
  // The signed-in user (staff or portal customer) and the session token the socket was opened
  // with; set once before Join (a visitor's connection has none). Not thread-safe before Join.
  void Bind(UserId user, std::string credential) {
    user_ = user;
    credential_ = std::move(credential);
  }
  UserId user() const { return user_; }
  const std::string& credential() const { return credential_; }

 private:
  void Wake();
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;
  const std::size_t queue_limit_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::int64_t>> queue_;
  bool closed_ = false;
  UserId user_;
  std::string credential_;
};

struct ChatHubLimits {
  std::size_t queue_limit = 64;   // frames waiting per connection
  int messages_per_chat = 20;     // per window, per chat
  int messages_per_address = 60;  // per window, per client address
  std::chrono::seconds window{10};
  // Messages left out of hours (POST /api/v1/chats/leave), per client address per left_window:
  // each may become a ticket, so far fewer than chat lines.
  int left_messages_per_address = 5;
  std::chrono::seconds left_window{600};
};

class ChatHub final : public app::ChatEvents {
 public:
  explicit ChatHub(ChatHubLimits limits = {});
  // Room 0: the agents' consoles (every chat's state changes and wait alerts).
  void Join(std::int64_t chat_id, const std::shared_ptr<ChatConnection>& c);
  void Leave(std::int64_t chat_id, const ChatConnection* c);
  // Queues `frame` for every connection of the room but `except`. Thread-safe.
  void Broadcast(std::int64_t chat_id, const std::string& frame, const ChatConnection* except);
  // app::ChatEvents: renders the event and queues it in its chat's room and room 0.
  void Publish(const app::ChatEvent& e) override;
  // app::ChatEvents: closes every connection as a slow reader's (code 4408, "reconnect and
  // resume"): each client reconnects and gets the chat's state and the messages after its last
  // seq from the store. Thread-safe.
  void Resync() override;
  // True when one more message from `chat_id` and `address` fits the limits now (and counts it).
  bool AllowMessage(std::int64_t chat_id, const std::string& address);
  // True when one more left message from `address` fits left_messages_per_address in the
  // current left_window (and counts it). Per node, as AllowMessage. Thread-safe.
  bool AllowLeftMessage(const std::string& address);
  // The visitor side's sockets of `chat_id` on this node after adding `delta` (+1 at open, -1
  // at close): 1 after +1 means the visitor just arrived, 0 after -1 that they left. Thread-safe.
  int VisitorSockets(std::int64_t chat_id, int delta);
  // Ends the sockets opened with session `credential` (logged out), or by `user` (deactivated),
  // on this node. Thread-safe.
  void CloseCredential(std::string_view credential);
  void CloseUser(UserId user);
  // The distinct session tokens of the signed-in sockets on this node (the chat-sessions job
  // checks each in the store and closes those that expired or ended on another node).
  std::vector<std::string> Credentials() const;
  // Closes every connection (server stop).
  void Shutdown();
  // Open chat connections right now.
  std::size_t connections() const;

 private:
  struct Window {
    std::chrono::steady_clock::time_point start;
    int count = 0;
  };
  bool Count(std::unordered_map<std::string, Window>& m, const std::string& key, int limit,
             std::chrono::steady_clock::time_point now);
  const ChatHubLimits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, std::vector<std::weak_ptr<ChatConnection>>> rooms_;
  std::unordered_map<std::string, Window> rates_;
  std::unordered_map<std::int64_t, int> visitor_sockets_;
  std::size_t count_ = 0;
};

}  // namespace soporte::transport::chat
