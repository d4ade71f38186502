// The web UI's files, embedded in the binary at build time (embed_ui.cmake), and the routes that
// serve them: GET / (the single-page app, ui/index.html) and GET /ui/<path>. Each answer has its
// content type, an ETag (If-None-Match → 304) and Cache-Control: no-cache, so a new binary's
// assets are picked up at once. Unknown /ui/ paths are the router's 404 JSON.
#pragma once

#include <span>
#include <string_view>

#include "transport/http/router.hpp"

namespace soporte::transport::web {

struct EmbeddedAsset {
  std::string_view path;  // "/ui/js/app.js"
  std::string_view body;
};

// Every embedded file, sorted by path (generated). Never fails.
std::span<const EmbeddedAsset> EmbeddedAssets();

// "text/css; charset=utf-8" etc. by the path's extension; application/octet-stream otherwise.
std::string_view ContentTypeFor(std::string_view path);

// Registers GET / and one GET route per embedded asset. Call before HttpServer::Listen.
void RegisterStaticRoutes(http::Router& router);

}  // namespace soporte::transport::web
