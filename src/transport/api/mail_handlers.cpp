// The email desk's routes (docs/api.md, "Inbound mail" and "Outgoing mail"), staff only:
//   GET  /api/v1/inbound[?status=open|assigned|attached|spam|discarded|all]
//   GET  /api/v1/inbound/{id}                 text and files
//   GET  /api/v1/inbound/{id}/files/{index}   one file of the message
//   GET  /api/v1/inbound/{id}/raw             the message as received (message/rfc822)
//   POST /api/v1/inbound/{id}/actions         assign | attach | spam | discard
//   GET  /api/v1/outbox/failed[?limit=N]      mail that could not be delivered
//   POST /api/v1/outbox/{id}/retry            put one back in the queue
#include <cctype>
#include <charconv>
#include <cstring>

#include "transport/api/query_codec.hpp"
#include "transport/api/api_context.hpp"
#include "transport/api/codec/mail_codec.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

Result<std::int64_t> IdParam(std::string_view s, const std::string& what) {
  return PositiveId(s, "no " + what + " ");
}

// A file of mail from outside: always downloaded, never shown inline (it may be hostile HTML).
Response Download(const std::string& path, const std::string& type, std::int64_t size, const std::string& name) {
  Response r = Response::File(http::FileBody{path, type, static_cast<std::uint64_t>(size)});
  r.AddHeader("Content-Disposition", ContentDisposition(false, name));
  return r;
}

// Defined below.
void RegisterOutboxRoutes(http::Router& router, ApiContext& ctx, app::OutboxAdmin& outbox);
}  // namespace

void RegisterMailApiRoutes(http::Router& router, ApiContext& ctx) {
  using V = http::Verb;
  if (ctx.inbound == nullptr || ctx.outbox == nullptr) return;
  app::InboundDesk& desk = *ctx.inbound;
  app::OutboxAdmin& outbox = *ctx.outbox;

  router.Add(V::kGet, "/api/v1/inbound", Authed(ctx, [&ctx, &desk](Request& rq, const app::Principal& who) -> awaitable<Response> {
    std::string status;
    for (const auto& [k, v] : rq.query_params) {
      if (k == "status") {
        status = v;
      } else {
        co_return ErrorOf(UnknownQueryParameter(k));
      }
    }
    auto r = co_await Offload(ctx.ReadPool(), [&] { return desk.List(who, status); });
    co_return Encode(r, 200, codec::InboundListJson);
  }));

  router.Add(V::kGet, "/api/v1/inbound/{id}", Authed(ctx, [&ctx, &desk](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = IdParam(rq.PathParam("id"), "inbound message");
    if (!id) co_return ErrorOf(id.error());
    auto r = co_await Offload(ctx.ReadPool(), [&] { return desk.Get(who, *id); });
    co_return Encode(r, 200, [](const auto& v) { return codec::InboundJson(v, true); });
  }));

  router.Add(V::kGet, "/api/v1/inbound/{id}/files/{index}", Authed(ctx, [&ctx, &desk](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = IdParam(rq.PathParam("id"), "inbound message");
    if (!id) co_return ErrorOf(id.error());
    std::string_view idx_text = rq.PathParam("index");
    std::size_t index = 0;
    auto [p, ec] = std::from_chars(idx_text.data(), idx_text.data() + idx_text.size(), index);
    const bool bad_index = ec != std::errc{} || p != idx_text.data() + idx_text.size();
    auto found = co_await Offload(ctx.ReadPool(), [&]() -> Result<std::pair<app::UnassignedAttachment, std::string>> {
      SOPORTE_TRY(v, desk.Get(who, *id));
      if (bad_index || index >= v.message.attachments.size()) {
        return Fail(ErrorCode::kNotFound, "inbound message " + std::to_string(*id) + " has no file " + std::string(idx_text));
      }
      const auto& a = v.message.attachments[index];
      SOPORTE_TRY(path, ctx.blobs.PathOf(a.sha256));
      return std::make_pair(a, std::move(path));
    });
    if (!found) co_return ErrorOf(found.error());
    const auto& [a, path] = *found;
    co_return Download(path, a.content_type.empty() ? "application/octet-stream" : a.content_type, a.size, a.filename);
  }));

  router.Add(V::kGet, "/api/v1/inbound/{id}/raw", Authed(ctx, [&ctx, &desk](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = IdParam(rq.PathParam("id"), "inbound message");
    if (!id) co_return ErrorOf(id.error());
    auto found = co_await Offload(ctx.ReadPool(), [&]() -> Result<std::pair<app::InboundView, std::string>> {
      SOPORTE_TRY(v, desk.Get(who, *id));
      if (v.message.raw_sha256.empty()) {
        return Fail(ErrorCode::kNotFound, "inbound message " + std::to_string(*id) + " was not kept as received");
      }
      SOPORTE_TRY(path, ctx.blobs.PathOf(v.message.raw_sha256));
      return std::make_pair(std::move(v), std::move(path));
    });
    if (!found) co_return ErrorOf(found.error());
    const auto& [v, path] = *found;
    co_return Download(path, "message/rfc822", v.message.raw_size, "mensaje-" + std::to_string(v.message.id) + ".eml");
  }));

  router.Add(V::kPost, "/api/v1/inbound/{id}/actions", Authed(ctx, [&ctx, &desk](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = IdParam(rq.PathParam("id"), "inbound message");
    if (!id) co_return ErrorOf(id.error());
    if (!who.staff()) co_return ErrorOf({ErrorCode::kPermissionDenied, "only support staff may handle inbound mail"});
    auto in = codec::ParseInboundAction(rq.body);
    if (!in) co_return ErrorOf(in.error());
    auto r = co_await Offload(ctx.db_pool, [&]() -> Result<app::InboundView> {
      Result<app::InboundDecision> d = Fail(ErrorCode::kInternal, "no action");
      if (in->action == "assign") {
        d = desk.Assign(who, *id, in->assign);
      } else if (in->action == "attach") {
        d = desk.Attach(who, *id, in->ticket);
      } else {
        d = desk.Dismiss(who, *id, in->action == "spam" ? "spam" : "discarded", in->reason);
      }
      if (!d) return tl::make_unexpected(d.error());
      return desk.Get(who, *id);
    });
    co_return Encode(r, 200, [](const auto& v) { return codec::InboundJson(v, true); });
  }), {.body_limit = 16 * 1024});

  RegisterOutboxRoutes(router, ctx, outbox);
}

namespace {

// Outgoing mail that could not be delivered: the list and a retry.
void RegisterOutboxRoutes(http::Router& router, ApiContext& ctx, app::OutboxAdmin& outbox) {
  using V = http::Verb;

  router.Add(
      V::kGet, "/api/v1/outbox/failed",
      Authed(ctx, [&ctx, &outbox](Request& rq, const app::Principal& who) -> awaitable<Response> {
        int limit = 50;
        for (const auto& [k, v] : rq.query_params) {
          if (k == "limit") {
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
            if (ec != std::errc{} || p != v.data() + v.size() || limit < 1 || limit > 200) {
              co_return ErrorOf(
                  {ErrorCode::kInvalidArgument, "limit must be a whole number from 1 to 200"});
            }
          } else {
            co_return ErrorOf(UnknownQueryParameter(k));
          }
        }
        auto r = co_await Offload(ctx.ReadPool(), [&] { return outbox.ListFailed(who, limit); });
        co_return Encode(r, 200, codec::OutboxListJson);
      }));

  router.Add(
      V::kGet, "/api/v1/outbox/state",
      Authed(ctx, [&ctx, &outbox](Request& rq, const app::Principal& who) -> awaitable<Response> {
        if (!rq.query_params.empty()) {
          co_return ErrorOf(UnknownQueryParameter(rq.query_params.front().first));
        }
        auto r = co_await Offload(ctx.ReadPool(), [&] { return outbox.State(who); });
        co_return Encode(r, 200, codec::OutboxStateJson);
      }));

  router.Add(V::kPost, "/api/v1/outbox/{id}/retry", Authed(ctx, [&ctx, &outbox](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto id = IdParam(rq.PathParam("id"), "outgoing mail");
    if (!id) co_return ErrorOf(id.error());
    auto r = co_await Offload(ctx.db_pool, [&] { return outbox.Retry(who, *id); });
    co_return Encode(r, 200, codec::OutboxJson);
  }));
}

}  // namespace

}  // namespace soporte::transport::api
