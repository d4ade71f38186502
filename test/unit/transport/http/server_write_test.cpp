// Writing the answer (server_write.cpp): a file body from disk and HEAD on every response path.
#include "unit/transport/http/server_test_support.hpp"

namespace soporte::transport::http {
namespace {

using namespace server_test;  // NOLINT(google-build-using-namespace): the shared test helpers

TEST_F(ServerTest, FileBodyIsSentFromDisk) {
  const std::string path = ::testing::TempDir() + "/soporte_http_file_body.bin";
  std::string content(3 * 1024 * 1024 + 17, 'f');
  content[12345] = '\0';
  std::ofstream(path, std::ios::binary)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
  router_.Add(Verb::kGet, "/api/v1/attachments/{id}",
              [path](Request&) -> asio::awaitable<Response> {
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
  std::ofstream(path, std::ios::binary)
      .write(content.data(), static_cast<std::streamsize>(content.size()));
  std::atomic<int> calls{0};
  router_.Add(Verb::kGet, "/healthz", [&calls](Request&) -> asio::awaitable<Response> {
    ++calls;
    co_return Response::Json(200, R"({"status":"ok"})");
  });
  router_.Add(Verb::kPost, "/api/v1/tickets",
              [](Request&) -> asio::awaitable<Response> { co_return Response::Json(201, "{}"); });
  router_.Add(Verb::kGet, "/api/v1/attachments/{id}",
              [path](Request&) -> asio::awaitable<Response> {
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
  EXPECT_EQ(calls.load(), 2);                 // the GET handler answered the HEAD
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
    asio::write(
        raw.stream().socket(),
        asio::buffer(std::string("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nHEAD /api/v1/nope "
                                 "HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
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
  // Counted under the GET route's label, as method HEAD (the 2: one more raw).
  const std::string want =
      "soporte_http_requests_total{route=\"/healthz\",method=\"HEAD\",status=\"200\"} 2\n";
  std::string text = metrics_.Render();
  for (int i = 0; i < 200 && text.find(want) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    text = metrics_.Render();
  }
  EXPECT_NE(text.find(want), std::string::npos) << text;
  EXPECT_NE(text.find("soporte_http_requests_total{route=\"/api/v1/attachments/"
                      "{id}\",method=\"HEAD\",status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace soporte::transport::http
