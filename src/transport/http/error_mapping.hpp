// THE one table from ErrorCode to HTTP status, and the one JSON error shape every error
// response uses, handlers' and the framework's own alike:
//   {"error":{"code":"<ErrorCodeName>","message":"…"}}
// Built with Boost.JSON, so a quote or a control character in a message cannot break it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "transport/http/response.hpp"

namespace soporte::transport::http {

// HTTP status for `code` (kInvalidArgument → 400 … kInternal → 500). Never fails; pure.
int HttpStatusFor(ErrorCode code);

// The JSON error body for (code, message). Never fails; thread-safe. Invalid UTF-8 in `message`
// (e.g. request bytes a handler quoted) becomes U+FFFD, so the body is always valid JSON text.
// A non-empty `field` (Error::field) is sent as "field": {"error":{"code","message","field"}}.
std::string ErrorJson(ErrorCode code, std::string_view message, std::string_view field = {});

// The challenge every 401 carries (RFC 9110 §11.6.1: a 401 MUST send WWW-Authenticate). The API
// takes a Bearer token or the session cookie; the Bearer scheme is the one a client can answer.
inline constexpr std::string_view kAuthChallenge = "Bearer realm=\"soporte\"";

// A complete error response: status from HttpStatusFor, body from ErrorJson; a 401 (every
// kUnauthenticated error goes through here) also gets `WWW-Authenticate: <kAuthChallenge>`.
Response ErrorResponse(const Error& error);

// An error response with an explicit status (for the framework's own answers without a
// canonical code of their own, e.g. 405, 408, 431); `code` names the error in the body.
Response ErrorResponse(int status, ErrorCode code, std::string_view message);

// The request id of a request that sent `X-Request-Id: incoming`: `incoming` itself when it is
// 1 to 64 characters of A-Z a-z 0-9 . _ - (safe in logs and headers), else a new random one (16
// hex digits). Thread-safe.
std::string RequestIdOf(std::string_view incoming);

// Tags `res` with the request id: the `X-Request-Id` header, and `"request_id"` inside the
// `error` object of a JSON error body (ErrorJson's shape; other bodies are left alone).
void TagRequestId(Response& res, std::string_view request_id);

}  // namespace soporte::transport::http
