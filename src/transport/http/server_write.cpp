// Writing one response within the write deadline: a string body as one buffer (WireResponse),
// a file through Beast's file_body, or a streamed body (server-sent events) that the handler
// writes chunk by chunk until the connection closes.
#include <atomic>
#include <chrono>
#include <exception>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "transport/http/error_mapping.hpp"
#include "transport/http/response_wire.hpp"
#include "transport/http/server_impl.hpp"

namespace soporte::transport::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using server_detail::Clock;
using server_detail::kTuple;
using server_detail::Session;

namespace {

// Adds the headers every response carries (security headers, Server, Cache-Control on /api/).
template <class Body>
void ApplyHeaders(bhttp::response<Body>& out, const Response& res, bool api) {
  for (const auto& [name, value] : kFixedHeaders) out.set(name, value);
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  if (AddsNoStore(res, api)) out.set(bhttp::field::cache_control, "no-store");
}

// The connection a streaming response writes to: each Write has the server's write deadline.
class SessionResponseStream final : public ResponseStream {
 public:
  SessionResponseStream(Session& s, std::chrono::milliseconds timeout,
                        const std::atomic<bool>& stopping)
      : s_(s), timeout_(timeout), stopping_(stopping) {}
  asio::awaitable<bool> Write(std::string_view data) override {
    if (failed_ || stopping_.load()) co_return false;
    s_.stream.expires_after(timeout_);
    auto [ec, n] =
        co_await asio::async_write(s_.stream, asio::buffer(data.data(), data.size()), kTuple);
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
    wire = WireResponse(ErrorResponse(500, ErrorCode::kInternal, "internal error"), version,
                        keep_alive, api, head_request);
    if (!wire) co_return false;
    status_out = 500;
  } else {
    status_out = res.status;
  }
  auto [wec, n] = co_await asio::async_write(s.stream, asio::buffer(*wire), kTuple);
  co_return !wec;
}

}  // namespace soporte::transport::http
