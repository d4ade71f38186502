// PostgresLiveRelay: the live relay (app/ports/live_relay.hpp) over PostgreSQL LISTEN/NOTIFY, so
// that every `soporte serve` of one database hears the live events of the others.
//
// Sending: Send encodes the note (live_note_codec.hpp) and queues it; a sender thread sends the
// queue in batches, one pg_notify per note in one statement, on a connection of its own. Past
// queue_limit a note is dropped with a log line (the receivers see the gap in its seq and
// resync). A batch that fails is sent once more on a new connection (receivers drop repeats).
//
// Receiving: a listener thread holds a dedicated connection (not a pool one) that LISTENs on the
// desk's channel, polls its socket, reads the notifications and gives each other node's note to
// the LiveReceiver, once and in order per sending node. A malformed payload is logged and
// dropped. When the connection drops (or an idle heartbeat fails) it reconnects with backoff,
// LISTENs again and calls OnResync: notes sent meanwhile were missed.
//
// The channel is derived from the desk's schema, so two desks in one database never hear each
// other (NOTIFY never crosses databases).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/ports/live_relay.hpp"
#include "common/result.hpp"

namespace soporte::storage {

namespace pg_internal {
class PgConn;
}

struct PostgresLiveRelayOptions {
  // The desk's schema, as PostgresOptions::schema (the channel is named after it); "" = the
  // connection's current schema (public unless the URL's options set a search_path).
  std::string schema;
  std::size_t queue_limit = 10000;             // notes waiting to be sent; past it they are dropped
  std::size_t batch_limit = 200;               // notes per NOTIFY statement
  std::chrono::milliseconds backoff_min{100};  // reconnect delays, doubling up to backoff_max
  std::chrono::milliseconds backoff_max{5000};
  std::chrono::milliseconds heartbeat{30000};  // an idle listener checks its connection this often
  // Receives the relay's log lines (drops, malformed notes, reconnects). Thread-safe; may be empty.
  std::function<void(const std::string&)> log;
};

class PostgresLiveRelay final : public app::LiveRelay {
 public:
  // The counters since Open (for /metrics and tests).
  struct Stats {
    std::uint64_t sent = 0;       // notes sent to the database
    std::uint64_t dropped = 0;    // notes dropped: queue full, or a batch failed twice
    std::uint64_t received = 0;   // other nodes' notes given to the receiver
    std::uint64_t malformed = 0;  // payloads refused by the codec
    std::uint64_t resyncs = 0;    // OnResync calls (reconnects and gaps)
  };

  // Connects the listener to `url`, finds the channel and LISTENs on it: once Open returns,
  // every note another node sends is heard (given to the receiver once Start is called).
  // kUnavailable when the server cannot be reached; kInvalidArgument for bad options.
  static Result<std::unique_ptr<PostgresLiveRelay>> Open(const std::string& url,
                                                         PostgresLiveRelayOptions options);
  // Stops both threads: the sender first sends what is queued (one attempt), then both end.
  ~PostgresLiveRelay() override;
  PostgresLiveRelay(const PostgresLiveRelay&) = delete;
  PostgresLiveRelay& operator=(const PostgresLiveRelay&) = delete;

  // Starts the sender and the listener; `receiver` must outlive this relay. Call once.
  void Start(app::LiveReceiver& receiver);

  // app::LiveRelay. Thread-safe; never blocks on the database.
  void Send(const app::LiveNote& note) override;

  // The channel LISTENed on, and this relay's node id in its notes (and in the
  // application_name of its connections: soporte-listen-NODE, soporte-notify-NODE).
  const std::string& channel() const { return channel_; }
  const std::string& node() const { return node_; }
  Stats stats() const;

  // The channel of the desk in `schema` (a schema name, not empty): soporte_live_SCHEMA, or,
  // when that passes PostgreSQL's 63-byte identifiers, a prefix of it and a hash of the name.
  static std::string ChannelOf(const std::string& schema);

 private:
  PostgresLiveRelay(std::string url, PostgresLiveRelayOptions options, std::string channel,
                    std::string node, std::unique_ptr<pg_internal::PgConn> listener);
  static Result<std::unique_ptr<pg_internal::PgConn>> ConnectListener(const std::string& url,
                                                                      const std::string& schema,
                                                                      const std::string& node,
                                                                      const std::string& channel);
  void SendLoop();
  void ListenLoop();
  // Reads and delivers what the listener holds; false when the connection is lost.
  bool Pump();
  void Deliver(const std::string& payload);
  // Waits `d` or until Stop; false when stopping.
  bool Pause(std::chrono::milliseconds d);
  void Log(const std::string& line) const;

  const std::string url_;
  const PostgresLiveRelayOptions options_;
  const std::string channel_;
  const std::string node_;
  app::LiveReceiver* receiver_ = nullptr;

  std::unique_ptr<pg_internal::PgConn> listener_;           // the listener thread's only
  std::unique_ptr<pg_internal::PgConn> sender_;             // the sender thread's only
  std::unordered_map<std::string, std::int64_t> last_seq_;  // by node; the listener thread's

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  std::int64_t next_seq_ = 1;
  bool stopping_ = false;
  bool dropping_ = false;  // the queue is full: the first drop was logged
  Stats stats_;
  int wake_fd_ = -1;  // eventfd: wakes the listener's poll at Stop
  std::thread send_thread_, listen_thread_;
};

}  // namespace soporte::storage
