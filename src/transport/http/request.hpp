// The value an HTTP handler sees: method, path, decoded path and query parameters, headers,
// remote address, the body (ordinary routes) or a BodyReader (streaming routes), and a generic
// RequestContext slot the API layer fills (e.g. the authenticated principal).
// Part of transport/http: no business logic lives here. Beast types stay out of this header.
#pragma once

#include <any>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.hpp"

namespace soporte::transport::http {

// HTTP methods the server implements. Any other method (and a lower-case "get": method names
// are case-sensitive) is answered 501 not_implemented; one of these that the path has no route
// for, 405 with Allow.
enum class Verb : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };
inline constexpr std::size_t kVerbCount = 7;

// "GET", "POST", ... Never fails.
std::string_view VerbName(Verb verb);

// ASCII case-insensitive equality (header names, tokens). Thread-safe, allocation-free.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Pulls a streaming request body chunk by chunk (RouteOptions::streaming routes only).
// Read() fills a prefix of `buffer` and returns how many bytes it wrote; 0 means the body is
// complete. Fails with kTooLarge past the route's body limit, kInvalidArgument on a malformed
// (e.g. bad chunked encoding) body, kUnavailable when the peer goes away or a read deadline
// (ServerLimits::read_timeout, per Read call) passes. Must be awaited on the session's own
// coroutine (the handler's); not thread-safe.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  virtual boost::asio::awaitable<Result<std::size_t>> Read(std::span<char> buffer) = 0;
  // True once Read() has returned 0.
  virtual bool done() const = 0;
};

// A request as routed. The string_views point into the session's parsed message and are valid
// for the duration of the handler call only: copy what must outlive it.
struct Request {
  Verb method = Verb::kGet;
  std::string_view target;  // raw request-target, e.g. "/api/v1/tickets?state=open"
  std::string_view path;    // target without the query, still percent-encoded
  std::string_view route;   // the matched route pattern (the metrics label), e.g. "/tickets/{number}"
  std::vector<std::pair<std::string_view, std::string>> path_params;   // {name} → decoded value
  std::vector<std::pair<std::string, std::string>> query_params;       // decoded, in order
  std::vector<std::pair<std::string_view, std::string_view>> headers;  // in order received
  std::string_view remote_address;  // peer IP, e.g. "127.0.0.1"
  std::string body;                 // ordinary routes: the whole body (≤ the route's limit)
  BodyReader* body_reader = nullptr;  // streaming routes: the body, pulled by the handler
  std::any context;                 // RequestContext: filled by the API layer (middleware)
  // The authenticated caller's user id, set by the API layer once it knows it (0: anonymous);
  // read by the server for the access log only. Mutable: authentication reads a const Request.
  mutable std::int64_t user_id = 0;

  // Value of the first header named `name` (case-insensitive); empty view when absent.
  std::string_view Header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (EqualsIgnoreCase(k, name)) return v;
    return {};
  }
  bool HasHeader(std::string_view name) const {
    for (const auto& h : headers)
      if (EqualsIgnoreCase(h.first, name)) return true;
    return false;
  }
  // Decoded path parameter `name` (as written in the route between braces); empty when absent.
  std::string_view PathParam(std::string_view name) const {
    for (const auto& [k, v] : path_params)
      if (k == name) return v;
    return {};
  }
  // First decoded query parameter `key`; nullptr when absent (distinguishes "?q=" from no q).
  const std::string* Query(std::string_view key) const {
    for (const auto& [k, v] : query_params)
      if (k == key) return &v;
    return nullptr;
  }
};

}  // namespace soporte::transport::http
