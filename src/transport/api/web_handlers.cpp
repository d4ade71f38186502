// Routes for the web UI (see web_api.hpp); their JSON is in transport/api/codec.
#include <charconv>

#include <boost/asio/this_coro.hpp>

#include "transport/api/codec/account_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/settings_codec.hpp"
#include "transport/api/codec/sla_codec.hpp"
#include "transport/api/codec/ticket_codec.hpp"
#include "transport/api/query_codec.hpp"
#include "transport/api/web_api.hpp"
#include "transport/http/cookie.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
namespace asio = boost::asio;
using asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

namespace sla = domain::sla;
namespace cal = domain::calendar;

Result<std::int64_t> TicketNumber(const Request& rq) {
  return PositiveId(rq.PathParam("number"), "no ticket #");
}

std::string EventText(const app::TicketChanged& e) {
  return "event: ticket\ndata: " + codec::Serialize(codec::TicketChangedJson(e)) + "\n\n";
}

// The token a live stream was opened with: the Bearer token or the session cookie's value.
struct StreamCredential {
  std::string token;
  bool bearer = false;
};

StreamCredential CredentialOf(const ApiContext& ctx, const Request& rq) {
  constexpr std::string_view kBearer = "Bearer ";
  std::string_view authz = rq.Header("Authorization");
  if (authz.size() > kBearer.size()) return {std::string(authz.substr(kBearer.size())), true};
  auto cookie = http::FindCookie(rq.Header("Cookie"), ctx.options.session_cookie);
  return {cookie ? std::string(*cookie) : std::string(), false};
}

// Pumps one subscription into an SSE stream until the client leaves, the server stops, or the
// credential it was opened with no longer holds: at every heartbeat the session (or API token)
// is checked again in the store, so a logout, an expired session or a deactivated account ends
// the stream on whichever node serves it (a logout on this node ends it at once: CloseCredential).
// The client is told with an `event: logout` before the stream ends.
awaitable<void> Pump(std::shared_ptr<web::Subscription> sub, std::chrono::milliseconds heartbeat,
                     ApiContext& ctx, StreamCredential cred, http::ResponseStream& out) {
  const std::string hello = "retry: 3000\n: connected\n\n";
  if (!co_await out.Write(hello)) co_return;
  const std::string logout = "event: logout\ndata: {}\n\n";
  auto last_check = std::chrono::steady_clock::now();
  for (;;) {
    auto batch = co_await sub->Wait(heartbeat);
    if (out.stopping()) co_return;
    if (batch.closed) {
      (void)co_await out.Write(logout);
      co_return;
    }
    if (std::chrono::steady_clock::now() - last_check >= heartbeat) {
      last_check = std::chrono::steady_clock::now();
      const StreamCredential& c = cred;
      auto still = co_await Offload(ctx.ReadPool(), [&ctx, &c] {
        return c.bearer ? ctx.auth.FromBearer(c.token) : ctx.auth.FromSession(c.token);
      });
      // Only a definite "no" ends the stream; a store that is briefly away does not.
      if (!still && still.error().code == ErrorCode::kUnauthenticated) {
        (void)co_await out.Write(logout);
        co_return;
      }
    }
    std::string text;
    if (batch.resync) text += "event: resync\ndata: {}\n\n";
    for (const auto& e : batch.events) text += EventText(e);
    if (text.empty()) text = ": heartbeat\n\n";
    if (!co_await out.Write(text)) co_return;
  }
}

// Defined below.
void RegisterSettingsRoutes(http::Router& router, ApiContext& ctx, WebApiDeps& deps);
}  // namespace

void RegisterWebApiRoutes(http::Router& router, ApiContext& ctx, WebApiDeps& deps) {
  using V = http::Verb;

  router.Add(
      V::kGet, "/api/v1/events",
      Authed(ctx, [&ctx, &deps](Request& rq, const app::Principal& who) -> awaitable<Response> {
        auto executor = co_await asio::this_coro::executor;
        StreamCredential cred = CredentialOf(ctx, rq);
        auto sub = deps.hub.Subscribe(executor, who, cred.token);
        if (!sub) co_return ErrorOf(sub.error());
        Response r;
        r.content_type = "text/event-stream; charset=utf-8";
        r.AddHeader("Cache-Control", "no-store");
        r.AddHeader("X-Accel-Buffering", "no");
        r.stream = [s = std::move(*sub), hb = deps.heartbeat, &ctx, c = std::move(cred)](
                       http::ResponseStream& out) { return Pump(s, hb, ctx, c, out); };
        co_return r;
      }));

  router.Add(V::kGet, "/api/v1/sla/preview", Authed(ctx, [&ctx, &deps](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto q = ParsePreview(rq);
    if (!q) co_return ErrorOf(q.error());
    auto r = co_await Offload(ctx.db_pool, [&deps, &who, &q] {
      return deps.sla_view.Preview(who, q->contract, q->criticality, q->channel);
    });
    if (!r) co_return ErrorOf(r.error());
    co_return Response::Json(200, codec::Serialize(codec::ExplanationJson(*r)));
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}/sla", Authed(ctx, [&ctx, &deps](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.db_pool, [&deps, &who, n = *n] { return deps.sla_view.ExplainTicket(who, n); });
    if (!r) co_return ErrorOf(r.error());
    co_return Response::Json(200, codec::Serialize(codec::ExplanationJson(*r)));
  }));

  RegisterSettingsRoutes(router, ctx, deps);
}

namespace {

// The vendor's contact settings and the forgotten-password requests.
void RegisterSettingsRoutes(http::Router& router, ApiContext& ctx, WebApiDeps& deps) {
  using V = http::Verb;

  router.Add(V::kGet, "/api/v1/settings", Authed(ctx, [&ctx, &deps](Request&, const app::Principal&) -> awaitable<Response> {
    auto r = co_await Offload(ctx.ReadPool(), [&deps] { return deps.settings.Get(); });
    co_return Encode(r, 200, codec::ContactSettingsJson);
  }));

  // The login page's "how to get an account" and out-of-hours phone: readable without a session,
  // and only those two fields (docs/api.md).
  router.Add(V::kGet, "/api/v1/settings/public", [&ctx, &deps](Request&) -> awaitable<Response> {
    auto r = co_await Offload(ctx.ReadPool(), [&deps] { return deps.settings.Get(); });
    co_return Encode(r, 200, codec::PublicContactJson);
  });

  router.Add(V::kPut, "/api/v1/settings", Authed(ctx, [&ctx, &deps](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto r = co_await Offload(ctx.db_pool, [&deps, &who, &rq]() -> Result<app::ContactSettings> {
      SOPORTE_TRY(current, deps.settings.Get());
      SOPORTE_TRY(in, codec::ParseContactSettings(rq.body, std::move(current)));
      return deps.settings.Put(who, std::move(in));
    });
    co_return Encode(r, 200, codec::ContactSettingsJson);
  }), {.body_limit = 16 * 1024});

  // Public (no session): always 202 for a well-formed address, whether it has an account or not.
  router.Add(V::kPost, "/api/v1/password-reset",
             [&ctx, &deps](Request& rq) -> awaitable<Response> {
               auto in = codec::ParseResetRequest(rq.body);
               if (!in) co_return ErrorOf(in.error());
               if (in->lang.empty()) in->lang = PreferredLang(rq.Header("Accept-Language"));
               std::string address(rq.remote_address);
               auto st = co_await Offload(ctx.db_pool, [&deps, &in, &address]() -> Status {
                 SOPORTE_TRY(settings, deps.settings.Get());
                 return deps.password_reset.Request(in->email, address, settings.portal_url,
                                                    in->lang);
               });
               // A throttled request's error carries its wait (Retry-After: 3600).
               if (!st) co_return ErrorOf(st.error());
               co_return Response::Json(202, codec::Serialize(codec::StatusJson("accepted")));
             },
             {.body_limit = 4 * 1024});

  router.Add(V::kPost, "/api/v1/password-reset/confirm",
             [&ctx, &deps](Request& rq) -> awaitable<Response> {
               auto in = codec::ParseResetConfirm(rq.body);
               if (!in) co_return ErrorOf(in.error());
               auto st = co_await Offload(ctx.hash_pool, [&deps, &in] {
                 return deps.password_reset.Confirm(in->token, in->password);
               });
               if (!st) co_return ErrorOf(st.error());
               Response r;
               r.status = 204;
               co_return r;
             },
             {.body_limit = 16 * 1024});
}

}  // namespace

}  // namespace soporte::transport::api
