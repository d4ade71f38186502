// Reading and routing one request (server_session.cpp): framework errors as JSON, a handler's
// exception, streamed uploads and their limit, the read and idle deadlines.
#include "unit/transport/http/server_test_support.hpp"

namespace soporte::transport::http {
namespace {

using namespace server_test;  // NOLINT(google-build-using-namespace): the shared test helpers

TEST_F(ServerTest, FrameworkErrorsAreJson) {
  router_.Add(Verb::kGet, "/api/v1/tickets",
              [](Request&) -> asio::awaitable<Response> { co_return Response::Json(200, "[]"); });
  router_.Add(
      Verb::kPost, "/api/v1/small",
      [](Request& rq) -> asio::awaitable<Response> { co_return Response::Json(200, "{}"); },
      RouteOptions{.body_limit = 1024});
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
                std::string::npos)
          << res.body();
      EXPECT_EQ(res.count(bhttp::field::allow), 0u);
      EXPECT_TRUE(res.keep_alive());
    }
    EXPECT_EQ(c.Send(bhttp::verb::get, "/api/v1/tickets").result_int(), 200);
  }
  {
    // Percent-decoded bytes that are not UTF-8, in the path or the query: 400 naming the
    // problem, before any handler could quote them; the body is valid UTF-8 JSON.
    Client c(port_);
    for (const char* target :
         {"/api/v1/tickets/%ff", "/api/v1/tickets/%c0%af", "/api/v1/nope/%ff%fe"}) {
      StringResponse res = c.Send(bhttp::verb::get, target);
      ExpectJsonError(res, 400, "invalid_argument");
      EXPECT_NE(res.body().find("request path is not valid UTF-8"), std::string::npos)
          << res.body();
    }
    StringResponse query = c.Send(bhttp::verb::get, "/api/v1/tickets?foo%ff=1");
    ExpectJsonError(query, 400, "invalid_argument");
    EXPECT_NE(query.body().find("query parameter name is not valid UTF-8"), std::string::npos)
        << query.body();
    EXPECT_EQ(c.Send(bhttp::verb::get, "/api/v1/tickets?q=Ca%C3%ADda").result_int(), 200);
  }
  {
    Client c(port_);  // Content-Length over the route's limit: 413 before the body is read
    StringResponse res =
        c.Send(bhttp::verb::post, "/api/v1/small", std::string(2048, 'x'), "text/plain");
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
    std::string huge =
        "GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n";
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
    MultipartParser parser(*boundary, {[&](const PartHeaders& h) {
                                         filename = h.filename;
                                         return Ok();
                                       },
                                       [&](std::string_view d) {
                                         bytes += d.size();
                                         hash = Fnv1a(hash, d);
                                         return Ok();
                                       },
                                       nullptr});
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      Result<std::size_t> n = co_await rq.body_reader->Read(buffer);
      if (!n) co_return ErrorResponse(n.error());
      if (*n == 0) break;
      if (auto st = parser.Feed(std::string_view(buffer.data(), *n)); !st)
        co_return ErrorResponse(st.error());
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
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
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
  router_.Add(Verb::kPost, "/api/v1/up", CountingUpload(),
              RouteOptions{.body_limit = 100 * 1024, .streaming = true});
  Start();
  Client c(port_);
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/up", 11};
  req.set(bhttp::field::host, "x");
  req.set(bhttp::field::content_type, "multipart/form-data; boundary=b");
  req.chunked(true);
  req.body() =
      "--b\r\nContent-Disposition: form-data; name=f\r\n\r\n" + std::string(300 * 1024, 'z');
  StringResponse res = c.Send(req);
  ExpectJsonError(res, 413, "too_large");
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(ServerTest, SlowlorisIsCutAfterTheReadDeadline) {
  router_.Add(Verb::kGet, "/api/v1/tickets",
              [](Request&) -> asio::awaitable<Response> { co_return Response{}; });
  ServerLimits limits;
  limits.read_timeout = std::chrono::milliseconds(1000);
  Start(limits);
  Client c(port_);
  const auto start = std::chrono::steady_clock::now();
  asio::write(c.stream().socket(),
              asio::buffer(std::string("GET /api/v1/tickets HTTP/1.1\r\nHost: x\r\nX-Slow: ")));
  EXPECT_TRUE(c.ClosedByPeer());  // the bounded deadline under test
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(900));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleDeadline) {
  router_.Add(Verb::kGet, "/healthz",
              [](Request&) -> asio::awaitable<Response> { co_return Response::Text(200, "ok"); });
  ServerLimits limits;
  limits.idle_timeout = std::chrono::milliseconds(500);
  Start(limits);
  Client c(port_);
  EXPECT_EQ(c.Send(bhttp::verb::get, "/healthz").body(), "ok");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByPeer());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
}

}  // namespace
}  // namespace soporte::transport::http
