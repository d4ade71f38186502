// The bytes of a response with a string body, ready for one socket write. Beast parses every
// request; this writes the common response (JSON, HTML, small text) itself: Beast's message
// serializer took about 25k instructions per response (callgrind over GET /healthz, half of
// the server's whole work for it), this takes a few hundred. File and streaming bodies still go
// through Beast (server_write.cpp). The header order and semantics are Beast's own: see
// response_wire_test.cpp, which parses the output with Beast's response parser.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"
#include "transport/http/response.hpp"

namespace soporte::transport::http {

// Every response carries these, before the handler's own headers.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kFixedHeaders{{
    {"Server", "soporte"},
    {"X-Content-Type-Options", "nosniff"},
    {"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"},
    {"Referrer-Policy", "same-origin"},
    {"X-Frame-Options", "DENY"},
}};

// True when the session adds `Cache-Control: no-store`: an API response whose handler set no
// Cache-Control of its own.
bool AddsNoStore(const Response& res, bool api);

// Status line, kFixedHeaders, `res.headers` in order, `Cache-Control: no-store` when `api` and
// the handler set none, Content-Type (none for 1xx and 204, which have no content), Content-Length (none for 1xx, 204 and 304, which carry
// no body), the Connection header `keep_alive` needs for `version` (10 or 11), then the body.
// `head_request`: the answer to a HEAD, which is the GET's status and headers, Content-Length
// included, without the body (RFC 9110 §9.3.2). A client reads no body after a HEAD's answer,
// so sending one would desynchronise the connection.
// kInternal when a header name or value holds CR, LF or NUL: a handler must never be able to
// split a response, whatever text reached the header.
Result<std::string> WireResponse(const Response& res, unsigned version, bool keep_alive, bool api,
                                 bool head_request = false);

}  // namespace soporte::transport::http
