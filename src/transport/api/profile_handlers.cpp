// Routes of a customer's profile (issue 6), under /api/v1/orgs/{slug}/profile: the whole
// profile, create/replace/delete of one entry by kind, reveal of a secret (reason required),
// the reveal log and the history; export and import of the whole profile as a document.
// Authorization is the use case's (app/profiles).
#include <charconv>

#include "transport/api/api_context.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/profile_codec.hpp"
#include "transport/api/codec/profile_document_codec.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

// A positive integer path parameter; kNotFound naming `what` otherwise.
Result<std::int64_t> IdParam(const Request& rq, std::string_view name, std::string_view what) {
  return PositiveId(rq.PathParam(name), "no " + std::string(what) + " ");
}

Result<domain::ProfileKind> KindParam(const Request& rq) {
  std::string_view s = rq.PathParam("kinds");
  auto k = domain::ParseProfileKindPlural(s);
  if (!k) return Fail(ErrorCode::kNotFound, "no profile section '" + std::string(s) + "'");
  return *k;
}

// The export document as a download (Content-Disposition names the file).
Response DocumentResponse(const Result<app::ProfileDocument>& doc) {
  if (!doc) return ErrorOf(doc.error());
  Response r = Response::Json(200, codec::Serialize(codec::ProfileDocumentJson(*doc)));
  r.AddHeader("Content-Disposition", ContentDisposition(false, codec::ProfileExportFileName(*doc)));
  return r;
}

// A place for one costly job of `who` (always granted when the wiring set no gate).
std::optional<std::optional<http::WorkGate::Pass>> AdmitCostly(ApiContext& ctx,
                                                               const app::Principal& who) {
  if (ctx.costly_gate == nullptr) return std::optional<http::WorkGate::Pass>{};
  auto pass = ctx.costly_gate->TryEnter(who.user_id.value());
  if (!pass) return std::nullopt;
  return std::optional<http::WorkGate::Pass>(std::move(pass));
}

// Refused at once rather than queued: the key derivation is costly, and logins share the machine.
Response BusyResponse() {
  Response r = ErrorOf(Error{ErrorCode::kResourceExhausted,
                             "another export or import with secrets is running (one at a time per "
                             "user, a few at once in all); try again in a few seconds",
                             Seconds{5}, "busy"});
  return r;  // Retry-After: 5, from the error's wait
}

void RegisterTransferRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;
  app::ProfileTransfer& transfer = *ctx.profile_transfer;

  // Without secrets: a read, like the profile itself.
  router.Add(V::kGet, "/api/v1/orgs/{slug}/profile/export",
             Authed(ctx, [&ctx, &transfer](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto r = co_await Offload(ctx.ReadPool(), [&] { return transfer.Export(who, slug, app::ExportRequest{}); });
    co_return DocumentResponse(r);
  }));

  // With secrets (a reveal: reason and passphrase in the body, never in the URL). The key
  // derivation costs about a second and 256 MiB: it runs on the small hashing pool.
  router.Add(V::kPost, "/api/v1/orgs/{slug}/profile/export",
             Authed(ctx, [&ctx, &transfer](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto in = codec::ParseExportRequest(rq.body);
    if (!in) co_return ErrorOf(in.error());
    if (!in->include_secrets) {
      auto r = co_await Offload(ctx.ReadPool(), [&] { return transfer.Export(who, slug, *in); });
      co_return DocumentResponse(r);
    }
    auto pass = AdmitCostly(ctx, who);
    if (!pass) co_return BusyResponse();
    auto r = co_await Offload(ctx.CostlyPool(), [&] { return transfer.Export(who, slug, *in); });
    co_return DocumentResponse(r);
  }), {.body_limit = 8 * 1024});

  router.Add(V::kPost, "/api/v1/orgs/{slug}/profile/import",
             Authed(ctx, [&ctx, &transfer](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto in = codec::ParseImportRequest(rq.body);
    if (!in) co_return ErrorOf(in.error());
    // Only a document with encrypted secrets needs the key derivation (the costly pool).
    if (!in->document.encryption) {
      auto r = co_await Offload(ctx.db_pool, [&] { return transfer.Import(who, slug, *in); });
      co_return Encode(r, 200, codec::ImportSummaryJson);
    }
    auto pass = AdmitCostly(ctx, who);
    if (!pass) co_return BusyResponse();
    auto r = co_await Offload(ctx.CostlyPool(), [&] { return transfer.Import(who, slug, *in); });
    co_return Encode(r, 200, codec::ImportSummaryJson);
  }), {.body_limit = 8 * 1024 * 1024});
}

// Defined below.
void RegisterProfileEntryRoutes(http::Router& router, ApiContext& ctx,
                                app::ProfileService& profiles);
}  // namespace

void RegisterProfileRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;
  app::ProfileService& profiles = *ctx.profiles;
  if (ctx.profile_transfer != nullptr) RegisterTransferRoutes(router, ctx);

  router.Add(V::kGet, "/api/v1/orgs/{slug}/profile",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto r = co_await Offload(ctx.ReadPool(), [&] { return profiles.Get(who, slug); });
    co_return Encode(r, 200, codec::ProfileJson);
  }));

  router.Add(V::kGet, "/api/v1/orgs/{slug}/profile/history",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto r = co_await Offload(ctx.ReadPool(), [&] { return profiles.History(who, slug); });
    co_return Encode(r, 200, codec::ProfileHistoryJson);
  }));

  router.Add(V::kGet, "/api/v1/orgs/{slug}/profile/reveals",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto r = co_await Offload(ctx.ReadPool(), [&] { return profiles.ListReveals(who, slug); });
    co_return Encode(r, 200, codec::RevealLogJson);
  }));

  router.Add(V::kPost, "/api/v1/orgs/{slug}/profile/secrets/{id}/reveal",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto id = IdParam(rq, "id", "secret");
    if (!id) co_return ErrorOf(id.error());
    auto reason = codec::ParseRevealReason(rq.body);
    if (!reason) co_return ErrorOf(reason.error());
    auto r = co_await Offload(ctx.db_pool, [&] { return profiles.Reveal(who, slug, *id, *reason); });
    co_return Encode(r, 200, codec::RevealJson);
  }), {.body_limit = 4 * 1024});

  RegisterProfileEntryRoutes(router, ctx, profiles);
}

namespace {

// One entry of a profile by kind: create, replace, delete.
void RegisterProfileEntryRoutes(http::Router& router, ApiContext& ctx,
                                app::ProfileService& profiles) {
  using V = http::Verb;
  constexpr std::int64_t kBodyLimit = 64 * 1024;

  router.Add(V::kPost, "/api/v1/orgs/{slug}/profile/{kinds}",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto kind = KindParam(rq);
    if (!kind) co_return ErrorOf(kind.error());
    auto in = codec::ParseProfileEntryInput(*kind, rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&] { return profiles.Create(who, slug, *kind, std::move(*in)); });
    co_return Encode(r, 201, codec::ProfileEntryJson);
  }), {.body_limit = kBodyLimit});

  router.Add(V::kPut, "/api/v1/orgs/{slug}/profile/{kinds}/{id}",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto kind = KindParam(rq);
    if (!kind) co_return ErrorOf(kind.error());
    auto id = IdParam(rq, "id", domain::SpecOf(*kind).name);
    if (!id) co_return ErrorOf(id.error());
    auto in = codec::ParseProfileEntryInput(*kind, rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&] {
      return profiles.Update(who, slug, *kind, domain::ProfileEntryId{*id}, std::move(*in));
    });
    co_return Encode(r, 200, codec::ProfileEntryJson);
  }), {.body_limit = kBodyLimit});

  router.Add(V::kDelete, "/api/v1/orgs/{slug}/profile/{kinds}/{id}",
             Authed(ctx, [&ctx, &profiles](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto kind = KindParam(rq);
    if (!kind) co_return ErrorOf(kind.error());
    auto id = IdParam(rq, "id", domain::SpecOf(*kind).name);
    if (!id) co_return ErrorOf(id.error());
    auto r = co_await Offload(ctx.db_pool, [&] {
      return profiles.Delete(who, slug, *kind, domain::ProfileEntryId{*id});
    });
    if (!r) co_return ErrorOf(r.error());
    co_return Response::Json(200, codec::Serialize(codec::DeletedJson()));
  }));
}

}  // namespace

}  // namespace soporte::transport::api
