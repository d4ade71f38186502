#include "storage/postgres/pg_live_relay.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <utility>

#include "storage/postgres/live_note_codec.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage {
namespace pg = pg_internal;

namespace {

constexpr std::string_view kChannelPrefix = "soporte_live_";
constexpr std::size_t kMaxIdentifier = 63;  // NAMEDATALEN - 1
constexpr std::size_t kMaxNodesRemembered = 1024;

// 16 random hex digits: a new id per process (a restarted node counts its notes from 1 again).
std::string NewNodeId() {
  std::random_device rd;
  char out[17];
  std::snprintf(out, sizeof out, "%08x%08x", rd(), rd());
  return out;
}

// The text of a PostgreSQL array literal holding `items` in order.
std::string ArrayLiteral(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// What a log line may show of a payload nobody vouches for: 40 bytes, printable ASCII only.
std::string Shown(const std::string& payload) {
  std::string out;
  for (char c : payload.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return payload.size() > 40 ? out + "…" : out;
}

}  // namespace

std::string PostgresLiveRelay::ChannelOf(const std::string& schema) {
  std::string channel(kChannelPrefix);
  if (channel.size() + schema.size() <= kMaxIdentifier) return channel + schema;
  // FNV-1a of the whole name keeps two long names with one prefix apart.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : schema) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  const std::size_t keep = kMaxIdentifier - channel.size() - 1 - 16;
  return channel + schema.substr(0, keep) + "_" + hex;
}

Result<std::unique_ptr<pg::PgConn>> PostgresLiveRelay::ConnectListener(const std::string& url,
                                                                       const std::string& schema,
                                                                       const std::string& node,
                                                                       const std::string& channel) {
  SOPORTE_TRY(conn, pg::PgConn::Connect(url, schema));
  SOPORTE_TRY_STATUS(conn->Exec("SET application_name TO 'soporte-listen-" + node + "'"));
  SOPORTE_TRY_STATUS(conn->Exec("LISTEN " + pg::QuoteIdent(channel)));
  return conn;
}

Result<std::unique_ptr<PostgresLiveRelay>> PostgresLiveRelay::Open(
    const std::string& url, PostgresLiveRelayOptions options) {
  if (options.queue_limit < 1 || options.batch_limit < 1 || options.backoff_min.count() < 1 ||
      options.backoff_max < options.backoff_min || options.heartbeat.count() < 1)
    return Fail(ErrorCode::kInvalidArgument,
                "live relay: queue_limit, batch_limit, backoff and heartbeat must be positive "
                "(backoff_max at least backoff_min)");
  std::string node = NewNodeId();
  std::string schema = options.schema;
  SOPORTE_TRY(listener, pg::PgConn::Connect(url, schema));  // checks the schema's name
  if (schema.empty()) {
    // The schema the desk's tables are in: the search_path's first (the URL may set it).
    SOPORTE_TRY(rows, listener->Query("SELECT current_schema()"));
    if (rows.empty() || rows.IsNull(0, 0))
      return Fail(ErrorCode::kFailedPrecondition,
                  "live relay: the connection has no current schema (check the search_path)");
    schema = rows.Text(0, 0);
  }
  const std::string channel = ChannelOf(schema);
  SOPORTE_TRY_STATUS(listener->Exec("SET application_name TO 'soporte-listen-" + node + "'"));
  SOPORTE_TRY_STATUS(listener->Exec("LISTEN " + pg::QuoteIdent(channel)));
  return std::unique_ptr<PostgresLiveRelay>(new PostgresLiveRelay(
      url, std::move(options), channel, std::move(node), std::move(listener)));
}

PostgresLiveRelay::PostgresLiveRelay(std::string url, PostgresLiveRelayOptions options,
                                     std::string channel, std::string node,
                                     std::unique_ptr<pg::PgConn> listener)
    : url_(std::move(url)),
      options_(std::move(options)),
      channel_(std::move(channel)),
      node_(std::move(node)),
      listener_(std::move(listener)),
      wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

PostgresLiveRelay::~PostgresLiveRelay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (wake_fd_ >= 0) {
    const std::uint64_t one = 1;
    (void)::write(wake_fd_, &one, sizeof one);
  }
  if (send_thread_.joinable()) send_thread_.join();
  if (listen_thread_.joinable()) listen_thread_.join();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void PostgresLiveRelay::Start(app::LiveReceiver& receiver) {
  receiver_ = &receiver;
  send_thread_ = std::thread([this] { SendLoop(); });
  listen_thread_ = std::thread([this] { ListenLoop(); });
}

void PostgresLiveRelay::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

PostgresLiveRelay::Stats PostgresLiveRelay::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void PostgresLiveRelay::Send(const app::LiveNote& note) {
  std::string log_line;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (queue_.size() >= options_.queue_limit) {
      // Its seq is used up all the same: the receivers see the gap at the next note (and
      // resync).
      ++next_seq_;
      ++stats_.dropped;
      if (!dropping_) {
        dropping_ = true;
        log_line = "live relay: " + std::to_string(options_.queue_limit) +
                   " notes waiting to be sent; dropping notes until the queue drains";
      }
    } else {
      auto text = pg::EncodeLiveNote(pg::RelayedNote{node_, next_seq_, note});
      if (!text) {
        log_line = "live relay: a note cannot be sent: " + text.error().message;
      } else {
        ++next_seq_;
        queue_.push_back(std::move(*text));
        dropping_ = false;
      }
    }
  }
  if (!log_line.empty()) Log(log_line);
  cv_.notify_one();
}

bool PostgresLiveRelay::Pause(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  return !cv_.wait_for(lock, d, [this] { return stopping_; });
}

void PostgresLiveRelay::SendLoop() {
  std::vector<std::string> batch;
  int failures = 0;  // of this batch
  auto backoff = options_.backoff_min;
  for (;;) {
    bool stopping = false;
    if (batch.empty()) {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      stopping = stopping_;
      if (queue_.empty()) return;  // stopping, nothing left
      while (!queue_.empty() && batch.size() < options_.batch_limit) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      failures = 0;
    } else {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    if (!sender_) {
      auto conn = pg::PgConn::Connect(url_, options_.schema);
      if (conn) {
        sender_ = std::move(*conn);
        (void)sender_->Exec("SET application_name TO 'soporte-notify-" + node_ + "'");
        backoff = options_.backoff_min;
      } else if (stopping) {
        std::lock_guard lock(mutex_);
        stats_.dropped += batch.size() + queue_.size();
        queue_.clear();
        return;
      } else {
        if (backoff == options_.backoff_min)
          Log("live relay: cannot connect to send notes: " + conn.error().message);
        (void)Pause(backoff);
        backoff = std::min(backoff * 2, options_.backoff_max);
        continue;
      }
    }
    pg::PgParams params;
    params.Add(channel_).Add(ArrayLiteral(batch));
    auto sent = sender_->Query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", params);
    if (sent) {
      std::lock_guard lock(mutex_);
      stats_.sent += batch.size();
      batch.clear();
      continue;
    }
    sender_.reset();  // its state is unknown: the next try connects afresh
    if (++failures >= 2 || stopping) {
      Log("live relay: " + std::to_string(batch.size()) +
          " notes dropped, sending failed twice: " + sent.error().message);
      std::lock_guard lock(mutex_);
      stats_.dropped += batch.size();
      batch.clear();
    }
  }
}

void PostgresLiveRelay::ListenLoop() {
  auto backoff = options_.backoff_min;
  bool logged_outage = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (!listener_) {
      auto conn = ConnectListener(url_, options_.schema, node_, channel_);
      if (!conn) {
        if (!logged_outage)
          Log("live relay: cannot listen for other nodes' events: " + conn.error().message +
              "; retrying");
        logged_outage = true;
        if (!Pause(backoff)) return;
        backoff = std::min(backoff * 2, options_.backoff_max);
        continue;
      }
      listener_ = std::move(*conn);
      backoff = options_.backoff_min;
      logged_outage = false;
      Log("live relay: listening again on " + channel_ + "; live views resync");
      last_seq_.clear();
      {
        std::lock_guard lock(mutex_);
        ++stats_.resyncs;
      }
      receiver_->OnResync();
    }
    if (!Pump()) continue;
    pollfd fds[2] = {{listener_->socket(), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    const int n = ::poll(fds, 2, static_cast<int>(options_.heartbeat.count()));
    if (n < 0) continue;                // EINTR: look again
    if (fds[1].revents != 0) continue;  // Stop: the loop's head returns
    if (n == 0) {
      // Idle: a connection lost without a word (a dead peer) shows only when used.
      if (!listener_->Exec("SELECT 1")) {
        Log("live relay: the listening connection is lost; reconnecting");
        listener_.reset();
      }
    }
  }
}

bool PostgresLiveRelay::Pump() {
  auto got = listener_->TakeNotifications();
  if (!got) {
    Log("live relay: the listening connection is lost (" + got.error().message + "); reconnecting");
    listener_.reset();
    return false;
  }
  for (const auto& n : *got)
    if (n.channel == channel_) Deliver(n.payload);
  if (listener_->broken()) {
    Log("live relay: the listening connection is lost; reconnecting");
    listener_.reset();
    return false;
  }
  return true;
}

void PostgresLiveRelay::Deliver(const std::string& payload) {
  auto note = pg::DecodeLiveNote(payload);
  if (!note) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.malformed;
    }
    Log("live relay: malformed note dropped (" + note.error().message + "): " + Shown(payload));
    return;
  }
  if (note->node == node_) return;  // our own, back from the server
  if (last_seq_.size() >= kMaxNodesRemembered && !last_seq_.contains(note->node))
    last_seq_.clear();  // restarted nodes leave old ids behind: forget them all
  std::int64_t& last = last_seq_[note->node];
  if (last != 0) {
    if (note->seq <= last) return;  // a repeat (a batch sent again)
    if (note->seq > last + 1) {
      Log("live relay: node " + note->node + " skipped " + std::to_string(note->seq - last - 1) +
          " notes; live views resync");
      {
        std::lock_guard lock(mutex_);
        ++stats_.resyncs;
      }
      receiver_->OnResync();
    }
  }
  last = note->seq;
  {
    std::lock_guard lock(mutex_);
    ++stats_.received;
  }
  receiver_->OnNote(note->note);
}

}  // namespace soporte::storage
