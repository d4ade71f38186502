// Files in and out of the blob store over HTTP, the one path for a ticket's attachments
// (attachment_handlers.cpp) and a chat's files (chat_handlers.cpp): uploads as multipart/form-data
// streamed to the blob store (never whole in memory; parsing on the io thread, file I/O on the
// storage pool), downloads streamed from disk with byte ranges (a video plays from any point).
#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "app/ports/blob_store.hpp"
#include "common/result.hpp"
#include "transport/api/api_context.hpp"
#include "transport/http/request.hpp"
#include "transport/http/response.hpp"

namespace soporte::transport::api {

// One file of an upload, its blob durable (committed) in the blob store.
struct ReceivedFile {
  std::string filename;      // the client's name, cleaned (domain/ticket/file_name)
  std::string content_type;  // sniffed from the bytes (ctx.sniff); the client's claim is ignored
  app::BlobInfo blob;
};

// The body limit of an upload route: a few files of the largest allowed size, plus the framing.
std::uint64_t UploadBodyLimit(const ApiContext& ctx);

// Reads the multipart body of `rq` (a streaming route), writing each file part to the blob store
// with ctx.options.attachment_limit per file (kTooLarge naming the file past it), and commits the
// blobs once the whole body is read. At most `max_files` files (kInvalidArgument past it);
// plain form fields are ignored. kInvalidArgument when there is no file part or the framing is
// wrong. The caller authorises before calling (no byte is stored for a refused caller) and writes
// the rows that name the blobs after.
boost::asio::awaitable<Result<std::vector<ReceivedFile>>> ReceiveFiles(http::Request& rq,
                                                                       ApiContext& ctx,
                                                                       std::size_t max_files);

// A stored file as a response: the whole file, or the one byte range `rq` asks for (206, at most
// 4 MiB: a longer range is answered with its first 4 MiB and Content-Range says so), 416 for a
// range outside it. Content-Disposition inline for images, videos and PDF, attachment otherwise,
// with `filename`.
boost::asio::awaitable<http::Response> ServeFile(const http::Request& rq, ApiContext& ctx,
                                                 std::string path, std::string content_type,
                                                 std::string filename, std::int64_t size);

}  // namespace soporte::transport::api
