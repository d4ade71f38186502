// Attachment routes: POST /api/v1/tickets/{number}/attachments (multipart/form-data, streamed to
// the blob store) and GET /api/v1/attachments/{id} (streamed from disk, with byte ranges), both
// through file_transfer.hpp. The stored content type is sniffed from the bytes.
#include "transport/api/api_context.hpp"
#include "transport/api/file_transfer.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/ticket_codec.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

void RegisterAttachmentRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions upload_options;
  upload_options.streaming = true;
  upload_options.body_limit = UploadBodyLimit(ctx);

  router.Add(http::Verb::kPost, "/api/v1/tickets/{number}/attachments",
             Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto parsed = PositiveId(rq.PathParam("number"), "no ticket #");
    if (!parsed) co_return ErrorOf(parsed.error());
    const std::int64_t number = *parsed;
    // Authorise before a single byte is stored.
    auto can = co_await Offload(ctx.db_pool, [&] { return ctx.tickets.CheckCanAttach(who, number); });
    if (!can) co_return ErrorOf(can.error());

    auto files = co_await ReceiveFiles(rq, ctx, 64);
    if (!files) co_return ErrorOf(files.error());
    // The blobs are durable; now the rows that name them.
    auto stored = co_await Offload(ctx.db_pool, [&]() -> Result<std::vector<app::AttachmentView>> {
      std::vector<app::AttachmentView> out;
      for (auto& f : *files) {
        SOPORTE_TRY(view,
                    ctx.tickets.AddAttachment(
                        who, number, app::AttachmentUpload{f.filename, f.content_type, f.blob}));
        out.push_back(std::move(view));
      }
      return out;
    });
    if (!stored) co_return ErrorOf(stored.error());
    co_return Response::Json(201, codec::Serialize(codec::AttachmentListJson(*stored)));
  }), upload_options);

  router.Add(http::Verb::kGet, "/api/v1/attachments/{id}",
             Authed(ctx, [&ctx](Request& rq, const app::Principal& who) -> awaitable<Response> {
    auto parsed = PositiveId(rq.PathParam("id"), "no attachment ");
    if (!parsed) co_return ErrorOf(parsed.error());
    const std::int64_t id = *parsed;
    auto found = co_await Offload(ctx.db_pool, [&]() -> Result<std::pair<domain::Attachment, std::string>> {
      SOPORTE_TRY(a, ctx.tickets.GetAttachment(who, AttachmentId{id}));
      SOPORTE_TRY(path, ctx.blobs.PathOf(a.sha256));
      return std::make_pair(std::move(a), std::move(path));
    });
    if (!found) co_return ErrorOf(found.error());
    auto& [a, path] = *found;
    co_return co_await ServeFile(rq, ctx, std::move(path), a.content_type, a.filename, a.size);
  }));
}

}  // namespace soporte::transport::api
