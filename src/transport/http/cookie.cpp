#include "transport/http/cookie.hpp"

#include <fmt/format.h>

#include "transport/http/request.hpp"

namespace soporte::transport::http {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 7230 §3.2.6 tchar.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
    if (std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) != std::string_view::npos)
      return false;
  }
  return true;
}

// RFC 6265 §4.1.1 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
bool IsCookieValue(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

template <class F>
void ForEachCookie(std::string_view header, F&& f) {
  while (!header.empty()) {
    std::size_t semi = header.find(';');
    std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = Trim(pair.substr(0, eq));
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (name.empty()) continue;
    if (!f(name, value)) return;
  }
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> ParseCookies(std::string_view header) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  ForEachCookie(header, [&](std::string_view n, std::string_view v) {
    out.emplace_back(n, v);
    return true;
  });
  return out;
}

std::optional<std::string_view> FindCookie(std::string_view header, std::string_view name) {
  std::optional<std::string_view> found;
  ForEachCookie(header, [&](std::string_view n, std::string_view v) {
    if (n != name) return true;
    found = v;
    return false;
  });
  return found;
}

Result<std::string> BuildSetCookie(const SetCookie& c) {
  if (!IsToken(c.name)) return Fail(ErrorCode::kInvalidArgument, "cookie name is not a token");
  if (!IsCookieValue(c.value))
    return Fail(ErrorCode::kInvalidArgument, "cookie value holds a forbidden character");
  if (!EqualsIgnoreCase(c.same_site, "Lax") && !EqualsIgnoreCase(c.same_site, "Strict") &&
      !EqualsIgnoreCase(c.same_site, "None"))
    return Fail(ErrorCode::kInvalidArgument, "SameSite must be Lax, Strict or None");
  for (unsigned char ch : c.path)
    if (ch < 0x20 || ch == 0x7f || ch == ';')
      return Fail(ErrorCode::kInvalidArgument, "cookie path holds a forbidden character");
  std::string out = fmt::format("{}={}", c.name, c.value);
  if (!c.path.empty()) fmt::format_to(std::back_inserter(out), "; Path={}", c.path);
  if (c.max_age_seconds) fmt::format_to(std::back_inserter(out), "; Max-Age={}", *c.max_age_seconds);
  // RFC 6265bis: SameSite=None is rejected by browsers without Secure.
  if (c.secure || EqualsIgnoreCase(c.same_site, "None")) out += "; Secure";
  if (c.http_only) out += "; HttpOnly";
  fmt::format_to(std::back_inserter(out), "; SameSite={}", c.same_site);
  return out;
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kBearer.size()), kBearer))
    return std::nullopt;
  return authorization.substr(kBearer.size());
}

}  // namespace soporte::transport::http
