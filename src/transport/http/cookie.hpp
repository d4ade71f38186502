// Cookie helpers: read the request's `Cookie` header (RFC 6265 §4.2) and build a `Set-Cookie`
// value (§4.1) with safe defaults: HttpOnly, SameSite=Lax, Path=/. The session cookie itself
// (what it holds, how it is signed) belongs to transport/api, not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace soporte::transport::http {

// All (name, value) pairs of a Cookie header, in order; malformed pairs (no '=') are skipped and
// surrounding quotes of a value are removed. Views point into `header`. Never fails.
std::vector<std::pair<std::string_view, std::string_view>> ParseCookies(std::string_view header);

// The value of the first cookie named `name`, or nullopt. Never fails, allocation-free.
std::optional<std::string_view> FindCookie(std::string_view header, std::string_view name);

// The token of an `Authorization: Bearer <token>` header (the scheme matched without regard to
// case), or nullopt when the header is absent, empty, another scheme or has no token.
std::optional<std::string_view> BearerToken(std::string_view authorization);

struct SetCookie {
  std::string name;
  std::string value;
  std::optional<std::int64_t> max_age_seconds;  // nullopt: a session cookie; 0 deletes it
  bool secure = false;     // set when served over HTTPS (behind a TLS proxy)
  bool http_only = true;
  std::string same_site = "Lax";  // "Lax", "Strict" or "None" (None requires secure)
  std::string path = "/";
};

// The Set-Cookie header value, e.g. "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax".
// Fails with kInvalidArgument when the name is not an RFC 7230 token, the value holds a
// character outside cookie-octet (RFC 6265 §4.1.1), same_site is unknown, or the path holds ';'
// or a control character. Thread-safe.
Result<std::string> BuildSetCookie(const SetCookie& cookie);

}  // namespace soporte::transport::http
