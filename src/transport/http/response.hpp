// What a handler returns: a status, extra headers, and either a string body, a file body
// (an attachment streamed from disk with Beast's file_body, never read whole into memory), or a
// stream (server-sent events: the handler writes chunks for as long as the client listens).
// The session adds the security headers, `Server`, and `Cache-Control: no-store` on /api/.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "transport/http/websocket.hpp"

namespace soporte::transport::http {

// A file sent as the body. `length` is informational: the session sends the file's size at
// open time. A file that cannot be opened turns into a 404 JSON error.
struct FileBody {
  std::string path;
  std::string content_type = "application/octet-stream";
  std::uint64_t length = 0;
};

// The open connection a streaming response writes to (Response::stream). Used only from the
// session's own coroutine (the stream callback); not thread-safe.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Writes `data` within the server's write deadline. Returns false when the client went away,
  // the deadline passed or the server is stopping: the callback should return then.
  virtual boost::asio::awaitable<bool> Write(std::string_view data) = 0;
  // True once HttpServer::Stop was called.
  virtual bool stopping() const = 0;
};

// Writes a streaming body; the connection closes when it returns (the body ends at the close).
using StreamWriter = std::function<boost::asio::awaitable<void>(ResponseStream&)>;

struct Response {
  int status = 200;
  std::string content_type = "application/json";  // ignored for file bodies (FileBody has one)
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
  std::string body;
  std::optional<FileBody> file;
  StreamWriter stream;  // when set: headers first, then the callback writes the body
  // When set on the answer to a WebSocket upgrade request (GET with Upgrade: websocket): the
  // session accepts the handshake and runs it (status, headers and body are not sent).
  // Ignored on any other request (the status and body are sent as usual).
  WebSocketHandler upgrade;

  // Convenience constructors. Never fail.
  static Response Json(int status, std::string json_text) {
    Response r;
    r.status = status;
    r.body = std::move(json_text);
    return r;
  }
  static Response Text(int status, std::string text) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(text);
    return r;
  }
  static Response File(FileBody file) {
    Response r;
    r.file = std::move(file);
    return r;
  }
  Response& AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace soporte::transport::http
