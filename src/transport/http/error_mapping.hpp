// THE one table from ErrorCode to HTTP status, and the one JSON error shape every error
// response uses, handlers' and the framework's own alike:
//   {"error":{"code":"<ErrorCodeName>","reason":"…","field":"…","params":{…},"message":"…"}}
// `code` and `reason` are stable names a client words from its own catalog (docs/api.md lists
// them); `message` is English for integrations and logs. Built with Boost.JSON, so a quote or a
// control character in a message cannot break it.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "transport/http/response.hpp"

namespace soporte::transport::http {

// HTTP status for `code` (kInvalidArgument → 400 … kInternal → 500). Never fails; pure.
int HttpStatusFor(ErrorCode code);

// The JSON error body for `error`: `code`; `reason` (the error's own, else the code's name);
// `field` when the error names one (else when its message starts with a field name in the
// house style, "slug must …", "hours.monday: …"); `params` with `retry_after_seconds` when
// the error says how long to wait; `message`. Never fails; thread-safe. Invalid UTF-8 in
// `message` (e.g. request bytes a handler quoted) becomes U+FFFD, so the body is valid JSON text.
std::string ErrorJson(const Error& error);
std::string ErrorJson(ErrorCode code, std::string_view message);

// The field a message in the house style names at its start: an identifier (lower case, digits,
// '_', '.', "[n]") followed by ':' or by " is ", " must ", " may ", " has ". Empty when none.
// Pure; used only when an error does not name its field itself.
std::string FieldOfMessage(std::string_view message);

// The challenge every 401 carries (RFC 9110 §11.6.1: a 401 MUST send WWW-Authenticate). The API
// takes a Bearer token or the session cookie; the Bearer scheme is the one a client can answer.
inline constexpr std::string_view kAuthChallenge = "Bearer realm=\"soporte\"";

// A complete error response: status from HttpStatusFor, body from ErrorJson; a 401 (every
// kUnauthenticated error goes through here) also gets `WWW-Authenticate: <kAuthChallenge>`, and
// an error with a `retry_after` gets `Retry-After: <seconds>`.
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
