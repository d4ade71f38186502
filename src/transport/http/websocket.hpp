// A WebSocket connection as a handler sees it (RFC 6455), without Beast types: a handler that
// wants one answers the upgrade request with Response::upgrade set; the session then accepts the
// handshake on its socket and runs the callback until it returns (the connection closes then).
// Limits: one message at most ServerLimits-independent `kMaxWebSocketMessage` bytes; an idle
// connection is pinged and closed when the peer stops answering (Beast's suggested server
// timeouts). Used only from the session's own coroutine and the coroutines it runs on the same
// executor; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace soporte::transport::http {

// Past this a read fails and the connection is closed with 1009 (message too big).
inline constexpr std::size_t kMaxWebSocketMessage = 16 * 1024;

class WebSocketConn {
 public:
  virtual ~WebSocketConn() = default;
  // Reads the next message (text) into `out`. False when the peer closed or went away, the
  // message was over kMaxWebSocketMessage, or the server stops: the handler should return then.
  virtual boost::asio::awaitable<bool> Read(std::string& out) = 0;
  // Sends one text message. False when the connection is gone. At most one Write at a time (one
  // Read may run alongside it).
  virtual boost::asio::awaitable<bool> Write(std::string_view text) = 0;
  // Sends a close frame with `code` (RFC 6455 §7.4, or 4000–4999 for the application) and
  // `reason` (≤ 123 bytes). The handler returns afterwards.
  virtual boost::asio::awaitable<void> Close(std::uint16_t code, std::string_view reason) = 0;
  // The executor of the connection (coroutines started for it must run there).
  virtual boost::asio::any_io_executor executor() const = 0;
};

// Runs an accepted WebSocket connection; the connection closes when it returns.
using WebSocketHandler = std::function<boost::asio::awaitable<void>(WebSocketConn&)>;

}  // namespace soporte::transport::http
