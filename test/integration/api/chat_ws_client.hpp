// A WebSocket client of the live chat for the integration tests (Beast, loopback, each read
// bounded to 10 s), shared by chat_ws_test.cpp and chat_limits_test.cpp.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include "test_support.hpp"

namespace soporte::test {

namespace chat_ws {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;

// A WebSocket client on loopback with bounded waits (each read at most 10 s).
class WsClient {
 public:
  // Connects to /chat/ws with `origin` (and a cookie). Returns 101 when upgraded, else the
  // HTTP status the server refused with.
  int Connect(std::uint16_t port, const std::string& origin, const std::string& cookie = "") {
    tcp::resolver resolver(ioc_);
    auto eps = resolver.resolve("127.0.0.1", std::to_string(port));
    asio::connect(ws_.next_layer(), eps);
    ws_.set_option(websocket::stream_base::decorator([origin, cookie](websocket::request_type& r) {
      r.set(beast::http::field::origin, origin);
      if (!cookie.empty()) r.set(beast::http::field::cookie, "soporte_session=" + cookie);
    }));
    websocket::response_type res;
    beast::error_code ec;
    ws_.handshake(res, "127.0.0.1:" + std::to_string(port), "/chat/ws", ec);
    return ec ? res.result_int() : 101;
  }
  void Send(const json::value& v) { ws_.write(asio::buffer(json::serialize(v))); }
  // The next frame, or nullopt when the server closed the connection.
  std::optional<json::object> Next() {
    beast::flat_buffer buffer;
    beast::error_code result = asio::error::timed_out;
    bool done = false;
    ws_.async_read(buffer, [&](beast::error_code ec, std::size_t) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run_for(std::chrono::seconds(10));
    if (!done) throw std::runtime_error("no frame within 10 s");
    if (result) return std::nullopt;
    return json::parse(beast::buffers_to_string(buffer.data())).as_object();
  }
  // Frames until one of `type` (the others are returned in `skipped`).
  json::object NextOf(const std::string& type, std::vector<json::object>* skipped = nullptr) {
    for (int i = 0; i < 100; ++i) {
      auto f = Next();
      if (!f) throw std::runtime_error("closed while waiting for a " + type + " frame");
      if (Str(*f, "type") == type) return *f;
      if (skipped) skipped->push_back(*f);
    }
    throw std::runtime_error("no " + type + " frame");
  }
  void Drop() {
    beast::error_code ec;
    ws_.next_layer().close(ec);
  }
  const websocket::close_reason& reason() const { return ws_.reason(); }

 private:
  asio::io_context ioc_;
  websocket::stream<tcp::socket> ws_{ioc_};
};

inline json::object Hello(std::int64_t chat, const std::string& token, std::int64_t after) {
  return json::object{{"type", "hello"}, {"chat", chat}, {"token", token}, {"after", after}};
}
inline json::object Say(const std::string& text, const std::string& client_id) {
  return json::object{{"type", "message"}, {"text", text}, {"client_id", client_id}};
}

}  // namespace chat_ws

using chat_ws::Hello;
using chat_ws::Say;
using chat_ws::WsClient;

}  // namespace soporte::test
