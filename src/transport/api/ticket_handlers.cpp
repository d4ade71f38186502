// Ticket routes: /api/v1/tickets (create, list), /api/v1/tickets/{number} (read, change),
// its messages and its history. Each handler decodes, offloads the use case to the storage pool,
// and encodes; no rule lives here.
#include <charconv>

#include "transport/api/api_context.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/ticket_codec.hpp"
#include "transport/api/query_codec.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
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

// Defined below.
void RegisterTicketThreadRoutes(http::Router& router, ApiContext& ctx);
}  // namespace

void RegisterTicketRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;

  router.Add(V::kPost, "/api/v1/tickets",
             Authed(ctx,
                    [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
                      auto in = codec::ParseNewTicket(rq.body);
                      if (!in) co_return ErrorOf(in.error());
                      auto r = co_await Offload(
                          ctx.db_pool, [&ctx, &who, &in] { return ctx.tickets.Create(who, *in); });
                      if (!r) co_return ErrorOf(r.error());
                      Response res = Response::Json(201, codec::Serialize(codec::TicketJson(*r)));
                      res.AddHeader("Location",
                                    "/api/v1/tickets/" + std::to_string(r->ticket.number));
                      co_return res;
                    }),
             {.body_limit = 256 * 1024});

  router.Add(V::kGet, "/api/v1/tickets", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto q = ParseListQuery(rq);
    if (!q) co_return ErrorOf(q.error());
    // The consoles' common case: the page another console read since the last change.
    std::string key;
    PageCache::Mark mark;
    if (ctx.pages != nullptr) {
      key = PageKey(who, rq);
      if (!WantsFreshPage(rq)) {
        if (auto kept = ctx.pages->Find(key)) co_return Response::Json(200, std::move(*kept));
      }
      mark = ctx.pages->Now();
    }
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, &q] { return ctx.tickets.List(who, *q); });
    Response res = Encode(r, 200, codec::TicketPageJson);
    if (r && ctx.pages != nullptr) ctx.pages->Put(std::move(key), mark, res.body);
    co_return res;
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await PointRead(ctx, [&ctx, &who, n = *n] { return ctx.tickets.Get(who, n); });
    co_return Encode(r, 200, codec::TicketJson);
  }));

  router.Add(V::kPatch, "/api/v1/tickets/{number}", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto patch = codec::ParseTicketPatch(rq.body);
    if (!patch) co_return ErrorOf(patch.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &patch, n = *n] { return ctx.tickets.Update(who, n, *patch); });
    co_return Encode(r, 200, codec::TicketJson);
  }), {.body_limit = 64 * 1024});

  RegisterTicketThreadRoutes(router, ctx);
}

namespace {

// A ticket's thread: its messages, logged calls, history and attachments.
void RegisterTicketThreadRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;

  router.Add(V::kPost, "/api/v1/tickets/{number}/messages", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto in = codec::ParseNewArticle(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &in, n = *n] {
      return ctx.tickets.AddArticle(who, n, std::move(in->body), in->internal);
    });
    co_return Encode(r, 201, codec::ArticleJson);
  }), {.body_limit = 256 * 1024});

  // Staff log a telephone call on an existing ticket (an article with channel phone).
  router.Add(V::kPost, "/api/v1/tickets/{number}/calls", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto in = codec::ParsePhoneCall(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&ctx, &who, &in, n = *n] {
      return ctx.tickets.LogPhoneCall(who, n, std::move(*in));
    });
    co_return Encode(r, 201, codec::ArticleJson);
  }), {.body_limit = 256 * 1024});

  router.Add(V::kGet, "/api/v1/tickets/{number}/messages", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, n = *n] { return ctx.tickets.ListArticles(who, n); });
    co_return Encode(r, 200, codec::ArticleListJson);
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}/history", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, n = *n] { return ctx.tickets.History(who, n); });
    co_return Encode(r, 200, codec::HistoryJson);
  }));

  router.Add(V::kGet, "/api/v1/tickets/{number}/attachments", Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto n = TicketNumber(rq);
    if (!n) co_return ErrorOf(n.error());
    auto r = co_await Offload(ctx.ReadPool(), [&ctx, &who, n = *n] { return ctx.tickets.ListAttachments(who, n); });
    co_return Encode(r, 200, codec::AttachmentListJson);
  }));
}

}  // namespace

}  // namespace soporte::transport::api
