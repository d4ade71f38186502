#include "transport/api/alert_handlers.hpp"

#include <charconv>
#include <string>

#include "transport/api/codec/alert_codec.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
namespace {

using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

// The integer query parameter `key` (absent: `fallback`). kInvalidArgument naming it otherwise.
Result<std::int64_t> QueryNumber(const Request& rq, std::string_view key, std::int64_t fallback) {
  const std::string* v = rq.Query(key);
  if (!v) return fallback;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) {
    return Fail(ErrorCode::kInvalidArgument, std::string(key) + " must be an integer");
  }
  return out;
}

}  // namespace

void RegisterAlertRoutes(http::Router& router, ApiContext& ctx,
                         app::AlertPreferencesService& alerts) {
  app::AlertPreferencesService* as = &alerts;
  using V = http::Verb;
  router.Add(V::kGet, "/api/v1/me/alert-preferences",
             Authed(ctx, [&ctx, as](Request&, const app::Principal& who) -> awaitable<Response> {
               auto r = co_await Offload(ctx.ReadPool(), [as, &who] { return as->Get(who); });
               co_return Encode(r, 200, codec::AlertPreferencesJson);
             }));
  router.Add(V::kPut, "/api/v1/me/alert-preferences",
             Authed(ctx,
                    [&ctx, as](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto in = codec::ParseAlertPreferences(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(ctx.db_pool,
                                                [as, &who, &in] { return as->Put(who, *in); });
                      co_return Encode(r, 200, codec::AlertPreferencesJson);
                    }),
             {.body_limit = 16 * 1024});
  router.Add(
      V::kGet, "/api/v1/me/alerts",
      Authed(ctx, [&ctx, as](Request& rq, const app::Principal& who) -> awaitable<Response> {
        auto after = QueryNumber(rq, "after", 0);
        if (!after) co_return ErrorOf(after.error());
        auto limit = QueryNumber(rq, "limit", 50);
        if (!limit) co_return ErrorOf(limit.error());
        if (*limit < 1 || *limit > 200) {
          co_return ErrorOf(Error{ErrorCode::kInvalidArgument, "limit must be between 1 and 200"});
        }
        auto r = co_await Offload(ctx.ReadPool(), [as, &who, &after, &limit] {
          return as->List(who, *after, static_cast<int>(*limit));
        });
        co_return Encode(r, 200, codec::AlertListJson);
      }));
}

}  // namespace soporte::transport::api
