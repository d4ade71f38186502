// What a handler returns: a status, extra headers, and either a string body or a file body
// (an attachment streamed from disk with Beast's file_body, never read whole into memory).
// The session adds the security headers, `Server`, and `Cache-Control: no-store` on /api/.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace soporte::transport::http {

// A file sent as the body. `length` is informational: the session sends the file's size at
// open time. A file that cannot be opened turns into a 404 JSON error.
struct FileBody {
  std::string path;
  std::string content_type = "application/octet-stream";
  std::uint64_t length = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";  // ignored for file bodies (FileBody has one)
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Set-Cookie
  std::string body;
  std::optional<FileBody> file;

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
