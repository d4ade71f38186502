// The HTTP server's inside, shared by its three files: the listener (server.cpp: accept,
// spread connections over the io threads, stop), the session loop (server_session.cpp: read a
// request, route it, run its handler) and the response writer (server_write.cpp: string, file
// and streamed bodies within the write deadline). Not part of the transport's interface: only
// those three files include it.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "transport/http/metrics.hpp"
#include "transport/http/response.hpp"
#include "transport/http/router.hpp"
#include "transport/http/server.hpp"

namespace soporte::transport::http {

namespace server_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

inline constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// The metrics slot for unparseable or unknown methods.
inline constexpr std::size_t kOtherVerb = kVerbCount;

// Per (route, verb) metric series, created at Listen (histogram) or on first use of a status
// (counter), then reached without locks.
struct RouteStats {
  std::string name;
  std::string method;
  Metrics::Histogram* latency = nullptr;
  std::array<std::atomic<Metrics::Counter*>, 500> by_status{};  // 100..599

  void Record(Metrics::CounterFamily& family, int status, double seconds) {
    const int clamped = status < 100 ? 100 : status > 599 ? 599 : status;
    auto& slot = by_status[static_cast<std::size_t>(clamped - 100)];
    Metrics::Counter* c = slot.load(std::memory_order_acquire);
    if (c == nullptr) {
      c = &family.WithLabels({std::string_view(name), std::string_view(method),
                              std::string_view(std::to_string(clamped))});
      slot.store(c, std::memory_order_release);
    }
    c->Increment();
    latency->Observe(seconds);
  }
};

// A request whose handler asked for a WebSocket (Response::upgrade): kept here from the moment
// ServeRequest has answered it until the handshake is accepted, so the WebSocket runs after
// ServeRequest has returned and its coroutine frame (the request, the response, the parsers:
// kilobytes) is not held for the connection's whole life.
struct PendingUpgrade {
  bhttp::request<bhttp::string_body> request;
  WebSocketHandler handler;
};

struct Session {
  explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::string remote;  // the peer's address
  std::string client;  // the current request's client (remote, or as a trusted proxy says)
  bool counted_per_address = false;         // counted in Impl::per_address (not a trusted proxy)
  bool idle = true;                         // touched only on the session's strand
  std::unique_ptr<PendingUpgrade> upgrade;  // set by ServeRequest, taken by RunWebSocket
};

}  // namespace server_detail

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  using Clock = server_detail::Clock;
  using RouteStats = server_detail::RouteStats;
  using Session = server_detail::Session;

  Impl(boost::asio::io_context& io, Router& r, ServerLimits l, Metrics& m, AccessLogSink access,
       LogSink error)
      : ioc(io),
        router(r),
        limits(l),
        metrics(m),
        access_log(std::move(access)),
        error_log(std::move(error)),
        requests(m.AddCounter("soporte_http_requests_total", "HTTP requests answered",
                              {"route", "method", "status"})),
        latency(m.AddHistogram("soporte_http_request_duration_seconds",
                               "Time from the first byte of a request to its response written",
                               {"route"}, Metrics::LatencyBuckets())) {}

  boost::asio::io_context& ioc;
  std::vector<boost::asio::io_context*> session_contexts;  // empty: sessions run on `ioc`
  std::size_t next_context = 0;                            // touched only by the accept loop
  Router& router;
  const ServerLimits limits;
  Metrics& metrics;
  AccessLogSink access_log;
  LogSink error_log;
  Metrics::CounterFamily requests;
  Metrics::HistogramFamily latency;

  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  // The accept loop's pause after a failed accept (server.cpp); on the acceptor's strand, like it.
  std::optional<boost::asio::steady_timer> accept_pause;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connection_count{0};
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  std::unordered_map<std::string, std::size_t> per_address;  // under sessions_mutex

  std::vector<std::unique_ptr<RouteStats>> route_stats;  // by Route::index
  // HEAD answered by a GET route: the same route label, method "HEAD"; by Route::index, null
  // for routes that are not GET.
  std::vector<std::unique_ptr<RouteStats>> head_stats;
  std::array<std::unique_ptr<RouteStats>, kVerbCount + 1> unmatched;  // 400/404/405/501 by verb

  void LogError(std::string_view line) {
    if (error_log)
      error_log(line);
    else
      std::fprintf(stderr, "http: %.*s\n", static_cast<int>(line.size()), line.data());
  }

  void InitStats() {
    auto make = [&](std::string name, std::string method) {
      auto s = std::make_unique<RouteStats>();
      s->latency = &latency.WithLabels({std::string_view(name)});
      s->name = std::move(name);
      s->method = std::move(method);
      return s;
    };
    for (const auto& r : router.routes()) {
      route_stats.push_back(make(r->options.name, std::string(VerbName(r->verb))));
      head_stats.push_back(r->verb == Verb::kGet ? make(r->options.name, "HEAD") : nullptr);
    }
    for (std::size_t v = 0; v < kVerbCount; ++v)
      unmatched[v] = make("unmatched", std::string(VerbName(static_cast<Verb>(v))));
    unmatched[server_detail::kOtherVerb] = make("unmatched", "OTHER");
  }

  boost::asio::awaitable<void> Accept();
  boost::asio::awaitable<void> RunSession(std::shared_ptr<Session> s);
  template <class Parser>
  boost::asio::awaitable<bool> ServeRequest(Session& s, Parser& header_parser,
                                            Clock::time_point start);
  // `head_request`: the status and headers only (the answer to a HEAD, errors included).
  boost::asio::awaitable<bool> Write(Session& s, Response& res, unsigned version, bool keep_alive,
                                     bool api, bool head_request, int& status_out);
  // Accepts the WebSocket handshake of `s.upgrade` on the session's stream and runs its handler
  // until it returns (server_websocket.cpp); `s.upgrade` is freed once the handshake is done.
  // By reference: g++ 12 destroys by-value coroutine arguments twice. The connection is done
  // afterwards.
  boost::asio::awaitable<void> RunWebSocket(Session& s);
};

}  // namespace soporte::transport::http
