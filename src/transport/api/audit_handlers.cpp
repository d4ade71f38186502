#include "transport/api/audit_handlers.hpp"

#include "transport/api/codec/audit_codec.hpp"
#include "transport/api/query_codec.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

void RegisterAuditRoutes(http::Router& router, ApiContext& ctx, app::AuditService& audit) {
  app::AuditService* as = &audit;
  router.Add(http::Verb::kGet, "/api/v1/audit",
             Authed(ctx, [&ctx, as](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto q = ParseAuditQuery(rq);
               if (!q) co_return ErrorOf(q.error());
               auto r =
                   co_await Offload(ctx.ReadPool(), [as, &who, &q] { return as->List(who, *q); });
               const int limit = q->limit;
               co_return Encode(r, 200, [limit](const std::vector<app::AuditEntryView>& page) {
                 return codec::AuditPageJson(page, limit);
               });
             }));
}

}  // namespace soporte::transport::api
