// Runs a real HttpServer on 127.0.0.1:0 (2 io threads) and talks to it with Beast clients.
#include "transport/http/server.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include "transport/http/error_mapping.hpp"
#include "transport/http/multipart.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using StringResponse = bhttp::response<bhttp::string_body>;

std::uint64_t Fnv1a(std::uint64_t h, std::string_view data) {
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  return h;
}
constexpr std::uint64_t kFnvSeed = 14695981039346656037ull;

class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    stream_.socket().set_option(tcp::no_delay(true));
  }
  StringResponse Send(bhttp::verb verb, std::string target, std::string body = {},
                      std::string content_type = {}) {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!content_type.empty()) req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return Send(req);
  }
  template <class Req>
  StringResponse Send(Req& req) {
    bhttp::write(stream_, req);
    return Read();
  }
  StringResponse Read() {
    bhttp::response_parser<bhttp::string_body> p;
    p.body_limit(64 * 1024 * 1024);
    bhttp::read(stream_, buffer_, p);
    return p.release();
  }
  // The answer to a HEAD: the parser is told no body follows, whatever Content-Length says.
  StringResponse SendHead(std::string target) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::head, target, 11};
    req.set(bhttp::field::host, "localhost");
    bhttp::write(stream_, req);
    bhttp::response_parser<bhttp::string_body> p;
    p.skip(true);
    bhttp::read(stream_, buffer_, p);
    return p.release();
  }
  // True when the server closed the connection (EOF) before sending anything more.
  bool ClosedByPeer() {
    beast::error_code ec;
    char c;
    stream_.expires_after(std::chrono::seconds(10));
    stream_.async_read_some(asio::buffer(&c, 1), [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.restart();
    ioc_.run();
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  beast::tcp_stream& stream() { return stream_; }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerLimits limits = {}) {
    server_ = std::make_unique<HttpServer>(ioc_, router_, limits, metrics_, nullptr,
                                           [this](std::string_view line) {
                                             std::lock_guard lock(log_mutex_);
                                             error_log_.emplace_back(line);
                                           });
    auto ep = server_->Listen("127.0.0.1", 0);
    ASSERT_TRUE(ep) << ep.error().message;
    port_ = ep->port();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  void TearDown() override {
    if (server_) server_->Stop();
    // Bounded: sessions of closed clients end at once; give stragglers 5 s, then force.
    for (int i = 0; i < 500 && server_ && server_->connections() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (server_ && server_->connections() > 0) ioc_.stop();
    for (auto& t : threads_) t.join();
    pool_.join();
  }
  std::vector<std::string> ErrorLog() {
    std::lock_guard lock(log_mutex_);
    return error_log_;
  }

  asio::io_context ioc_;
  asio::thread_pool pool_{2};
  Router router_;
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::mutex log_mutex_;
  std::vector<std::string> error_log_;
};

Handler EchoNumber() {
  return [](Request& rq) -> asio::awaitable<Response> {
    boost::json::object o;
    o["number"] = rq.PathParam("number");
    if (const std::string* q = rq.Query("q")) o["q"] = *q;
    o["route"] = rq.route;
    o["remote"] = rq.remote_address;
    o["agent"] = rq.Header("user-agent");
    co_return Response::Json(200, boost::json::serialize(o));
  };
}

void ExpectJsonError(const StringResponse& res, int status, std::string_view code) {
  EXPECT_EQ(res.result_int(), status);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  auto v = boost::json::parse(res.body());
  EXPECT_EQ(v.at("error").at("code").as_string(), code) << res.body();
}

TEST_F(ServerTest, KeepAliveServesManyRequestsOnOneConnectionWithSecurityHeaders) {
  router_.Add(Verb::kGet, "/api/v1/tickets/{number}", EchoNumber());
  Start();
  Client c(port_);
  for (int i = 0; i < 300; ++i) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get,
                                          "/api/v1/tickets/T-" + std::to_string(i) + "?q=a+b%20%C3%B3", 11};
    req.set(bhttp::field::host, "x");
    req.set(bhttp::field::user_agent, "gtest");
    StringResponse res = c.Send(req);
    ASSERT_EQ(res.result_int(), 200);
    ASSERT_TRUE(res.keep_alive());
    auto v = boost::json::parse(res.body());
    ASSERT_EQ(v.at("number").as_string(), "T-" + std::to_string(i));
    if (i == 0) {
      EXPECT_EQ(v.at("q").as_string(), "a b \xC3\xB3");
      EXPECT_EQ(v.at("route").as_string(), "/api/v1/tickets/{number}");
      EXPECT_EQ(v.at("remote").as_string(), "127.0.0.1");
      EXPECT_EQ(v.at("agent").as_string(), "gtest");
      EXPECT_EQ(res[bhttp::field::server], "soporte");
      EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
      EXPECT_EQ(res["Content-Security-Policy"], "default-src 'self'; frame-ancestors 'none'");
      EXPECT_EQ(res["Referrer-Policy"], "same-origin");
      EXPECT_EQ(res["X-Frame-Options"], "DENY");
      EXPECT_EQ(res[bhttp::field::cache_control], "no-store");
    }
  }
  EXPECT_EQ(server_->connections(), 1u);
  // Metrics are recorded just after the response is written, so the last one may lag the client
  // by a moment: poll, bounded.
  const std::string want = "soporte_http_request_duration_seconds_count{route=\"/api/v1/tickets/{number}\"} 300\n";
  std::string text = metrics_.Render();
  for (int i = 0; i < 200 && text.find(want) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    text = metrics_.Render();
  }
  EXPECT_NE(text.find("soporte_http_requests_total{route=\"/api/v1/tickets/{number}\",method=\"GET\","
                      "status=\"200\"} 300\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("soporte_http_request_duration_seconds_count{route=\"/api/v1/tickets/{number}\"} 300\n"),
            std::string::npos);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  router_.Add(Verb::kGet, "/api/v1/tickets/{number}", EchoNumber());
  Start();
  Client c(port_);
  std::string three;
  for (int i = 0; i < 3; ++i) three += "GET /api/v1/tickets/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  asio::write(c.stream().socket(), asio::buffer(three));
  for (int i = 0; i < 3; ++i) {
    StringResponse res = c.Read();
    EXPECT_EQ(boost::json::parse(res.body()).at("number").as_string(), std::to_string(i));
  }
}

TEST_F(ServerTest, ConcurrentClientsWithOffloadedHandlers) {
  router_.Add(Verb::kPost, "/api/v1/echo", [this](Request& rq) -> asio::awaitable<Response> {
    std::string body = co_await Offload(pool_, [&] { return rq.body; });  // "storage" on the pool
    co_return Response::Json(201, std::move(body));
  });
  Start();
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t)
    clients.emplace_back([&, t] {
      Client c(port_);
      for (int i = 0; i < 50; ++i) {
        const std::string body = "{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + "}";
        StringResponse res = c.Send(bhttp::verb::post, "/api/v1/echo", body, "application/json");
        if (res.result_int() == 201 && res.body() == body) ++ok;
      }
    });
  for (auto& th : clients) th.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST_F(ServerTest, FrameworkErrorsAreJson) {
  router_.Add(Verb::kGet, "/api/v1/tickets", [](Request&) -> asio::awaitable<Response> {
    co_return Response::Json(200, "[]");
  });
  router_.Add(Verb::kPost, "/api/v1/small", [](Request& rq) -> asio::awaitable<Response> {
    co_return Response::Json(200, "{}");
  }, RouteOptions{.body_limit = 1024});
  Start();
  {
    Client c(port_);
    ExpectJsonError(c.Send(bhttp::verb::get, "/api/v1/nope"), 404, "not_found");
    StringResponse res = c.Send(bhttp::verb::delete_, "/api/v1/tickets");
    ExpectJsonError(res, 405, "invalid_argument");
    EXPECT_EQ(res[bhttp::field::allow], "GET, HEAD");
    EXPECT_TRUE(res.keep_alive());  // no body was left unread
    EXPECT_EQ(c.Send(bhttp::verb::get, "/api/v1/tickets").result_int(), 200);
  }
  {
    // A method the server does not know at all (method names are case-sensitive): 501, and no
    // Allow (that belongs to a 405); the connection stays usable.
    Client c(port_);
    for (const char* method : {"FOO", "get", "PROPFIND"}) {
      SCOPED_TRACE(method);
      bhttp::request<bhttp::empty_body> req;
      req.method_string(method);
      req.target("/api/v1/tickets");
      req.version(11);
      req.set(bhttp::field::host, "x");
      StringResponse res = c.Send(req);
      ExpectJsonError(res, 501, "not_implemented");
      EXPECT_NE(boost::json::parse(res.body()).at("error").at("message").as_string().find(method),
                std::string::npos) << res.body();
      EXPECT_EQ(res.count(bhttp::field::allow), 0u);
      EXPECT_TRUE(res.keep_alive());
    }
    EXPECT_EQ(c.Send(bhttp::verb::get, "/api/v1/tickets").result_int(), 200);
  }
  {
    // Percent-decoded bytes that are not UTF-8, in the path or the query: 400 naming the
    // problem, before any handler could quote them; the body is valid UTF-8 JSON.
    Client c(port_);
    for (const char* target : {"/api/v1/tickets/%ff", "/api/v1/tickets/%c0%af", "/api/v1/nope/%ff%fe"}) {
      StringResponse res = c.Send(bhttp::verb::get, target);
      ExpectJsonError(res, 400, "invalid_argument");
      EXPECT_NE(res.body().find("request path is not valid UTF-8"), std::string::npos) << res.body();
    }
    StringResponse query = c.Send(bhttp::verb::get, "/api/v1/tickets?foo%ff=1");
    ExpectJsonError(query, 400, "invalid_argument");
    EXPECT_NE(query.body().find("query parameter name is not valid UTF-8"), std::string::npos) << query.body();
    EXPECT_EQ(c.Send(bhttp::verb::get, "/api/v1/tickets?q=Ca%C3%ADda").result_int(), 200);
  }
  {
    Client c(port_);  // Content-Length over the route's limit: 413 before the body is read
    StringResponse res = c.Send(bhttp::verb::post, "/api/v1/small", std::string(2048, 'x'), "text/plain");
    ExpectJsonError(res, 413, "too_large");
    EXPECT_FALSE(res.keep_alive());
  }
  {
    Client c(port_);  // chunked, so only the parser's limit can catch it
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/small", 11};
    req.set(bhttp::field::host, "x");
    req.chunked(true);
    req.body() = std::string(4096, 'y');
    ExpectJsonError(c.Send(req), 413, "too_large");
  }
  {
    Client c(port_);
    asio::write(c.stream().socket(), asio::buffer(std::string("NOT A REQUEST\r\n\r\n")));
    ExpectJsonError(c.Read(), 400, "invalid_argument");
  }
  {
    Client c(port_);
    std::string huge = "GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n";
    asio::write(c.stream().socket(), asio::buffer(huge));
    ExpectJsonError(c.Read(), 431, "too_large");
  }
}

TEST_F(ServerTest, HandlerExceptionIs500WithoutLeakingWhat) {
  router_.Add(Verb::kGet, "/api/v1/boom", [](Request&) -> asio::awaitable<Response> {
    throw std::runtime_error("secret detail");
    co_return Response{};
  });
  Start();
  Client c(port_);
  StringResponse res = c.Send(bhttp::verb::get, "/api/v1/boom");
  ExpectJsonError(res, 500, "internal");
  EXPECT_EQ(res.body().find("secret"), std::string::npos);
  EXPECT_TRUE(res.keep_alive());
  auto log = ErrorLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("secret detail"), std::string::npos);
}

// A streaming multipart route: counts and hashes the file part without holding it.
Handler CountingUpload() {
  return [](Request& rq) -> asio::awaitable<Response> {
    auto boundary = BoundaryFromContentType(rq.Header("content-type"));
    if (!boundary) co_return ErrorResponse(boundary.error());
    std::uint64_t bytes = 0, hash = kFnvSeed;
    std::string filename;
    MultipartParser parser(*boundary, {
        [&](const PartHeaders& h) { filename = h.filename; return Ok(); },
        [&](std::string_view d) { bytes += d.size(); hash = Fnv1a(hash, d); return Ok(); },
        nullptr});
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      Result<std::size_t> n = co_await rq.body_reader->Read(buffer);
      if (!n) co_return ErrorResponse(n.error());
      if (*n == 0) break;
      if (auto st = parser.Feed(std::string_view(buffer.data(), *n)); !st) co_return ErrorResponse(st.error());
    }
    if (auto st = parser.Finish(); !st) co_return ErrorResponse(st.error());
    boost::json::object o;
    o["bytes"] = bytes;
    o["hash"] = std::to_string(hash);
    o["filename"] = filename;
    co_return Response::Json(200, boost::json::serialize(o));
  };
}

TEST_F(ServerTest, StreamsA20MegabyteMultipartUploadExactly) {

  router_.Add(Verb::kPost, "/api/v1/tickets/{number}/attachments", CountingUpload(),
              RouteOptions{.body_limit = 100 * 1024 * 1024, .streaming = true});
  Start();
  std::string file(20 * 1024 * 1024, '\0');
  std::mt19937_64 rng(7);
  for (auto& ch : file) ch = static_cast<char>(rng());
  const std::string boundary = "soporte-test-boundary-8d1f";
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n";
  body += file;
  body += "\r\n--" + boundary + "--\r\n";
  Client c(port_);
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/tickets/7/attachments", 11};
  req.set(bhttp::field::host, "x");
  req.set(bhttp::field::content_type, "multipart/form-data; boundary=" + boundary);
  req.set(bhttp::field::expect, "100-continue");
  req.body() = std::move(body);
  req.prepare_payload();
  // With Expect: 100-continue the server answers "100 Continue" first.
  bhttp::request_serializer<bhttp::string_body> sr{req};
  bhttp::write_header(c.stream(), sr);
  StringResponse cont = c.Read();
  EXPECT_EQ(cont.result_int(), 100);
  bhttp::write(c.stream(), sr);
  StringResponse res = c.Read();
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto v = boost::json::parse(res.body());
  EXPECT_EQ(v.at("bytes").to_number<std::uint64_t>(), file.size());
  EXPECT_EQ(v.at("hash").as_string(), std::to_string(Fnv1a(kFnvSeed, file)));
  EXPECT_EQ(v.at("filename").as_string(), "big.bin");
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(ServerTest, StreamingRouteStopsAtItsLimitWith413) {
  router_.Add(Verb::kPost, "/api/v1/up", CountingUpload(), RouteOptions{.body_limit = 100 * 1024, .streaming = true});
  Start();
  Client c(port_);
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/up", 11};
  req.set(bhttp::field::host, "x");
  req.set(bhttp::field::content_type, "multipart/form-data; boundary=b");
  req.chunked(true);
  req.body() = "--b\r\nContent-Disposition: form-data; name=f\r\n\r\n" + std::string(300 * 1024, 'z');
  StringResponse res = c.Send(req);
  ExpectJsonError(res, 413, "too_large");
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(ServerTest, SlowlorisIsCutAfterTheReadDeadline) {
  router_.Add(Verb::kGet, "/api/v1/tickets", [](Request&) -> asio::awaitable<Response> { co_return Response{}; });
  ServerLimits limits;
  limits.read_timeout = std::chrono::milliseconds(1000);
  Start(limits);
  Client c(port_);
  const auto start = std::chrono::steady_clock::now();
  asio::write(c.stream().socket(), asio::buffer(std::string("GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Slow: ")));
  EXPECT_TRUE(c.ClosedByPeer());  // the bounded deadline under test
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleDeadline) {
  router_.Add(Verb::kGet, "/healthz", [](Request&) -> asio::awaitable<Response> { co_return Response::Text(200, "ok"); });
  ServerLimits limits;
  limits.idle_timeout = std::chrono::milliseconds(500);
  Start(limits);
  Client c(port_);
  EXPECT_EQ(c.Send(bhttp::verb::get, "/healthz").body(), "ok");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByPeer());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
}

TEST_F(ServerTest, FileBodyIsSentFromDisk) {
  const std::string path = ::testing::TempDir() + "/soporte_http_file_body.bin";
  std::string content(3 * 1024 * 1024 + 17, 'f');
  content[12345] = '\0';
  std::ofstream(path, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
  router_.Add(Verb::kGet, "/api/v1/attachments/{id}", [path](Request&) -> asio::awaitable<Response> {
    Response r = Response::File({.path = path, .content_type = "application/pdf"});
    r.AddHeader("Content-Disposition", "attachment; filename=\"a.pdf\"");
    co_return r;
  });
  router_.Add(Verb::kGet, "/api/v1/missing", [](Request&) -> asio::awaitable<Response> {
    co_return Response::File({.path = "/nonexistent/soporte/file"});
  });
  Start();
  Client c(port_);
  StringResponse res = c.Send(bhttp::verb::get, "/api/v1/attachments/1");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_type], "application/pdf");
  EXPECT_EQ(res["X-Frame-Options"], "DENY");
  EXPECT_TRUE(res.body() == content);
  ExpectJsonError(c.Send(bhttp::verb::get, "/api/v1/missing"), 404, "not_found");
  std::remove(path.c_str());
}

TEST_F(ServerTest, HeadIsTheGetWithoutItsBodyOnEveryResponsePath) {
  const std::string path = ::testing::TempDir() + "/soporte_http_head_file.bin";
  const std::string content(70000, 'h');
  std::ofstream(path, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
  std::atomic<int> calls{0};
  router_.Add(Verb::kGet, "/healthz", [&calls](Request&) -> asio::awaitable<Response> {
    ++calls;
    co_return Response::Json(200, R"({"status":"ok"})");
  });
  router_.Add(Verb::kPost, "/api/v1/tickets", [](Request&) -> asio::awaitable<Response> {
    co_return Response::Json(201, "{}");
  });
  router_.Add(Verb::kGet, "/api/v1/attachments/{id}", [path](Request&) -> asio::awaitable<Response> {
    co_return Response::File({.path = path, .content_type = "application/pdf"});
  });
  Start();
  Client c(port_);
  // Every HEAD below is answered on one kept-alive connection; a body sent after any of them
  // would be read as the next response's status line and fail the next exchange.
  const StringResponse get = c.Send(bhttp::verb::get, "/healthz");
  StringResponse res = c.SendHead("/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(get.body().size()));
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(res[bhttp::field::server], "soporte");
  EXPECT_EQ(calls.load(), 2);  // the GET handler answered the HEAD
  res = c.SendHead("/api/v1/attachments/3");  // Beast's file_body path
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(content.size()));
  EXPECT_EQ(res[bhttp::field::content_type], "application/pdf");
  res = c.SendHead("/api/v1/nope");  // errors have no body either
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_NE(res[bhttp::field::content_length], "0");
  res = c.SendHead("/api/v1/tickets");  // POST only: 405, and HEAD is not allowed there
  EXPECT_EQ(res.result_int(), 405);
  EXPECT_EQ(res[bhttp::field::allow], "POST");
  EXPECT_TRUE(res.keep_alive());
  StringResponse after = c.Send(bhttp::verb::delete_, "/healthz");
  ExpectJsonError(after, 405, "invalid_argument");
  EXPECT_EQ(after[bhttp::field::allow], "GET, HEAD");
  EXPECT_EQ(c.Send(bhttp::verb::get, "/api/v1/attachments/3").body().size(), content.size());
  EXPECT_EQ(server_->connections(), 1u);
  {
    // Raw bytes: nothing at all may follow the header block of a HEAD's answer.
    Client raw(port_);
    asio::write(raw.stream().socket(), asio::buffer(std::string(
        "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nHEAD /api/v1/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    std::string all;
    beast::error_code ec;
    char buf[4096];
    for (;;) {
      const std::size_t n = raw.stream().socket().read_some(asio::buffer(buf), ec);
      all.append(buf, n);
      if (ec) break;
    }
    const std::size_t first_end = all.find("\r\n\r\n");
    ASSERT_NE(first_end, std::string::npos) << all;
    EXPECT_TRUE(all.substr(first_end + 4).starts_with("HTTP/1.1 404 ")) << all;
    EXPECT_TRUE(all.ends_with("\r\n\r\n")) << all;
  }
  // Counted under the GET route's label, as method HEAD.
  const std::string want = "soporte_http_requests_total{route=\"/healthz\",method=\"HEAD\",status=\"200\"} 2\n";  // one more raw
  std::string text = metrics_.Render();
  for (int i = 0; i < 200 && text.find(want) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    text = metrics_.Render();
  }
  EXPECT_NE(text.find(want), std::string::npos) << text;
  EXPECT_NE(text.find("soporte_http_requests_total{route=\"/api/v1/attachments/{id}\",method=\"HEAD\",status=\"200\"} 1\n"),
            std::string::npos) << text;
  std::remove(path.c_str());
}

TEST_F(ServerTest, StopClosesIdleSessionsAndRunReturns) {
  router_.Add(Verb::kGet, "/healthz", [](Request&) -> asio::awaitable<Response> { co_return Response::Text(200, "ok"); });
  Start();
  Client c(port_);
  EXPECT_EQ(c.Send(bhttp::verb::get, "/healthz").result_int(), 200);
  server_->Stop();
  EXPECT_TRUE(c.ClosedByPeer());
  for (auto& t : threads_) t.join();  // run() returned: no session or acceptor left
  threads_.clear();
  EXPECT_EQ(server_->connections(), 0u);
}

TEST_F(ServerTest, TrivialHealthzHandlerThroughput) {
  router_.Add(Verb::kGet, "/healthz", [](Request&) -> asio::awaitable<Response> {
    co_return Response::Text(200, "ok\n");
  });
  Start();
  Client c(port_);
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/healthz", 11};
  req.set(bhttp::field::host, "x");
  const int n = 2000;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) ASSERT_EQ(c.Send(req).result_int(), 200);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("healthz: %d sequential requests on one connection, %.0f req/s (sanitizer build)\n", n, n / secs);
}

}  // namespace
}  // namespace soporte::transport::http
