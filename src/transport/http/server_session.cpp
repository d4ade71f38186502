// A connection's keep-alive loop: waits for a request within the idle deadline, reads its
// header within the limits, routes it, reads its body (whole, or streamed to the handler through
// a BodyReader), runs the handler once, then writes the answer (server_write.cpp) and records
// its metrics and access-log line.
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <fmt/format.h>

#include "transport/http/error_mapping.hpp"
#include "transport/http/server_impl.hpp"
#include "transport/http/utf8.hpp"

namespace soporte::transport::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using server_detail::Clock;
using server_detail::kOtherVerb;
using server_detail::kTuple;
using server_detail::Session;

namespace {

std::optional<Verb> ToVerb(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get: return Verb::kGet;
    case bhttp::verb::head: return Verb::kHead;
    case bhttp::verb::post: return Verb::kPost;
    case bhttp::verb::put: return Verb::kPut;
    case bhttp::verb::patch: return Verb::kPatch;
    case bhttp::verb::delete_: return Verb::kDelete;
    case bhttp::verb::options: return Verb::kOptions;
    default: return std::nullopt;
  }
}

bool IsApiPath(std::string_view path) { return path.starts_with("/api/"); }

// application/json or any +json type, parameters (charset) allowed, case-insensitive.
bool IsJsonMediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  if (EqualsIgnoreCase(type, "application/json")) return true;
  return type.size() > 5 && EqualsIgnoreCase(type.substr(type.size() - 5), "+json") &&
         EqualsIgnoreCase(type.substr(0, 12), "application/");
}

// Streams a request body into caller buffers (RouteOptions::streaming).
class StreamBodyReader final : public BodyReader {
 public:
  StreamBodyReader(Session& s, bhttp::request_parser<bhttp::buffer_body>& parser,
                   std::chrono::milliseconds timeout)
      : s_(s), parser_(parser), timeout_(timeout), done_(parser.is_done()) {}

  asio::awaitable<Result<std::size_t>> Read(std::span<char> buffer) override {
    if (failed_) co_return Fail(ErrorCode::kInvalidArgument, "the request body already failed");
    if (parser_.is_done())
      done_ = true;  // reading on a finished parser would wait for the next request
    if (done_ || buffer.empty()) co_return std::size_t{0};
    auto& body = parser_.get().body();
    for (;;) {
      body.data = buffer.data();
      body.size = buffer.size();
      body.more = true;
      s_.stream.expires_after(timeout_);
      auto [ec, n] = co_await bhttp::async_read_some(s_.stream, s_.buffer, parser_, kTuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) {
        failed_ = true;
        if (ec == bhttp::error::body_limit)
          co_return Fail(ErrorCode::kTooLarge, "the request body exceeds this route's limit");
        if (ec == beast::error::timeout)
          co_return Fail(ErrorCode::kUnavailable, "timed out reading the request body");
        if (ec.category() == bhttp::make_error_code(bhttp::error::bad_chunk).category() &&
            ec != bhttp::error::end_of_stream)
          co_return Fail(ErrorCode::kInvalidArgument, "malformed request body: " + ec.message());
        co_return Fail(ErrorCode::kUnavailable, "reading the request body: " + ec.message());
      }
      const std::size_t got = buffer.size() - body.size;
      if (parser_.is_done() && got == 0) done_ = true;
      if (got > 0) co_return got;
      if (done_) co_return std::size_t{0};
    }
  }
  bool done() const override { return done_; }
  bool failed() const { return failed_; }

 private:
  Session& s_;
  bhttp::request_parser<bhttp::buffer_body>& parser_;
  std::chrono::milliseconds timeout_;
  bool done_;
  bool failed_ = false;
};

}  // namespace

asio::awaitable<void> HttpServer::Impl::RunSession(std::shared_ptr<Session> s) {
  struct Cleanup {
    Impl* impl;
    Session* s;
    ~Cleanup() {
      {
        std::lock_guard lock(impl->sessions_mutex);
        impl->sessions.erase(s);
        if (s->counted_per_address) {
          if (auto it = impl->per_address.find(s->remote);
              it != impl->per_address.end() && --it->second == 0) {
            impl->per_address.erase(it);
          }
        }
      }
      impl->connection_count.fetch_sub(1);
    }
  } cleanup{this, s.get()};
  for (bool first = true;; first = false) {
    s->idle = true;
    if (stopping.load()) break;
    if (s->buffer.size() == 0) {
      // Keep-alive wait: the idle deadline covers the gap until the next request's first byte
      // (a new connection gets the shorter first-request deadline).
      s->stream.expires_after(first ? limits.first_request_timeout : limits.idle_timeout);
      auto [ec, n] = co_await s->stream.async_read_some(s->buffer.prepare(4096), kTuple);
      if (ec) break;  // peer closed, idle timeout, or Stop() cancelled us
      s->buffer.commit(n);
    }
    s->idle = false;
    s->client = s->remote;  // until this request's headers say otherwise (trusted proxy)
    const auto start = Clock::now();
    s->stream.expires_after(limits.read_timeout);
    bhttp::request_parser<bhttp::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(boost::none);  // checked per route once the route is known
    auto [ec, header_bytes] =
        co_await bhttp::async_read_header(s->stream, s->buffer, parser, kTuple);
    if (ec) {
      if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset || ec == asio::error::eof)
        break;
      // A passed deadline has already closed the socket (beast::tcp_stream): nothing to answer.
      if (ec == beast::error::timeout) break;
      Response err = ec == bhttp::error::header_limit
                         ? ErrorResponse(431, ErrorCode::kTooLarge, "request headers too large")
                         : ErrorResponse(400, ErrorCode::kInvalidArgument,
                                         "malformed request: " + ec.message());
      int status = 0;
      co_await Write(*s, err, 11, false, false, parser.get().method() == bhttp::verb::head, status);
      unmatched[kOtherVerb]->Record(requests, status,
                                    std::chrono::duration<double>(Clock::now() - start).count());
      break;
    }
    const bool keep_going = co_await ServeRequest(*s, parser, start);
    if (s->upgrade) {
      co_await RunWebSocket(*s);  // after ServeRequest's frame is gone
      break;
    }
    if (!keep_going) break;
  }
  beast::error_code ignored;
  s->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  s->stream.socket().close(ignored);
}

// Serves one request whose header is parsed. Returns whether the connection stays open.
template <class Parser>
asio::awaitable<bool> HttpServer::Impl::ServeRequest(Session& s, Parser& header_parser,
                                                     Clock::time_point start) {
  const auto& head = header_parser.get();
  const unsigned version = head.version();
  const std::string request_id = RequestIdOf(std::string_view(head["X-Request-Id"]));
  std::string_view target(head.target().data(), head.target().size());
  const std::size_t qpos = target.find('?');
  std::string_view path = target.substr(0, qpos);
  const bool api = IsApiPath(path);
  std::optional<Verb> verb = ToVerb(head.method());
  const bool head_request = verb == Verb::kHead;  // answered without a body, whatever the status

  Request req;
  Response res;
  RouteStats* stats = unmatched[verb ? static_cast<std::size_t>(*verb) : kOtherVerb].get();
  // Early answers (before the body is read) keep the connection only if there is no body.
  bool keep_alive = head.keep_alive() && header_parser.is_done();
  bool answered = false;
  RouteMatch match;
  if (!verb) {
    // RFC 9110 §15.6.2: a method the server does not recognise for any resource is a 501, not
    // a 405 (which would need an Allow for this resource).
    res = ErrorResponse(
        501, ErrorCode::kNotImplemented,
        fmt::format("method '{}' is not implemented (method names are case-sensitive: "
                    "GET, HEAD, POST, PUT, PATCH, DELETE)",
                    std::string_view(head.method_string().data(), head.method_string().size())));
    answered = true;
  } else if (!PercentDecodesToUtf8(path)) {
    // Path parameters are decoded and quoted back ("no organisation '…'"): reject bytes that are
    // not text here, once, rather than in every handler.
    res = ErrorResponse(400, ErrorCode::kInvalidArgument,
                        "the request path is not valid UTF-8 once percent-decoded");
    answered = true;
  } else {
    match = router.Match(*verb, path, req.path_params);
    if (match.kind == RouteMatch::Kind::kNotFound) {
      res = ErrorResponse(404, ErrorCode::kNotFound, "no such resource");
      answered = true;
    } else if (match.kind == RouteMatch::Kind::kMethodNotAllowed) {
      res = ErrorResponse(405, ErrorCode::kInvalidArgument, "method not allowed here");
      res.AddHeader("Allow", std::string(match.allow));
      answered = true;
    }
  }
  std::uint64_t limit = 0;
  if (!answered) {
    stats = head_request && match.route->verb == Verb::kGet ? head_stats[match.route->index].get()
                                                            : route_stats[match.route->index].get();
    limit = match.route->options.body_limit ? match.route->options.body_limit : limits.body_limit;
    if (auto cl = header_parser.content_length(); cl && *cl > limit) {
      res = ErrorResponse(413, ErrorCode::kTooLarge,
                          fmt::format("request body over the limit of {} bytes", limit));
      answered = true;
    } else if (qpos != std::string_view::npos) {
      if (auto parsed = ParseQueryString(target.substr(qpos + 1), req.query_params); !parsed) {
        res = ErrorResponse(parsed.error());
        answered = true;
      }
    }
  }
  if (!answered && !header_parser.is_done() &&
      EqualsIgnoreCase(std::string_view(head[bhttp::field::expect]), "100-continue")) {
    bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
    s.stream.expires_after(limits.write_timeout);
    auto [ec, n] = co_await bhttp::async_write(s.stream, cont, kTuple);
    if (ec) co_return false;
  }

  auto fill_head = [&](const auto& msg) {
    req.method = *verb;
    req.target = std::string_view(msg.target().data(), msg.target().size());
    req.path = req.target.substr(0, req.target.find('?'));
    req.route = match.route->options.name;
    req.headers.reserve(16);
    for (const auto& f : msg)
      req.headers.emplace_back(std::string_view(f.name_string().data(), f.name_string().size()),
                               std::string_view(f.value().data(), f.value().size()));
    if (!limits.trusted_proxies.empty()) {
      auto xff = msg.find("X-Forwarded-For");
      if (xff != msg.end()) {
        s.client =
            ClientAddress(s.remote, std::string_view(xff->value().data(), xff->value().size()),
                          limits.trusted_proxies);
      }
    }
    req.remote_address = s.client;
  };
  auto run_handler = [&]() -> asio::awaitable<void> {
    try {
      res = co_await match.route->handler(req);
    } catch (const std::exception& e) {
      // The one place a handler's exception is caught (DESIGN.md): log it, never send it.
      LogError(fmt::format("handler {} {} threw: {}", VerbName(*verb), req.route, e.what()));
      res = ErrorResponse(500, ErrorCode::kInternal, "internal error");
    } catch (...) {
      LogError(fmt::format("handler {} {} threw a non-exception", VerbName(*verb), req.route));
      res = ErrorResponse(500, ErrorCode::kInternal, "internal error");
    }
  };

  // One access-log line: the route template, never the raw target (its query may hold a token).
  auto log_access = [&](int status, std::int64_t user_id) {
    if (!access_log) return;
    AccessRecord r;
    r.method = std::string_view(head.method_string().data(), head.method_string().size());
    r.route = match.route != nullptr ? std::string_view(match.route->options.name) : "-";
    r.status = status;
    r.duration_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    r.user_id = user_id;
    r.request_id = request_id;
    r.client = s.client;
    access_log(r);
  };

  if (!answered && !match.route->options.streaming) {
    bhttp::request_parser<bhttp::string_body> parser(std::move(header_parser));
    parser.body_limit(limit);
    auto [ec, n] = co_await bhttp::async_read(s.stream, s.buffer, parser, kTuple);
    if (ec) {
      if (ec == bhttp::error::body_limit)
        res = ErrorResponse(413, ErrorCode::kTooLarge,
                            fmt::format("request body over the limit of {} bytes", limit));
      else if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
               ec == asio::error::connection_reset)
        co_return false;  // the deadline closed the socket, or the peer left
      else
        res = ErrorResponse(400, ErrorCode::kInvalidArgument, "malformed request body");
      keep_alive = false;
    } else if (api && !parser.get().body().empty() &&
               !IsJsonMediaType(std::string_view(parser.get()[bhttp::field::content_type]))) {
      // The API's bodies are JSON (uploads are streaming routes and check their own type).
      res = ErrorResponse(415, ErrorCode::kUnsupportedMedia,
                          "the request body must be sent as Content-Type: application/json");
      keep_alive = parser.get().keep_alive();
    } else {
      fill_head(parser.get());
      req.body = std::move(parser.get().body());
      keep_alive = parser.get().keep_alive();
      co_await run_handler();
      if (res.upgrade && beast::websocket::is_upgrade(parser.get()) && !stopping.load()) {
        stats->Record(requests, 101, std::chrono::duration<double>(Clock::now() - start).count());
        log_access(101, req.user_id);  // before the view into `head` goes with the parser
        // RunSession runs the WebSocket once this frame is gone (PendingUpgrade).
        s.upgrade = std::make_unique<server_detail::PendingUpgrade>(
            server_detail::PendingUpgrade{parser.release(), std::move(res.upgrade)});
        co_return false;
      }
    }
    int status = 0;
    TagRequestId(res, request_id);
    const bool ok =
        co_await Write(s, res, version, keep_alive && !stopping.load(), api, head_request, status);
    stats->Record(requests, status, std::chrono::duration<double>(Clock::now() - start).count());
    log_access(status, req.user_id);
    co_return (ok && keep_alive && !stopping.load());
  }
  if (!answered) {  // streaming route
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(header_parser));
    parser.body_limit(limit);
    StreamBodyReader reader(s, parser, limits.read_timeout);
    fill_head(parser.get());
    req.body_reader = &reader;
    keep_alive = parser.get().keep_alive();
    co_await run_handler();
    // An unread or failed body leaves the stream mid-message: answer, then close.
    if (!reader.done() || reader.failed()) keep_alive = false;
    int status = 0;
    TagRequestId(res, request_id);
    const bool ok =
        co_await Write(s, res, version, keep_alive && !stopping.load(), api, head_request, status);
    stats->Record(requests, status, std::chrono::duration<double>(Clock::now() - start).count());
    log_access(status, req.user_id);
    co_return (ok && keep_alive && !stopping.load());
  }
  // Answered before reading the body.
  int status = 0;
  TagRequestId(res, request_id);
  const bool ok =
      co_await Write(s, res, version, keep_alive && !stopping.load(), api, head_request, status);
  stats->Record(requests, status, std::chrono::duration<double>(Clock::now() - start).count());
  log_access(status, 0);
  co_return (ok && keep_alive && !stopping.load());
}

}  // namespace soporte::transport::http
