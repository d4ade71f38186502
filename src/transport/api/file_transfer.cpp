#include "transport/api/file_transfer.hpp"

#include <fstream>
#include <memory>
#include <variant>

#include "domain/ticket/file_name.hpp"
#include "transport/http/byte_range.hpp"
#include "transport/http/error_mapping.hpp"
#include "transport/http/multipart.hpp"
#include "transport/http/offload.hpp"

namespace soporte::transport::api {
using boost::asio::awaitable;
using http::Offload;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kChunk = 64 * 1024;
// The most a ranged answer (206) carries: a longer range is answered with its first kRangeMax
// bytes and the Content-Range says so (a player asks again from there).
constexpr std::uint64_t kRangeMax = 4 * 1024 * 1024;

// What the parser asked for, done later on the storage pool (the parser runs on the io thread).
struct BeginFile {
  std::string filename;
};
struct FileData {
  std::string bytes;
};
struct EndFile {};
using Action = std::variant<BeginFile, FileData, EndFile>;

struct OpenFile {
  std::string filename;
  std::unique_ptr<app::BlobWriter> writer;
};

// Bytes [first, last] of the file at `path` (read on the storage pool, never the io thread).
Result<std::string> ReadRange(const std::string& path, http::ByteRange r) {
  std::ifstream in(path, std::ios::binary);
  std::string out(static_cast<std::size_t>(r.last - r.first + 1), '\0');
  if (!in.seekg(static_cast<std::streamoff>(r.first)) ||
      !in.read(out.data(), static_cast<std::streamsize>(out.size())))
    return Fail(ErrorCode::kNotFound, "file not found");
  return out;
}

bool ShownInline(std::string_view type) {
  return type == "image/png" || type == "image/jpeg" || type == "image/gif" ||
         type == "image/webp" || type == "video/mp4" || type == "video/webm" ||
         type == "application/pdf";
}

}  // namespace

std::uint64_t UploadBodyLimit(const ApiContext& ctx) {
  return static_cast<std::uint64_t>(ctx.options.attachment_limit) * 4 + 64 * 1024;
}

awaitable<Result<std::vector<ReceivedFile>>> ReceiveFiles(Request& rq, ApiContext& ctx,
                                                          std::size_t max_files) {
  auto boundary = http::BoundaryFromContentType(rq.Header("Content-Type"));
  if (!boundary) co_return tl::make_unexpected(boundary.error());

  std::vector<Action> actions;
  bool in_file = false;
  std::size_t parts = 0;
  http::MultipartParser parser(
      *boundary, {.on_part_begin = [&](const http::PartHeaders& h) -> Status {
                    in_file = h.has_filename;
                    if (!in_file) return Ok();
                    if (++parts > max_files)
                      return Fail(ErrorCode::kInvalidArgument,
                                  "at most " + std::to_string(max_files) + " files per upload");
                    // A client's file name as the desk keeps it (the one rule:
                    // domain/ticket/file_name.hpp).
                    actions.push_back(BeginFile{domain::CleanFileName(h.filename, "archivo")});
                    return Ok();
                  },
                  .on_part_data = [&](std::string_view data) -> Status {
                    if (!in_file) return Ok();  // plain form fields are ignored
                    if (!actions.empty() && std::holds_alternative<FileData>(actions.back())) {
                      std::get<FileData>(actions.back()).bytes.append(data);
                    } else {
                      actions.push_back(FileData{std::string(data)});
                    }
                    return Ok();
                  },
                  .on_part_end = [&]() -> Status {
                    if (in_file) actions.push_back(EndFile{});
                    in_file = false;
                    return Ok();
                  }});

  std::vector<OpenFile> files;  // every file of the request, committed at the end
  OpenFile* current = nullptr;
  const std::int64_t limit = ctx.options.attachment_limit;
  // Applies the queued actions on the storage pool (file I/O never runs on the io thread).
  auto apply = [&]() -> Status {
    for (auto& a : actions) {
      if (auto* b = std::get_if<BeginFile>(&a)) {
        auto w = ctx.blobs.Begin(limit);
        if (!w) return tl::make_unexpected(w.error());
        files.push_back(OpenFile{std::move(b->filename), std::move(*w)});
        current = &files.back();
      } else if (auto* d = std::get_if<FileData>(&a)) {
        if (current == nullptr) return Fail(ErrorCode::kInternal, "file data outside a file part");
        if (auto st = current->writer->Write(d->bytes); !st) {
          if (st.error().code == ErrorCode::kTooLarge) {
            return Fail(ErrorCode::kTooLarge, "'" + current->filename +
                                                  "' is larger than the limit of " +
                                                  std::to_string(limit / (1024 * 1024)) + " MB");
          }
          return st;
        }
      } else {
        current = nullptr;
      }
    }
    actions.clear();
    return Ok();
  };

  std::vector<char> buffer(kChunk);
  for (;;) {
    auto n = co_await rq.body_reader->Read(std::span<char>(buffer.data(), buffer.size()));
    if (!n) co_return tl::make_unexpected(n.error());
    if (*n == 0) break;
    if (auto st = parser.Feed(std::string_view(buffer.data(), *n)); !st)
      co_return tl::make_unexpected(st.error());
    if (!actions.empty()) {
      auto st = co_await Offload(ctx.db_pool, apply);
      if (!st) co_return tl::make_unexpected(st.error());
    }
  }
  if (auto st = parser.Finish(); !st) co_return tl::make_unexpected(st.error());
  if (!actions.empty()) {
    auto st = co_await Offload(ctx.db_pool, apply);
    if (!st) co_return tl::make_unexpected(st.error());
  }
  if (files.empty())
    co_return Fail(ErrorCode::kInvalidArgument,
                   "no file in the upload: send a part with a filename");
  // Blobs are made durable here; the caller then writes the rows that name them.
  auto committed = co_await Offload(ctx.db_pool, [&]() -> Result<std::vector<ReceivedFile>> {
    std::vector<ReceivedFile> out;
    for (auto& f : files) {
      const std::string type = ctx.sniff(f.writer->Head());
      SOPORTE_TRY(blob, f.writer->Commit());
      out.push_back(ReceivedFile{std::move(f.filename), type, blob});
    }
    return out;
  });
  co_return committed;
}

awaitable<Response> ServeFile(const Request& rq, ApiContext& ctx, std::string path,
                              std::string content_type, std::string filename, std::int64_t bytes) {
  const auto size = static_cast<std::uint64_t>(bytes);
  const bool shown_inline = ShownInline(content_type);
  const auto decision = http::DecideRange(rq.Header("Range"), size, kRangeMax);
  if (decision.answer == http::RangeAnswer::kUnsatisfiable) {
    Response r = ErrorOf(
        Error{ErrorCode::kInvalidArgument, "the range is outside the file", {}, "", "Range"});
    r.status = 416;
    r.AddHeader("Content-Range", "bytes */" + std::to_string(size));
    r.AddHeader("Accept-Ranges", "bytes");
    co_return r;
  }
  if (decision.answer == http::RangeAnswer::kPartial) {
    const auto range = decision.range;
    auto read = co_await Offload(ctx.db_pool, [&path, &range] { return ReadRange(path, range); });
    if (!read) co_return ErrorOf(read.error());
    Response r;
    r.status = 206;
    r.content_type = content_type;
    r.body = std::move(*read);
    r.AddHeader("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                     std::to_string(range.last) + "/" + std::to_string(size));
    r.AddHeader("Accept-Ranges", "bytes");
    r.AddHeader("Content-Disposition", ContentDisposition(shown_inline, filename));
    co_return r;
  }
  Response r = Response::File(http::FileBody{std::move(path), content_type, size});
  r.AddHeader("Accept-Ranges", "bytes");
  r.AddHeader("Content-Disposition", ContentDisposition(shown_inline, filename));
  co_return r;
}

}  // namespace soporte::transport::api
