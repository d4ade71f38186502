#include "transport/api/resolution_handlers.hpp"

#include <string>

#include "transport/api/codec/resolution_codec.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {

using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {
Result<std::int64_t> PathId(const Request& rq, std::string_view name, std::string_view what) {
  return PositiveId(rq.PathParam(name), "no " + std::string(what) + " ");
}
}  // namespace

void RegisterResolutionRoutes(http::Router& router, ApiContext& ctx,
                              app::ResolutionTargetService& targets) {
  app::ResolutionTargetService* rs = &targets;
  constexpr std::string_view kPath = "/api/v1/orgs/{slug}/contracts/{id}/resolution-target";
  router.Add(http::Verb::kGet, kPath,
             Authed(ctx, [&ctx, rs](Request& rq, const app::Principal& who) -> awaitable<Response> {
               std::string slug(rq.PathParam("slug"));
               auto id = PathId(rq, "id", "contract");
               if (!id) co_return ErrorOf(id.error());
               auto r = co_await Offload(ctx.ReadPool(), [rs, &who, &slug, &id] {
                 return rs->Get(who, slug, ContractId{*id});
               });
               co_return Encode(r, 200, codec::ResolutionTargetJson);
             }));
  router.Add(http::Verb::kPut, kPath,
             Authed(ctx,
                    [&ctx, rs](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      std::string slug(rq.PathParam("slug"));
                      auto id = PathId(rq, "id", "contract");
                      if (!id) co_return ErrorOf(id.error());
                      auto minutes = codec::ParseResolutionTarget(rq.body);
                      if (!minutes) co_return ErrorOf(minutes.error());
                      auto r = co_await Offload(ctx.db_pool, [rs, &who, &slug, &id, &minutes] {
                        return rs->Set(who, slug, ContractId{*id}, *minutes);
                      });
                      co_return Encode(r, 200, codec::ResolutionTargetJson);
                    }),
             {.body_limit = 4 * 1024});
}

}  // namespace soporte::transport::api
