#include "transport/api/query_codec.hpp"
#include "transport/api/webhook_handlers.hpp"

#include <charconv>

#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/webhook_codec.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

// ?limit=N (1..200, default 50); any other parameter is refused.
Result<int> LimitOf(const Request& rq) {
  int limit = 50;
  for (const auto& [k, v] : rq.query_params) {
    if (k != "limit") return tl::make_unexpected(UnknownQueryParameter(k));
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (ec != std::errc{} || p != v.data() + v.size() || limit < 1 || limit > 200)
      return Fail(ErrorCode::kInvalidArgument, "limit must be a whole number from 1 to 200");
  }
  return limit;
}

}  // namespace

void RegisterWebhookRoutes(http::Router& router, ApiContext& ctx, app::WebhookService& webhooks) {
  using V = http::Verb;
  app::WebhookService* ws = &webhooks;

  router.Add(V::kPost, "/api/v1/webhooks",
             Authed(ctx,
                    [&ctx, ws](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      if (auto st = app::RequireWebhookAdmin(who); !st)
                        co_return ErrorOf(st.error());
                      auto in = codec::ParseWebhookInput(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(ctx.db_pool, [ws, &who, &in] {
                        return ws->Subscribe(who, std::move(*in));
                      });
                      co_return Encode(r, 201, codec::WebhookJson);
                    }),
             {.body_limit = 16 * 1024});

  router.Add(V::kGet, "/api/v1/webhooks",
             Authed(ctx, [&ctx, ws](Request&, const app::Principal& who) -> awaitable<Response> {
               auto r = co_await Offload(ctx.ReadPool(), [ws, &who] { return ws->List(who); });
               co_return Encode(r, 200, codec::WebhookListJson);
             }));

  router.Add(V::kGet, "/api/v1/webhooks/{id}",
             Authed(ctx, [&ctx, ws](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = PositiveId(rq.PathParam("id"), "no webhook ");
               if (!id) co_return ErrorOf(id.error());
               auto r =
                   co_await Offload(ctx.ReadPool(), [ws, &who, &id] { return ws->Get(who, *id); });
               co_return Encode(r, 200, codec::WebhookJson);
             }));

  router.Add(V::kDelete, "/api/v1/webhooks/{id}",
             Authed(ctx, [&ctx, ws](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = PositiveId(rq.PathParam("id"), "no webhook ");
               if (!id) co_return ErrorOf(id.error());
               auto st =
                   co_await Offload(ctx.db_pool, [ws, &who, &id] { return ws->Delete(who, *id); });
               if (!st) co_return ErrorOf(st.error());
               co_return http::Response::Json(200, codec::Serialize(codec::DeletedJson()));
             }));

  router.Add(V::kGet, "/api/v1/webhooks/{id}/deliveries",
             Authed(ctx, [&ctx, ws](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = PositiveId(rq.PathParam("id"), "no webhook ");
               if (!id) co_return ErrorOf(id.error());
               auto limit = LimitOf(rq);
               if (!limit) co_return ErrorOf(limit.error());
               auto r = co_await Offload(ctx.ReadPool(), [ws, &who, &id, &limit] {
                 return ws->Deliveries(who, *id, *limit);
               });
               co_return Encode(r, 200, codec::WebhookDeliveryListJson);
             }));

  router.Add(V::kPost, "/api/v1/webhook-deliveries/{id}/retry",
             Authed(ctx, [&ctx, ws](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = PositiveId(rq.PathParam("id"), "no webhook delivery ");
               if (!id) co_return ErrorOf(id.error());
               auto r =
                   co_await Offload(ctx.db_pool, [ws, &who, &id] { return ws->Retry(who, *id); });
               co_return Encode(r, 200, codec::WebhookDeliveryJson);
             }));
}

}  // namespace soporte::transport::api
