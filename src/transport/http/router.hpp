// The route table, kept apart from the server (STYLE-EXAMPLES §4): (verb, pattern) → handler and
// options. Patterns are path segments; `{name}` is a parameter segment. Matching walks a segment
// trie (static segments win over parameters, with backtracking), so no regex runs per request.
// The route's name (by default its pattern) is what metrics label by, never the raw path.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/result.hpp"
#include "transport/http/request.hpp"
#include "transport/http/response.hpp"

namespace soporte::transport::http {

// A handler answers one routed request. It runs on the session's io thread: anything blocking
// goes through Offload(pool, fn). It may throw; the session turns an escaping exception into a
// 500 JSON error (logging what(), never sending it).
using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct RouteOptions {
  // Largest accepted body in bytes; 0 means ServerLimits::body_limit (1 MiB by default).
  // Past it the framework answers 413 (from Content-Length, before the handler runs) or the
  // BodyReader fails with kTooLarge (chunked uploads).
  std::uint64_t body_limit = 0;
  // false: the body is read whole into Request::body before the handler runs.
  // true: the handler pulls it through Request::body_reader (uploads that must not sit in memory).
  bool streaming = false;
  // Metrics label; empty means the pattern.
  std::string name;
};

struct Route {
  Verb verb;
  std::string pattern;
  std::vector<std::string> param_names;  // in path order
  Handler handler;
  RouteOptions options;  // options.name is never empty once added
  std::size_t index;     // 0..routes().size()-1, stable; lets the server keep per-route state
};

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const Route* route = nullptr;  // kFound only
  std::string_view allow;        // kMethodNotAllowed: the Allow header value, e.g. "GET, HEAD, POST"
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers `handler` for (verb, pattern). `pattern` starts with '/', its segments are literal
  // or `{name}`. Aborts (SOPORTE_CHECK: a wiring bug, never input) on a malformed pattern or a
  // duplicate (verb, pattern up to parameter names). Not thread-safe: add every route before
  // HttpServer::Listen; afterwards the table is read-only.
  void Add(Verb verb, std::string_view pattern, Handler handler, RouteOptions options = {});

  // Matches a percent-encoded `path` (no query). Empty segments are ignored ("/a//b/" == "/a/b").
  // HEAD matches the GET route of a path without a HEAD route of its own (RFC 9110 §9.3.2: the
  // server answers it as the GET, without the body), and the Allow of a 405 lists HEAD wherever
  // GET is allowed. On kFound, appends (name, percent-decoded value) for each parameter to `params`.
  // Thread-safe once routes are no longer added; allocates only for decoded parameter values.
  RouteMatch Match(Verb verb, std::string_view path,
                   std::vector<std::pair<std::string_view, std::string>>& params) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

// Percent-decodes `in` (RFC 3986 §2.1); invalid escapes are kept literally. '+' stays '+'.
std::string PercentDecode(std::string_view in);

// Splits a query string (without '?') into decoded (key, value) pairs, in order, as HTML forms
// encode them ('&' separated, '+' is a space, "k" alone gives an empty value). Fails with
// kInvalidArgument, its message naming the problem, on an invalid percent escape or a decoded
// name or value that is not valid UTF-8. 2026-12: not Boost.URL, because Debian's libboost_url 1.81
// parse_query() calls strlen() on its non-terminated input (an ASan heap overflow here).
Result<void> ParseQueryString(std::string_view query, std::vector<std::pair<std::string, std::string>>& out);

}  // namespace soporte::transport::http
