#include "transport/api/calendar_handlers.hpp"

#include <charconv>

#include "transport/api/codec/calendar_codec.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/org_codec.hpp"
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

// Defined below.
void RegisterClosureAndContractRoutes(http::Router& router, ApiContext& ctx,
                                      app::CalendarService* cs);
}  // namespace

void RegisterCalendarRoutes(http::Router& router, ApiContext& ctx, app::CalendarService& calendars) {
  using V = http::Verb;
  app::CalendarService* cs = &calendars;

  router.Add(V::kGet, "/api/v1/calendars", Authed(ctx, [&ctx, cs](Request&, const app::Principal& who) -> awaitable<Response> {
    auto r = co_await Offload(ctx.ReadPool(), [cs, &who] { return cs->List(who); });
    co_return Encode(r, 200, codec::CalendarListJson);
  }));

  router.Add(V::kPost, "/api/v1/calendars",
             Authed(ctx,
                    [&ctx, cs](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto in = codec::ParseCalendarInput(rq.body, false);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(
                          ctx.db_pool, [cs, &who, &in] { return cs->Create(who, std::move(*in)); });
                      co_return Encode(r, 201, codec::CalendarJson);
                    }),
             {.body_limit = 64 * 1024});

  router.Add(V::kGet, "/api/v1/calendars/{id}", Authed(ctx, [&ctx, cs](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = PathId(rq, "id", "calendar");
    if (!id) co_return ErrorOf(id.error());
    auto r = co_await Offload(ctx.ReadPool(), [cs, &who, &id] { return cs->Get(who, CalendarId{*id}); });
    co_return Encode(r, 200, codec::CalendarJson);
  }));

  router.Add(V::kPut, "/api/v1/calendars/{id}", Authed(ctx, [&ctx, cs](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = PathId(rq, "id", "calendar");
    if (!id) co_return ErrorOf(id.error());
    auto in = codec::ParseCalendarInput(rq.body, true);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [cs, &who, &id, &in] { return cs->Update(who, CalendarId{*id}, std::move(*in)); });
    co_return Encode(r, 200, codec::CalendarJson);
  }), {.body_limit = 64 * 1024});

  RegisterClosureAndContractRoutes(router, ctx, cs);
}

namespace {

// A calendar's closure days, and which calendar a contract follows.
void RegisterClosureAndContractRoutes(http::Router& router, ApiContext& ctx,
                                      app::CalendarService* cs) {
  using V = http::Verb;

  router.Add(V::kPost, "/api/v1/calendars/{id}/closures", Authed(ctx, [&ctx, cs](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = PathId(rq, "id", "calendar");
    if (!id) co_return ErrorOf(id.error());
    auto in = codec::ParseNewClosure(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [cs, &who, &id, &in] {
      return cs->AddClosure(who, CalendarId{*id}, in->date, std::move(in->reason));
    });
    co_return Encode(r, 201, codec::CalendarJson);
  }), {.body_limit = 16 * 1024});

  router.Add(V::kDelete, "/api/v1/calendars/{id}/closures/{date}", Authed(ctx, [&ctx, cs](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = PathId(rq, "id", "calendar");
    if (!id) co_return ErrorOf(id.error());
    auto day = codec::ParseDate(rq.PathParam("date"), "date");
    if (!day) co_return ErrorOf(day.error());
    auto r = co_await Offload(ctx.db_pool, [cs, &who, &id, &day] { return cs->RemoveClosure(who, CalendarId{*id}, *day); });
    co_return Encode(r, 200, codec::CalendarJson);
  }));

  router.Add(V::kPatch, "/api/v1/orgs/{slug}/contracts/{id}", Authed(ctx, [&ctx, cs](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string slug(rq.PathParam("slug"));
    auto id = PathId(rq, "id", "contract");
    if (!id) co_return ErrorOf(id.error());
    auto calendar = codec::ParseContractPatch(rq.body);
    if (!calendar) co_return ErrorOf(calendar.error());
    auto r = co_await Offload(ctx.db_pool, [cs, &who, &slug, &id, &calendar] {
      return cs->AssignToContract(who, slug, ContractId{*id}, *calendar);
    });
    co_return Encode(r, 200, codec::ContractJson);
  }), {.body_limit = 16 * 1024});
}

}  // namespace

}  // namespace soporte::transport::api
