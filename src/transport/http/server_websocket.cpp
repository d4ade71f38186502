// A connection upgraded to WebSocket (Response::upgrade): accepts the handshake on the session's
// own stream (a reference: Stop() still reaches it and cancels it, as it cancels an idle
// keep-alive wait), sets the limits (message size, Beast's suggested server timeouts: a ping
// after 15 s of silence, closed when the peer stays silent), and runs the handler. An idle
// connection holds no buffer of its own: a read waits with a small chunk in its frame, not a
// dynamic buffer (Beast prepares 1536 bytes of one before the first byte arrives), and the
// request and its parser are freed once the handshake is done.
#include <array>
#include <exception>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>

#include "transport/http/server_impl.hpp"

namespace soporte::transport::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using server_detail::kTuple;
using server_detail::Session;

namespace {

using WsStream = websocket::stream<beast::tcp_stream&>;

class BeastWebSocket final : public WebSocketConn {
 public:
  explicit BeastWebSocket(WsStream& ws) : ws_(ws) {}

  asio::awaitable<bool> Read(std::string& out) override {
    std::string().swap(out);  // the last message's memory is not held while waiting
    // Chat frames are small (a hello, a message of at most 4 KiB): a few chunks at most.
    // read_message_max still bounds the whole message.
    std::array<char, 256> chunk;
    do {
      auto [ec, n] = co_await ws_.async_read_some(asio::buffer(chunk), kTuple);
      if (ec) co_return false;
      out.append(chunk.data(), n);
    } while (!ws_.is_message_done());
    co_return true;
  }

  asio::awaitable<bool> Write(std::string_view text) override {
    ws_.text(true);
    auto [ec, n] = co_await ws_.async_write(asio::buffer(text.data(), text.size()), kTuple);
    co_return !ec;
  }

  asio::awaitable<void> Close(std::uint16_t code, std::string_view reason) override {
    websocket::close_reason why(static_cast<websocket::close_code>(code),
                                beast::string_view(reason.data(), reason.size()));
    auto [ec] = co_await ws_.async_close(why, kTuple);
    (void)ec;
  }

  asio::any_io_executor executor() const override { return ws_.get_executor(); }

 private:
  WsStream& ws_;
};

}  // namespace

asio::awaitable<void> HttpServer::Impl::RunWebSocket(Session& s) {
  s.stream.expires_never();  // the websocket's own timeouts take over
  WsStream ws(s.stream);
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "soporte"); }));
  ws.read_message_max(kMaxWebSocketMessage);
  ws.write_buffer_bytes(1024);  // small frames: chat messages are short
  auto [ec] = co_await ws.async_accept(s.upgrade->request, kTuple);
  WebSocketHandler handler = std::move(s.upgrade->handler);
  s.upgrade.reset();  // the request and its headers: not needed once accepted
  if (ec) co_return;
  s.idle = true;  // Stop() cancels it like an idle keep-alive connection
  // The HTTP read buffer is not needed any more (a client sends nothing before the 101): give
  // its memory back, so an idle chat connection holds no request-sized buffer.
  s.buffer.consume(s.buffer.size());
  s.buffer.shrink_to_fit();
  BeastWebSocket conn(ws);
  try {
    co_await handler(conn);
  } catch (const std::exception& e) {
    // The one place a WebSocket session's exception is caught (DESIGN.md).
    LogError(fmt::format("websocket handler threw: {}", e.what()));
  } catch (...) {
    LogError("websocket handler threw a non-exception");
  }
}

}  // namespace soporte::transport::http
