#include "transport/web/static_assets.hpp"

#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace soporte::transport::web {

namespace {

using boost::asio::awaitable;
using http::Request;
using http::Response;

std::string ETagOf(std::string_view body) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, 64 bits: a change detector, not security
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("\"{:016x}\"", h);
}

// True when the If-None-Match header names `etag` (or is "*").
bool Matches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  return if_none_match.find(etag) != std::string_view::npos;
}

http::Handler Serve(std::string_view path, std::string_view body) {
  std::string etag = ETagOf(body);
  std::string type(ContentTypeFor(path));
  return [body, etag = std::move(etag), type = std::move(type)](Request& rq) -> awaitable<Response> {
    Response r;
    if (Matches(rq.Header("If-None-Match"), etag)) {
      r.status = 304;
    } else {
      r.status = 200;
      r.body = std::string(body);
    }
    r.content_type = type;
    r.AddHeader("ETag", etag);
    r.AddHeader("Cache-Control", "no-cache");
    co_return r;
  };
}

}  // namespace

std::string_view ContentTypeFor(std::string_view path) {
  auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".json")) return "application/json";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

void RegisterStaticRoutes(http::Router& router) {
  for (const auto& a : EmbeddedAssets()) {
    router.Add(http::Verb::kGet, a.path, Serve(a.path, a.body), {.name = "/ui/*"});
    if (a.path == "/ui/index.html") router.Add(http::Verb::kGet, "/", Serve(a.path, a.body), {.name = "/"});
    // The live chat widget, at the address the vendor's site embeds (README "Live chat").
    if (a.path == "/ui/chat/widget.js")
      router.Add(http::Verb::kGet, "/chat/widget.js", Serve(a.path, a.body),
                 {.name = "/chat/widget.js"});
  }
}

}  // namespace soporte::transport::web
