// HttpServer: the listener and the keep-alive HTTP/1.1 sessions (C++20 coroutines on one
// io_context, which the caller runs on N threads). It reads a request within limits and
// deadlines, routes it through a Router, awaits the handler, adds the security headers, writes
// the response and records metrics. It owns nothing global and no business logic.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "common/result.hpp"
#include "transport/http/metrics.hpp"
#include "transport/http/client_address.hpp"
#include "transport/http/router.hpp"

namespace soporte::transport::http {

// Every session has a limit and a deadline (DESIGN.md). Defaults suit production; tests shrink
// the deadlines.
struct ServerLimits {
  std::size_t header_limit = 16 * 1024;      // request line + headers; past it: 431, close
  std::uint64_t body_limit = 1024 * 1024;    // default per route (RouteOptions::body_limit)
  // Ordinary routes: the whole request (headers + body) must arrive within it, else the
  // connection is closed (a passed deadline closes the socket, so no 408 can be written).
  // Streaming routes: the headers within it, then each BodyReader::Read within it.
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};   // keep-alive wait for the next request
  // A new connection's wait for its first byte: short, so idle sockets cannot pile up.
  std::chrono::milliseconds first_request_timeout{10'000};
  std::chrono::milliseconds write_timeout{30'000};  // writing one response
  std::size_t max_connections = 16384;              // past it new connections are closed at once
  // Connections from one client address (a trusted proxy is exempt: it carries everyone's);
  // past it that address's new connections are closed at once, everyone else is still served.
  std::size_t max_connections_per_address = 256;
  // Peers whose X-Forwarded-For is believed (client_address.hpp); empty: nobody's.
  TrustedProxies trusted_proxies;
};

// Receives one line per request (access log) or per unexpected failure (error log).
// Called on io threads; must be cheap and thread-safe.
using LogSink = std::function<void(std::string_view)>;

// What the access log learns of one answered request. Never a body, a query string, a header
// value or a credential: the route is the matched template ("/api/v1/tickets/{number}"), "-" when
// no route matched. Views valid only during the call.
struct AccessRecord {
  std::string_view method;
  std::string_view route;
  int status = 0;
  double duration_ms = 0;
  std::int64_t user_id = 0;  // the authenticated caller (Request::user_id); 0: anonymous
  std::string_view request_id;
  std::string_view client;  // the client address (after --trusted-proxy)
};
// Receives one AccessRecord per request; on io threads, so cheap and thread-safe.
using AccessLogSink = std::function<void(const AccessRecord&)>;

class HttpServer {
 public:
  // `ioc`, `router` and `metrics` must outlive the server, and the server must outlive every
  // thread running `ioc` (destroy it after run() has returned). Registers
  // soporte_http_requests_total{route,method,status} and
  // soporte_http_request_duration_seconds{route} in `metrics`. `error_log` defaults to stderr.
  HttpServer(boost::asio::io_context& ioc, Router& router, ServerLimits limits, Metrics& metrics,
             AccessLogSink access_log = nullptr, LogSink error_log = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Runs each new connection on the next of `contexts` in turn instead of on `ioc` (which then
  // only accepts). Each context should have one thread of its own: a connection's reads, writes
  // and handlers then stay on one thread, with no hand-off between threads sharing one reactor
  // (a futex wake-up per request, measured with strace). The contexts must outlive the server
  // and keep running until every session ended after Stop(). Call before Listen.
  void SpreadSessions(std::vector<boost::asio::io_context*> contexts);

  // Binds `host` (an IP literal, e.g. "127.0.0.1" or "::") and `port` (0 picks a free one),
  // starts accepting, and returns the bound endpoint. Routes must all be added before. Fails
  // with kInvalidArgument for a host that is not an IP address, kUnavailable when the bind or
  // listen fails (port taken). Call once, before or while `ioc` runs.
  Result<boost::asio::ip::tcp::endpoint> Listen(std::string_view host, std::uint16_t port);

  // Graceful stop: stops accepting, closes idle keep-alive sessions, and lets each busy session
  // finish its current request (answered with Connection: close). Returns at once; `ioc.run()`
  // returns when the last session ends (if nothing else keeps it busy). Thread-safe, idempotent.
  void Stop();

  // Open connections right now. Thread-safe.
  std::size_t connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace soporte::transport::http
