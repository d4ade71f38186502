// Ticket routes: /api/v1/tickets (create, list), /api/v1/tickets/{number} (read, change),
// its messages and its history. Each handler decodes, offloads the use case to the storage pool,
// and encodes; no rule lives here.
#include <charconv>

#include <boost/json.hpp>
#include <date/tz.h>

#include "transport/api/api_context.hpp"
#include "transport/api/json_codec.hpp"
#include "transport/cli/iso8601.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
namespace json = boost::json;
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

namespace sla = domain::sla;

// The {number} path parameter; kNotFound for anything but a positive integer (a path that
// cannot name a ticket names no ticket).
Result<std::int64_t> TicketNumber(const Request& rq) {
  return PositiveId(rq.PathParam("number"), "no ticket #");
}

// Cursor text: "<due epoch seconds>.<number>" (opaque to clients).
std::string CursorText(const std::pair<Instant, std::int64_t>& c) {
  return std::to_string(c.first.time_since_epoch().count()) + "." + std::to_string(c.second);
}

Result<std::pair<Instant, std::int64_t>> ParseCursor(const std::string& s) {
  auto dot = s.find('.');
  long long due = 0, number = 0;
  if (dot == std::string::npos) return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  auto r1 = std::from_chars(s.data(), s.data() + dot, due);
  auto r2 = std::from_chars(s.data() + dot + 1, s.data() + s.size(), number);
  if (r1.ec != std::errc{} || r1.ptr != s.data() + dot || r2.ec != std::errc{} ||
      r2.ptr != s.data() + s.size()) {
    return Fail(ErrorCode::kInvalidArgument, "cursor is not valid");
  }
  return std::make_pair(Instant{Seconds{due}}, static_cast<std::int64_t>(number));
}

Result<app::TicketListQuery> ParseListQuery(const Request& rq) {
  app::TicketListQuery q;
  for (const auto& [key, value] : rq.query_params) {
    if (value.empty()) continue;  // "?status=" means no filter
    if (key == "status") {
      auto s = domain::ParseStatus(value);
      if (!s) return Fail(ErrorCode::kInvalidArgument, "status must be one of new, open, waiting_customer, resolved, closed");
      q.status = s;
    } else if (key == "criticality") {
      auto c = sla::ParseCriticality(value);
      if (!c) return Fail(ErrorCode::kInvalidArgument, "criticality must be one of normal, important, critical");
      q.criticality = c;
    } else if (key == "org") {
      q.org_slug = value;
    } else if (key == "assignee") {
      if (value == "none") {
        q.assignee = std::optional<UserId>{};
      } else {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), id);
        if (ec != std::errc{} || p != value.data() + value.size() || id <= 0) {
          return Fail(ErrorCode::kInvalidArgument, "assignee must be a user id or 'none'");
        }
        q.assignee = std::optional<UserId>{UserId{id}};
      }
    } else if (key == "breached") {
      if (value != "true" && value != "false") return Fail(ErrorCode::kInvalidArgument, "breached must be true or false");
      q.breached = value == "true";
    } else if (key == "limit") {
      int limit = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), limit);
      if (ec != std::errc{} || p != value.data() + value.size() || limit < 1 || limit > 200) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be a whole number from 1 to 200");
      }
      q.limit = limit;
    } else if (key == "cursor") {
      SOPORTE_TRY(c, ParseCursor(value));
      q.after = c;
    } else {
      return Fail(ErrorCode::kInvalidArgument, "unknown query parameter '" + key + "'");
    }
  }
  return q;
}

}  // namespace

void RegisterTicketRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;

  router.Add(V::kPost, "/api/v1/tickets", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto in = ParseNewTicket(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &in] { return ctx.tickets.Create(who, *in); });
    if (!r) co_return ErrorOf(r.error());
    Response res = Response::Json(201, Serialize(TicketJson(*r)));
    res.AddHeader("Location", "/api/v1/tickets/" + std::to_string(r->ticket.number));
    co_return res;
  }), {.body_limit = 256 * 1024});

  router.Add(V::kGet, "/api/v1/tickets", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto q = ParseListQuery(rq);
    if (!q) co_return ErrorOf(q.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, &q] { return ctx.tickets.List(who, *q); });
    co_return Encode(r, 200, [](const app::TicketListPage& page, json::storage_ptr sp) {
      json::array items(sp);
      items.reserve(page.tickets.size());
      for (const auto& t : page.tickets) items.push_back(TicketJson(t, sp));
      json::object o({{"tickets", std::move(items)}}, sp);
      o["next_cursor"] = page.next ? json::value(CursorText(*page.next)) : json::value(nullptr);
      return json::value(std::move(o));
    });
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await PointRead(ctx, [&ctx, &who, n = *n] { return ctx.tickets.Get(who, n); });
    co_return Encode(r, 200, TicketJson);
  }));

  router.Add(V::kPatch, "/api/v1/tickets/{number}", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto patch = ParseTicketPatch(rq.body);
    if (!patch) co_return ErrorOf(patch.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &patch, n = *n] { return ctx.tickets.Update(who, n, *patch); });
    co_return Encode(r, 200, TicketJson);
  }), {.body_limit = 64 * 1024});

  router.Add(V::kPost, "/api/v1/tickets/{number}/messages", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto in = ParseNewArticle(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &in, n = *n] {
      return ctx.tickets.AddArticle(who, n, std::move(in->body), in->internal);
    });
    co_return Encode(r, 201, ArticleJson);
  }), {.body_limit = 256 * 1024});

  // Staff log a telephone call on an existing ticket (an article with channel phone).
  router.Add(V::kPost, "/api/v1/tickets/{number}/calls", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto in = ParsePhoneCall(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &in, n = *n] {
      return ctx.tickets.LogPhoneCall(who, n, std::move(*in));
    });
    co_return Encode(r, 201, ArticleJson);
  }), {.body_limit = 256 * 1024});

  router.Add(V::kGet, "/api/v1/tickets/{number}/messages", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, n = *n] { return ctx.tickets.ListArticles(who, n); });
    co_return Encode(r, 200, [](const std::vector<app::ArticleView>& list) {
      json::array items;
      for (const auto& a : list) items.push_back(ArticleJson(a));
      return json::value(json::object{{"messages", std::move(items)}});
    });
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}/history", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, n = *n] { return ctx.tickets.History(who, n); });
    co_return Encode(r, 200, HistoryJson);
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}/attachments", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, n = *n] { return ctx.tickets.ListAttachments(who, n); });
    co_return Encode(r, 200, [](const std::vector<app::AttachmentView>& list) {
      json::array items;
      for (const auto& a : list) items.push_back(AttachmentJson(a));
      return json::value(json::object{{"attachments", std::move(items)}});
    });
  }));
}

}  // namespace soporte::transport::api
