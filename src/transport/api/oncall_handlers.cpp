#include "transport/api/oncall_handlers.hpp"

#include <charconv>
#include <optional>
#include <string>

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/oncall_codec.hpp"
#include "transport/http/offload.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

// The query parameter `key` as an instant (no offset: America/Bogota); nullopt when absent.
Result<std::optional<Instant>> QueryTime(const Request& rq, std::string_view key, bool required) {
  const std::string* v = rq.Query(key);
  if (v == nullptr || v->empty()) {
    if (required) return Fail(ErrorCode::kInvalidArgument, std::string(key) + " is required");
    return std::optional<Instant>();
  }
  auto t = text::ParseIso8601(*v, domain::calendar::ZoneOrUtc(domain::calendar::kDefaultZone));
  if (!t) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(key) + " must be an ISO 8601 date-time (got '" + *v + "')");
  }
  return std::optional<Instant>(*t);
}

Result<std::int64_t> RotaId(const Request& rq) {
  return PositiveId(rq.PathParam("id"), "no rota ");
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

void RegisterPageRoutes(http::Router& router, ApiContext& ctx, app::Paging* pg);

// The staffed calendar a request names: ?for=chat the live chat's own, else the on-call one.
Result<std::string_view> StaffedKey(Request& rq) {
  const std::string* f = rq.Query("for");
  if (f == nullptr || *f == "oncall") return std::string_view(app::StaffedHours::kSettingKey);
  if (*f == "chat") return std::string_view(app::StaffedHours::kChatSettingKey);
  return Fail(ErrorCode::kInvalidArgument, "for: oncall or chat");
}

}  // namespace

void RegisterOnCallRoutes(http::Router& router, ApiContext& ctx, app::OnCallService& oncall,
                          app::Paging& paging) {
  using V = http::Verb;
  app::OnCallService* oc = &oncall;

  router.Add(V::kGet, "/api/v1/oncall/now",
             Authed(ctx, [&ctx, oc](Request&, const app::Principal& who) -> awaitable<Response> {
               auto r = co_await Offload(ctx.ReadPool(),
                                         [oc, &who] { return oc->At(who, std::nullopt); });
               co_return Encode(r, 200, codec::OnCallAnswerJson);
             }));

  router.Add(V::kGet, "/api/v1/oncall/at",
             Authed(ctx, [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto at = QueryTime(rq, "time", true);
               if (!at) co_return ErrorOf(at.error());
               auto r =
                   co_await Offload(ctx.ReadPool(), [oc, &who, &at] { return oc->At(who, *at); });
               co_return Encode(r, 200, codec::OnCallAnswerJson);
             }));

  router.Add(V::kGet, "/api/v1/oncall/rotas",
             Authed(ctx, [&ctx, oc](Request&, const app::Principal& who) -> awaitable<Response> {
               auto r = co_await Offload(ctx.ReadPool(), [oc, &who] { return oc->ListRotas(who); });
               co_return Encode(r, 200, codec::RotaListJson);
             }));

  router.Add(V::kPost, "/api/v1/oncall/rotas",
             Authed(ctx,
                    [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto in = codec::ParseRotaInput(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(ctx.db_pool, [oc, &who, &in] {
                        return oc->CreateRota(who, std::move(*in));
                      });
                      co_return Encode(r, 201, codec::RotaJson);
                    }),
             {.body_limit = 256 * 1024});

  router.Add(V::kGet, "/api/v1/oncall/rotas/{id}",
             Authed(ctx, [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = RotaId(rq);
               if (!id) co_return ErrorOf(id.error());
               auto r = co_await Offload(ctx.ReadPool(),
                                         [oc, &who, &id] { return oc->GetRota(who, *id); });
               co_return Encode(r, 200, codec::RotaJson);
             }));

  router.Add(V::kPut, "/api/v1/oncall/rotas/{id}",
             Authed(ctx,
                    [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto id = RotaId(rq);
                      if (!id) co_return ErrorOf(id.error());
                      auto in = codec::ParseRotaInput(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      in->id = *id;
                      auto r = co_await Offload(ctx.db_pool, [oc, &who, &in] {
                        return oc->UpdateRota(who, std::move(*in));
                      });
                      co_return Encode(r, 200, codec::RotaJson);
                    }),
             {.body_limit = 256 * 1024});

  router.Add(V::kDelete, "/api/v1/oncall/rotas/{id}",
             Authed(ctx, [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = RotaId(rq);
               if (!id) co_return ErrorOf(id.error());
               auto st = co_await Offload(ctx.db_pool,
                                          [oc, &who, &id] { return oc->DeleteRota(who, *id); });
               if (!st) co_return ErrorOf(st.error());
               co_return NoContent();
             }));

  router.Add(
      V::kGet, "/api/v1/oncall/rotas/{id}/schedule",
      Authed(ctx, [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
        auto id = RotaId(rq);
        if (!id) co_return ErrorOf(id.error());
        auto from = QueryTime(rq, "from", false);
        if (!from) co_return ErrorOf(from.error());
        int days = 14;
        if (const std::string* d = rq.Query("days"); d != nullptr && !d->empty()) {
          auto [p, ec] = std::from_chars(d->data(), d->data() + d->size(), days);
          if (ec != std::errc() || p != d->data() + d->size()) {
            co_return ErrorOf(Error{ErrorCode::kInvalidArgument, "days must be an integer (1–31)"});
          }
        }
        auto r = co_await Offload(ctx.ReadPool(), [oc, &who, &id, &from, days] {
          return oc->Schedule(who, *id, *from, days);
        });
        co_return Encode(r, 200, codec::RotaScheduleJson);
      }));

  router.Add(V::kGet, "/api/v1/oncall/staffed",
             Authed(ctx, [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto key = StaffedKey(rq);
               if (!key) co_return ErrorOf(key.error());
               const std::string_view k = *key;
               auto r = co_await Offload(ctx.ReadPool(),
                                         [oc, &who, k] { return oc->StaffedCalendar(who, k); });
               co_return Encode(r, 200, codec::StaffedCalendarJson);
             }));

  router.Add(V::kPut, "/api/v1/oncall/staffed",
             Authed(ctx,
                    [&ctx, oc](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto key = StaffedKey(rq);
                      if (!key) co_return ErrorOf(key.error());
                      const std::string_view k = *key;
                      auto in = codec::ParseStaffedCalendar(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(ctx.db_pool, [oc, &who, &in, k] {
                        return oc->SetStaffedCalendar(who, *in, k);
                      });
                      co_return Encode(r, 200, codec::StaffedCalendarJson);
                    }),
             {.body_limit = 4 * 1024});

  RegisterPageRoutes(router, ctx, &paging);
}

namespace {

void RegisterPageRoutes(http::Router& router, ApiContext& ctx, app::Paging* pg) {
  using V = http::Verb;

  router.Add(V::kGet, "/api/v1/oncall/pages",
             Authed(ctx, [&ctx, pg](Request&, const app::Principal& who) -> awaitable<Response> {
               auto r = co_await Offload(ctx.ReadPool(), [pg, &who] { return pg->OpenPages(who); });
               co_return Encode(r, 200, codec::PageListJson);
             }));

  router.Add(V::kPost, "/api/v1/oncall/pages/{id}/ack",
             Authed(ctx, [&ctx, pg](Request& rq, const app::Principal& who) -> awaitable<Response> {
               auto id = PositiveId(rq.PathParam("id"), "no page ");
               if (!id) co_return ErrorOf(id.error());
               const std::string* via_q = rq.Query("via");
               const std::string via = via_q != nullptr && *via_q == "console" ? "console" : "api";
               auto st = co_await Offload(
                   ctx.db_pool, [pg, &who, &id, &via] { return pg->Acknowledge(who, *id, via); });
               if (!st) co_return ErrorOf(st.error());
               co_return NoContent();
             }));

  // Public (the token is the credential): view shows only the ticket's number, subject and
  // criticality; only ack, a POST, acknowledges (a link preview or a mail scanner fetching the
  // link's page acknowledges nothing).
  router.Add(V::kPost, "/api/v1/page-links/view",
             [&ctx, pg](Request& rq) -> awaitable<Response> {
               auto token = codec::ParsePageToken(rq.body);
               if (!token) co_return ErrorOf(token.error());
               auto r =
                   co_await Offload(ctx.ReadPool(), [pg, &token] { return pg->PeekLink(*token); });
               co_return Encode(r, 200, codec::PageLinkJson);
             },
             {.body_limit = 4 * 1024});

  router.Add(V::kPost, "/api/v1/page-links/ack",
             [&ctx, pg](Request& rq) -> awaitable<Response> {
               auto token = codec::ParsePageToken(rq.body);
               if (!token) co_return ErrorOf(token.error());
               auto r = co_await Offload(ctx.db_pool,
                                         [pg, &token] { return pg->AcknowledgeLink(*token); });
               co_return Encode(r, 200, codec::PageLinkJson);
             },
             {.body_limit = 4 * 1024});
}

}  // namespace

}  // namespace soporte::transport::api
