// Administration routes: /api/v1/orgs, /api/v1/orgs/{slug}/contracts, /api/v1/users (and a
// user's changes and history); plus the
// operational endpoints /healthz and /metrics, and RegisterApiRoutes, which lists them all.
#include <charconv>

#include <sodium.h>

#include "transport/api/api_context.hpp"
#include "transport/api/codec/account_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/org_codec.hpp"
#include "transport/api/query_codec.hpp"
#include "transport/http/cookie.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

void RegisterAuthRoutes(http::Router& router, ApiContext& ctx);
void RegisterTicketRoutes(http::Router& router, ApiContext& ctx);
void RegisterAttachmentRoutes(http::Router& router, ApiContext& ctx);
void RegisterMailApiRoutes(http::Router& router, ApiContext& ctx);
void RegisterProfileRoutes(http::Router& router, ApiContext& ctx);

void RegisterAdminRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;

  // Staff: the directory (filters, paging, each organisation's contracts, open tickets and
  // missing profile areas in one read). A customer without parameters: its own organisation;
  // asking a customer's session for the directory is refused (403).
  router.Add(V::kGet, "/api/v1/orgs",
             Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
               if (!who.staff() && rq.query_params.empty()) {
                 auto r = co_await Offload(ctx.ReadPool(),
                                           [&ctx, &who] { return ctx.admin.ListOrgs(who); });
                 co_return Encode(r, 200, codec::OrgListJson);
               }
               auto q = ParseOrgDirectoryQuery(rq);
               if (!q) co_return ErrorOf(q.error());
               auto r = co_await Offload(ctx.ReadPool(),
                                         [&ctx, &who, &q] { return ctx.admin.Directory(who, *q); });
               co_return Encode(r, 200, codec::OrgDirectoryJson);
             }));

  router.Add(V::kPost, "/api/v1/orgs",
             Authed(ctx,
                    [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto in = codec::ParseNewOrg(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &in] {
                        return ctx.admin.CreateOrg(who, in->slug, in->name);
                      });
                      co_return Encode(r, 201, codec::OrgJson);
                    }),
             {.body_limit = 16 * 1024});

  router.Add(V::kGet, "/api/v1/orgs/{slug}", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, &slug] { return ctx.admin.GetOrg(who, slug); });
    co_return Encode(r, 200, codec::OrgJson);
  }));

  router.Add(V::kGet, "/api/v1/orgs/{slug}/contracts", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, &slug] { return ctx.admin.ListContracts(who, slug); });
    co_return Encode(r, 200, codec::ContractListJson);
  }));

  router.Add(V::kPost, "/api/v1/orgs/{slug}/contracts", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto in = codec::ParseNewContract(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &slug, &in] { return ctx.admin.CreateContract(who, slug, *in); });
    co_return Encode(r, 201, codec::ContractJson);
  }), {.body_limit = 16 * 1024});

  router.Add(V::kGet, "/api/v1/users", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::optional<std::string> org;
    for (const auto& [k, v] : rq.query_params) {
      if (k == "org") {
        if (!v.empty()) org = v;
      } else {
        co_return ErrorOf(UnknownQueryParameter(k));
      }
    }
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, &org] { return ctx.admin.ListUsers(who, org); });
    co_return Encode(r, 200, codec::UserListJson);
  }));

  router.Add(V::kPost, "/api/v1/users",
             Authed(ctx,
                    [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto in = codec::ParseNewUser(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      // Hashing the password is costly: the hash pool, not the storage pool.
                      auto r = co_await Offload(ctx.hash_pool, [&ctx, &who, &in] {
                        return ctx.admin.CreateUser(who, *in);
                      });
                      co_return Encode(r, 201, codec::UserJson);
                    }),
             {.body_limit = 16 * 1024});
}

void RegisterUserChangeRoutes(http::Router& router, ApiContext& ctx) {
  // Changes a user: name, mail language, organisation administrator, role, active (rules on
  // AdminService::UpdateUser). The auth cache forgets the user so the change (a revoked
  // org_admin, a deactivation) holds from the next request on.
  router.Add(http::Verb::kPatch, "/api/v1/users/{id}", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = PositiveId(rq.PathParam("id"), "no user ");
    if (!id) co_return ErrorOf(id.error());
    auto change = codec::ParseUserChange(rq.body);
    if (!change) co_return ErrorOf(change.error());
    auto r = co_await Offload(ctx.db_pool, [&] { return ctx.admin.UpdateUser(who, UserId{*id}, *change); });
    if (r) ctx.auth.ForgetUser(r->id);
    if (r && !r->active && ctx.live != nullptr) ctx.live->CloseUser(r->id);
    if (r && !r->active && ctx.chat_live != nullptr) ctx.chat_live->CloseUser(r->id);
    co_return Encode(r, 200, codec::UserJson);
  }), {.body_limit = 4 * 1024});

  router.Add(http::Verb::kGet, "/api/v1/users/{id}/history", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = PositiveId(rq.PathParam("id"), "no user ");
    if (!id) co_return ErrorOf(id.error());
    auto r = co_await Offload(ctx.ReadPool(), [&] { return ctx.admin.UserHistory(who, UserId{*id}); });
    co_return Encode(r, 200, codec::UserHistoryJson);
  }));
}

namespace {

// Equal in time that does not depend on where two strings differ (both are hashed first, so the
// comparison also takes the same time whatever their lengths).
bool SameSecret(std::string_view a, std::string_view b) {
  unsigned char ha[crypto_generichash_BYTES];
  unsigned char hb[crypto_generichash_BYTES];
  crypto_generichash(ha, sizeof ha, reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                     nullptr, 0);
  crypto_generichash(hb, sizeof hb, reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                     nullptr, 0);
  return sodium_memcmp(ha, hb, sizeof ha) == 0;
}

// Who may read /metrics (ApiOptions::metrics_open, metrics_token): kNotFound when it is closed
// to everyone, kUnauthenticated when the request lacks the right Bearer token.
Status CheckMetricsAccess(const Request& rq, const ApiOptions& options) {
  if (options.metrics_open) return Ok();
  if (options.metrics_token.empty()) return Fail(ErrorCode::kNotFound, "no route for GET /metrics");
  const auto token = http::BearerToken(rq.Header("Authorization"));
  if (!token) {
    return Fail(ErrorCode::kUnauthenticated,
                "/metrics needs 'Authorization: Bearer <token>' (serve --metrics-token)");
  }
  if (!SameSecret(*token, options.metrics_token)) {
    return Fail(ErrorCode::kUnauthenticated, "wrong metrics token");
  }
  return Ok();
}

}  // namespace

void RegisterSystemRoutes(http::Router& router, ApiContext& ctx) {
  // 200 {"status":"ok"}; 503 (reason store_unavailable, Retry-After) while the store's server
  // cannot be reached (ApiContext::health_store).
  router.Add(http::Verb::kGet, "/healthz", [&ctx](Request&) -> awaitable<Response> {
    if (ctx.health_store != nullptr) {
      Status store = co_await Offload(ctx.ReadPool(), [&ctx] {
        return ctx.health_store->Read([](app::ReadTx&) { return Ok(); });
      });
      if (!store) co_return ErrorOf(store.error());
    }
    co_return Response::Json(200, codec::Serialize(codec::StatusJson("ok")));
  });
  router.Add(http::Verb::kGet, "/metrics", [&ctx](Request& rq) -> awaitable<Response> {
    // 401 answers carry WWW-Authenticate: Bearer (ErrorOf).
    if (auto allowed = CheckMetricsAccess(rq, ctx.options); !allowed)
      co_return ErrorOf(allowed.error());
    // Gauge readers query the store: render on the storage pool.
    std::string text = co_await Offload(ctx.ReadPool(), [&ctx] { return ctx.metrics.Render(); });
    Response r = Response::Text(200, std::move(text));
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    co_return r;
  });
}

void RegisterApiRoutes(http::Router& router, ApiContext& ctx) {
  RegisterSystemRoutes(router, ctx);
  RegisterAuthRoutes(router, ctx);
  RegisterTicketRoutes(router, ctx);
  RegisterAttachmentRoutes(router, ctx);
  RegisterAdminRoutes(router, ctx);
  RegisterUserChangeRoutes(router, ctx);
  RegisterMailApiRoutes(router, ctx);
  if (ctx.profiles != nullptr) RegisterProfileRoutes(router, ctx);
}

}  // namespace soporte::transport::api
