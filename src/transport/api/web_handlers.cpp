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

// Pumps one subscription into an SSE stream until the client leaves or the server stops.
awaitable<void> Pump(std::shared_ptr<web::Subscription> sub, std::chrono::milliseconds heartbeat,
                     http::ResponseStream& out) {
  const std::string hello = "retry: 3000\n: connected\n\n";
  if (!co_await out.Write(hello)) co_return;
  for (;;) {
    auto batch = co_await sub->Wait(heartbeat);
    if (batch.closed || out.stopping()) co_return;
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

  router.Add(V::kGet, "/api/v1/events", Authed(ctx, [&deps](Request&, const app::Principal& who) -> awaitable<Response> {
    auto executor = co_await asio::this_coro::executor;
    auto sub = deps.hub.Subscribe(executor, who);
    if (!sub) co_return ErrorOf(sub.error());
    Response r;
    r.content_type = "text/event-stream; charset=utf-8";
    r.AddHeader("Cache-Control", "no-store");
    r.AddHeader("X-Accel-Buffering", "no");
    r.stream = [s = std::move(*sub), hb = deps.heartbeat](http::ResponseStream& out) {
      return Pump(s, hb, out);
    };
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
               if (!st) {
                 Response r = ErrorOf(st.error());
                 if (st.error().code == ErrorCode::kResourceExhausted)
                   r.AddHeader("Retry-After", "3600");
                 co_return r;
               }
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
