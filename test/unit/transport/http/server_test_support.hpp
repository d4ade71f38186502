// What the HttpServer tests share: a blocking Beast client (Client), the fixture that runs a
// real HttpServer on 127.0.0.1:0 with 2 io threads (ServerTest), an echoing handler and the
// check of a framework error's JSON. The tests are server_test.cpp (connections),
// server_session_test.cpp (reading and routing a request) and server_write_test.cpp (answers).
#pragma once

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

namespace soporte::transport::http::server_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using StringResponse = bhttp::response<bhttp::string_body>;

inline std::uint64_t Fnv1a(std::uint64_t h, std::string_view data) {
  for (unsigned char c : data) h = (h ^ c) * 1099511628211ull;
  return h;
}
inline constexpr std::uint64_t kFnvSeed = 14695981039346656037ull;

class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(ioc_) {
    stream_.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    stream_.socket().set_option(tcp::no_delay(true));
  }
  // A client from another loopback address (127.0.0.2…): a different client to the server.
  Client(std::uint16_t port, const asio::ip::address& from) : stream_(ioc_) {
    stream_.socket().open(tcp::v4());
    stream_.socket().bind(tcp::endpoint(from, 0));
    stream_.socket().connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
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

inline Handler EchoNumber() {
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

inline void ExpectJsonError(const StringResponse& res, int status, std::string_view code) {
  EXPECT_EQ(res.result_int(), status);
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  auto v = boost::json::parse(res.body());
  EXPECT_EQ(v.at("error").at("code").as_string(), code) << res.body();
}

}  // namespace soporte::transport::http::server_test
