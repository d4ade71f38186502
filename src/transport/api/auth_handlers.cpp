// Authentication for every API route (session cookie + CSRF, or Bearer token) and the session
// endpoints: POST/DELETE /api/v1/session, GET /api/v1/me.
#include <algorithm>
#include <optional>
#include <string>

#include "transport/api/api_context.hpp"
#include "transport/api/codec/account_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/http/cookie.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

bool IsWrite(http::Verb v) {
  return v == http::Verb::kPost || v == http::Verb::kPut || v == http::Verb::kPatch ||
         v == http::Verb::kDelete;
}

// Constant-time comparison of two tokens.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

awaitable<Result<app::Authenticated>> Identify(ApiContext& ctx, const Request& rq) {
  std::string_view authz = rq.Header("Authorization");
  if (!authz.empty()) {
    const auto bearer = http::BearerToken(authz);
    if (!bearer) {
      co_return FailField(ErrorCode::kUnauthenticated, "", "bad_token",
                          "Authorization must be 'Bearer <token>'");
    }
    std::string token(*bearer);
    if (auto cached = ctx.auth.FromCache(token, true)) co_return std::move(*cached);
    std::string address(rq.remote_address);
    co_return co_await Offload(
        ctx.ReadPool(), [&ctx, &token, &address] { return ctx.auth.FromBearer(token, address); });
  }
  auto cookie = http::FindCookie(rq.Header("Cookie"), ctx.options.session_cookie);
  if (!cookie || cookie->empty()) {
    co_return FailField(ErrorCode::kUnauthenticated, "", "session_expired", "log in first");
  }
  std::string token(*cookie);
  if (auto cached = ctx.auth.FromCache(token, false)) co_return std::move(*cached);
  co_return co_await Offload(ctx.ReadPool(), [&ctx, &token] { return ctx.auth.FromSession(token); });
}

// Identify, and the caller's user id noted on the request for the access log.
awaitable<Result<app::Authenticated>> Authenticate(ApiContext& ctx, const Request& rq) {
  auto who = co_await Identify(ctx, rq);
  if (who) rq.user_id = who->principal.user_id.value();
  co_return who;
}

Response SessionCookie(ApiContext& ctx, Response r, const std::string& value, std::int64_t max_age) {
  http::SetCookie c;
  c.name = ctx.options.session_cookie;
  c.value = value;
  c.max_age_seconds = max_age;
  c.secure = ctx.options.secure_cookies;
  if (auto header = http::BuildSetCookie(c)) r.AddHeader("Set-Cookie", *header);
  return r;
}

}  // namespace

Response ErrorOf(const Error& e) { return http::ErrorResponse(e); }

http::Handler Authed(ApiContext& ctx, AuthedHandler h) {
  return [&ctx, h = std::move(h)](Request& rq) -> awaitable<Response> {
    auto who = co_await Authenticate(ctx, rq);
    if (!who) co_return ErrorOf(who.error());
    if (who->via_session && IsWrite(rq.method) &&
        !SameToken(rq.Header("X-CSRF-Token"), who->csrf_token)) {
      co_return ErrorOf(WithReason(
          {ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token header"}, "csrf"));
    }
    who->principal.address = std::string(rq.remote_address);  // "from where", for the audit log
    co_return co_await h(rq, who->principal);
  };
}

void RegisterAuthRoutes(http::Router& router, ApiContext& ctx) {
  router.Add(
      http::Verb::kPost, "/api/v1/session",
      [&ctx](Request& rq) -> awaitable<Response> {
        auto creds = codec::ParseCredentials(rq.body);
        if (!creds) co_return ErrorOf(creds.error());
        std::string address(rq.remote_address);
        auto login = co_await Offload(ctx.hash_pool, [&ctx, &creds, &address] {
          return ctx.auth.Login(creds->email, creds->password, address);
        });
        if (!login) {
          Error e = login.error();
          // The throttle's own wait (Retry-After and params.retry_after_seconds): a client that
          // obeys it does not retry into the lock.
          if (e.code == ErrorCode::kResourceExhausted)
            e.retry_after = std::max(e.retry_after, std::chrono::seconds{1});
          co_return ErrorOf(e);
        }
        const auto max_age = (login->expires_at - ctx.clock.Now()).count();
        const std::string body =
            codec::Serialize(codec::SessionJson(login->principal, login->csrf_token, max_age));
        co_return SessionCookie(ctx, Response::Json(200, body), login->session_token, max_age);
      },
      {.body_limit = 16 * 1024});

  router.Add(http::Verb::kDelete, "/api/v1/session", [&ctx](Request& rq) -> awaitable<Response> {
    // Logging out needs the CSRF token too (a cross-site form must not end the session).
    auto cookie = http::FindCookie(rq.Header("Cookie"), ctx.options.session_cookie);
    if (!cookie || cookie->empty())
      co_return ErrorOf(
          WithReason({ErrorCode::kUnauthenticated, "log in first"}, "session_expired"));
    std::string token(*cookie);
    auto who = co_await Offload(ctx.db_pool, [&ctx, &token] { return ctx.auth.FromSession(token); });
    if (who) {
      if (!SameToken(rq.Header("X-CSRF-Token"), who->csrf_token)) {
        co_return ErrorOf(WithReason(
            {ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token header"}, "csrf"));
      }
      auto st = co_await Offload(ctx.db_pool, [&ctx, &token] { return ctx.auth.Logout(token); });
      if (!st) co_return ErrorOf(st.error());
      if (ctx.live != nullptr) ctx.live->CloseCredential(token);  // its live views end now
      if (ctx.chat_live != nullptr) ctx.chat_live->CloseCredential(token);  // and chat sockets
    }
    Response r;
    r.status = 204;
    co_return SessionCookie(ctx, std::move(r), "", 0);
  });

  router.Add(http::Verb::kGet, "/api/v1/me", [&ctx](Request& rq) -> awaitable<Response> {
    auto who = co_await Authenticate(ctx, rq);
    if (!who) co_return ErrorOf(who.error());
    std::optional<domain::Organization> org;
    if (who->principal.org_id.valid()) {
      auto orgs = co_await Offload(ctx.db_pool, [&ctx, &who] { return ctx.admin.ListOrgs(who->principal); });
      if (orgs && !orgs->empty()) org = orgs->front();
    }
    std::optional<std::string_view> csrf;
    if (who->via_session) csrf = who->csrf_token;
    co_return Response::Json(
        200, codec::Serialize(codec::MeJson(who->principal, csrf, org ? &*org : nullptr)));
  });
}

}  // namespace soporte::transport::api
