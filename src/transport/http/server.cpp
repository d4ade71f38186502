#include "transport/http/server.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "common/check.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/response_wire.hpp"
#include "transport/http/utf8.hpp"

namespace soporte::transport::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kOtherVerb = kVerbCount;  // metrics slot for unparseable/unknown methods

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

struct Session {
  explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::string remote;
  bool idle = true;  // touched only on the session's strand
};

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

// Adds the headers every response carries (security headers, Server, Cache-Control on /api/).
template <class Body>
void ApplyHeaders(bhttp::response<Body>& out, const Response& res, bool api) {
  for (const auto& [name, value] : kFixedHeaders) out.set(name, value);
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  if (AddsNoStore(res, api)) out.set(bhttp::field::cache_control, "no-store");
}

// Streams a request body into caller buffers (RouteOptions::streaming).
class StreamBodyReader final : public BodyReader {
 public:
  StreamBodyReader(Session& s, bhttp::request_parser<bhttp::buffer_body>& parser,
                   std::chrono::milliseconds timeout)
      : s_(s), parser_(parser), timeout_(timeout), done_(parser.is_done()) {}

  asio::awaitable<Result<std::size_t>> Read(std::span<char> buffer) override {
    if (failed_) co_return Fail(ErrorCode::kInvalidArgument, "the request body already failed");
    if (parser_.is_done()) done_ = true;  // reading on a finished parser would wait for the next request
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

struct HttpServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& io, Router& r, ServerLimits l, Metrics& m, LogSink access, LogSink error)
      : ioc(io), router(r), limits(l), metrics(m), access_log(std::move(access)),
        error_log(std::move(error)),
        requests(m.AddCounter("soporte_http_requests_total", "HTTP requests answered",
                              {"route", "method", "status"})),
        latency(m.AddHistogram("soporte_http_request_duration_seconds",
                               "Time from the first byte of a request to its response written",
                               {"route"}, Metrics::LatencyBuckets())) {}

  asio::io_context& ioc;
  std::vector<asio::io_context*> session_contexts;  // empty: sessions run on `ioc`
  std::size_t next_context = 0;                     // touched only by the accept loop
  Router& router;
  const ServerLimits limits;
  Metrics& metrics;
  LogSink access_log;
  LogSink error_log;
  Metrics::CounterFamily requests;
  Metrics::HistogramFamily latency;

  std::optional<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connection_count{0};
  std::mutex sessions_mutex;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  std::vector<std::unique_ptr<RouteStats>> route_stats;                 // by Route::index
  // HEAD answered by a GET route: the same route label, method "HEAD"; by Route::index, null
  // for routes that are not GET.
  std::vector<std::unique_ptr<RouteStats>> head_stats;
  std::array<std::unique_ptr<RouteStats>, kVerbCount + 1> unmatched;  // 400/404/405/501 by verb

  void LogError(std::string_view line) {
    if (error_log) error_log(line);
    else std::fprintf(stderr, "http: %.*s\n", static_cast<int>(line.size()), line.data());
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
    unmatched[kOtherVerb] = make("unmatched", "OTHER");
  }

  asio::awaitable<void> Accept();
  asio::awaitable<void> RunSession(std::shared_ptr<Session> s);
  template <class Parser>
  asio::awaitable<bool> ServeRequest(Session& s, Parser& header_parser, Clock::time_point start);
  // `head_request`: the status and headers only (the answer to a HEAD, errors included).
  asio::awaitable<bool> Write(Session& s, Response& res, unsigned version, bool keep_alive,
                              bool api, bool head_request, int& status_out);
};

asio::awaitable<void> HttpServer::Impl::Accept() {
  for (;;) {
    asio::io_context& home = session_contexts.empty()
                                 ? ioc
                                 : *session_contexts[next_context++ % session_contexts.size()];
    auto [ec, socket] = co_await acceptor->async_accept(asio::make_strand(home), kTuple);
    if (stopping.load()) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) co_return;
      LogError(fmt::format("accept: {}", ec.message()));  // e.g. EMFILE: keep accepting
      continue;
    }
    if (connection_count.load() >= limits.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // over the limit: refuse fast rather than queue
      continue;
    }
    connection_count.fetch_add(1);
    beast::error_code opt_ec;
    socket.set_option(tcp::no_delay(true), opt_ec);
    auto session = std::make_shared<Session>(std::move(socket));
    auto ep = session->stream.socket().remote_endpoint(opt_ec);
    if (!opt_ec) session->remote = ep.address().to_string();
    {
      std::lock_guard lock(sessions_mutex);
      sessions.emplace(session.get(), session);
    }
    auto executor = session->stream.get_executor();
    asio::co_spawn(executor, RunSession(session),
                   [self = shared_from_this()](std::exception_ptr e) {
                     if (!e) return;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       self->LogError(fmt::format("session ended by exception: {}", ex.what()));
                     } catch (...) {
                       self->LogError("session ended by an unknown exception");
                     }
                   });
  }
}

asio::awaitable<void> HttpServer::Impl::RunSession(std::shared_ptr<Session> s) {
  struct Cleanup {
    Impl* impl;
    Session* s;
    ~Cleanup() {
      {
        std::lock_guard lock(impl->sessions_mutex);
        impl->sessions.erase(s);
      }
      impl->connection_count.fetch_sub(1);
    }
  } cleanup{this, s.get()};
  for (;;) {
    s->idle = true;
    if (stopping.load()) break;
    if (s->buffer.size() == 0) {
      // Keep-alive wait: the idle deadline covers the gap until the next request's first byte.
      s->stream.expires_after(limits.idle_timeout);
      auto [ec, n] = co_await s->stream.async_read_some(s->buffer.prepare(4096), kTuple);
      if (ec) break;  // peer closed, idle timeout, or Stop() cancelled us
      s->buffer.commit(n);
    }
    s->idle = false;
    const auto start = Clock::now();
    s->stream.expires_after(limits.read_timeout);
    bhttp::request_parser<bhttp::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
    parser.body_limit(boost::none);  // checked per route once the route is known
    auto [ec, header_bytes] = co_await bhttp::async_read_header(s->stream, s->buffer, parser, kTuple);
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
    res = ErrorResponse(501, ErrorCode::kNotImplemented,
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
    req.remote_address = s.remote;
    req.headers.reserve(16);
    for (const auto& f : msg)
      req.headers.emplace_back(std::string_view(f.name_string().data(), f.name_string().size()),
                               std::string_view(f.value().data(), f.value().size()));
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
    }
    int status = 0;
    const bool ok = co_await Write(s, res, version, keep_alive && !stopping.load(), api, head_request, status);
    stats->Record(requests, status, std::chrono::duration<double>(Clock::now() - start).count());
    if (access_log)
      access_log(fmt::format("{} {} {} {} {:.3f}ms", s.remote, head.method_string(), target, status,
                             std::chrono::duration<double, std::milli>(Clock::now() - start).count()));
    co_return ok && keep_alive && !stopping.load();
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
    const bool ok = co_await Write(s, res, version, keep_alive && !stopping.load(), api, head_request, status);
    stats->Record(requests, status, std::chrono::duration<double>(Clock::now() - start).count());
    if (access_log)
      access_log(fmt::format("{} {} {} {} {:.3f}ms", s.remote, VerbName(*verb), req.target, status,
                             std::chrono::duration<double, std::milli>(Clock::now() - start).count()));
    co_return ok && keep_alive && !stopping.load();
  }
  // Answered before reading the body.
  int status = 0;
  const bool ok = co_await Write(s, res, version, keep_alive && !stopping.load(), api, head_request, status);
  stats->Record(requests, status, std::chrono::duration<double>(Clock::now() - start).count());
  if (access_log)
    access_log(fmt::format("{} {} {} {}", s.remote, head.method_string(), target, status));
  co_return ok && keep_alive && !stopping.load();
}

namespace {

// The connection a streaming response writes to: each Write has the server's write deadline.
class SessionResponseStream final : public ResponseStream {
 public:
  SessionResponseStream(Session& s, std::chrono::milliseconds timeout, const std::atomic<bool>& stopping)
      : s_(s), timeout_(timeout), stopping_(stopping) {}
  asio::awaitable<bool> Write(std::string_view data) override {
    if (failed_ || stopping_.load()) co_return false;
    s_.stream.expires_after(timeout_);
    auto [ec, n] = co_await asio::async_write(s_.stream, asio::buffer(data.data(), data.size()), kTuple);
    if (ec) failed_ = true;
    co_return !failed_;
  }
  bool stopping() const override { return stopping_.load(); }

 private:
  Session& s_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>& stopping_;
  bool failed_ = false;
};

}  // namespace

asio::awaitable<bool> HttpServer::Impl::Write(Session& s, Response& res, unsigned version,
                                              bool keep_alive, bool api, bool head_request,
                                              int& status_out) {
  s.stream.expires_after(limits.write_timeout);
  if (res.stream) {
    // Streaming body (server-sent events): the header without a length, then the callback's
    // chunks; the body ends when the connection closes, so it is never kept alive.
    bhttp::response<bhttp::empty_body> out{static_cast<bhttp::status>(res.status), version};
    ApplyHeaders(out, res, api);
    out.set(bhttp::field::content_type, res.content_type);
    out.keep_alive(false);
    bhttp::response_serializer<bhttp::empty_body> sr(out);
    status_out = res.status;
    auto [hec, hn] = co_await bhttp::async_write_header(s.stream, sr, kTuple);
    if (hec || head_request) co_return false;  // a HEAD gets the header only, then the close
    s.idle = false;
    SessionResponseStream body(s, limits.write_timeout, stopping);
    try {
      co_await res.stream(body);
    } catch (const std::exception& e) {
      LogError(fmt::format("stream writer threw: {}", e.what()));
    }
    co_return false;
  }
  if (res.file) {
    bhttp::response<bhttp::file_body> out{static_cast<bhttp::status>(res.status), version};
    beast::error_code ec;
    out.body().open(res.file->path.c_str(), beast::file_mode::scan, ec);
    if (!ec) {
      ApplyHeaders(out, res, api);
      out.set(bhttp::field::content_type, res.file->content_type);
      out.keep_alive(keep_alive);
      out.prepare_payload();  // Content-Length: the file's size, for a HEAD too
      status_out = res.status;
      if (head_request) {
        bhttp::response_serializer<bhttp::file_body> sr(out);
        auto [hec, hn] = co_await bhttp::async_write_header(s.stream, sr, kTuple);
        co_return !hec;
      }
      auto [wec, n] = co_await bhttp::async_write(s.stream, out, kTuple);
      co_return !wec;
    }
    LogError(fmt::format("cannot open file body {}: {}", res.file->path, ec.message()));
    res = ErrorResponse(404, ErrorCode::kNotFound, "file not found");
  }
  auto wire = WireResponse(res, version, keep_alive, api, head_request);
  if (!wire) {
    LogError(wire.error().message);
    wire = WireResponse(ErrorResponse(500, ErrorCode::kInternal, "internal error"), version, keep_alive,
                        api, head_request);
    if (!wire) co_return false;
    status_out = 500;
  } else {
    status_out = res.status;
  }
  auto [wec, n] = co_await asio::async_write(s.stream, asio::buffer(*wire), kTuple);
  co_return !wec;
}

HttpServer::HttpServer(asio::io_context& ioc, Router& router, ServerLimits limits,
                       Metrics& metrics, LogSink access_log, LogSink error_log)
    : impl_(std::make_shared<Impl>(ioc, router, limits, metrics, std::move(access_log),
                                   std::move(error_log))) {}

HttpServer::~HttpServer() = default;

Result<tcp::endpoint> HttpServer::Listen(std::string_view host, std::uint16_t port) {
  SOPORTE_CHECK(!impl_->acceptor.has_value());
  beast::error_code ec;
  auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, fmt::format("not an IP address: {}", host));
  tcp::endpoint endpoint(address, port);
  tcp::acceptor acceptor(asio::make_strand(impl_->ioc));
  if (!acceptor.open(endpoint.protocol(), ec) &&
      !acceptor.set_option(asio::socket_base::reuse_address(true), ec) &&
      !acceptor.bind(endpoint, ec) && !acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
    auto bound = acceptor.local_endpoint(ec);
    if (!ec) {
      impl_->InitStats();
      impl_->acceptor.emplace(std::move(acceptor));
      asio::co_spawn(impl_->acceptor->get_executor(), impl_->Accept(),
                     [self = impl_](std::exception_ptr e) {
                       if (e) self->LogError("acceptor ended by an exception");
                     });
      return bound;
    }
  }
  return Fail(ErrorCode::kUnavailable,
              fmt::format("cannot listen on {}:{}: {}", host, port, ec.message()));
}

void HttpServer::SpreadSessions(std::vector<asio::io_context*> contexts) {
  SOPORTE_CHECK(!impl_->acceptor.has_value());
  impl_->session_contexts = std::move(contexts);
}

void HttpServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  if (impl_->acceptor) {
    asio::post(impl_->acceptor->get_executor(), [self = impl_] {
      beast::error_code ignored;
      self->acceptor->close(ignored);
    });
  }
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(impl_->sessions_mutex);
    for (auto& [raw, weak] : impl_->sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) {
    auto executor = s->stream.get_executor();
    asio::post(executor, [s] {
      if (s->idle) s->stream.cancel();  // busy sessions close after their current response
    });
  }
}

std::size_t HttpServer::connections() const { return impl_->connection_count.load(); }

}  // namespace soporte::transport::http
