// A streaming, push-style multipart/form-data parser (RFC 7578 over RFC 2046 §5.1): feed the body
// chunk by chunk as it arrives (e.g. from a BodyReader) and receive part-begin (headers), part
// data and part-end callbacks, so an upload never sits whole in memory. Parts beyond the limits
// and malformed input are clear errors, never crashes. Fuzzed by fuzz/multipart_fuzz.cpp.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace soporte::transport::http {

struct PartHeaders {
  std::string name;             // Content-Disposition name (required, RFC 7578 §4.2)
  std::string filename;         // decoded filename* (RFC 5987, UTF-8/ISO-8859-1) else filename;
                                // empty when absent. Untrusted: never use it as a path.
  bool has_filename = false;    // a filename parameter was present (a file part)
  std::string content_type;     // the part's Content-Type, empty when absent (then text/plain)
  std::vector<std::pair<std::string, std::string>> headers;  // every part header, as received
};

struct MultipartLimits {
  std::size_t max_parts = 256;
  std::size_t max_header_bytes = 8 * 1024;  // one part's header block
};

// Returns the boundary of a `multipart/form-data; boundary=…` Content-Type value.
// Fails with kUnsupportedMedia when the media type is not multipart/form-data, kInvalidArgument
// when the boundary is missing or not 1–70 bchars (RFC 2046 §5.1.1). Thread-safe.
Result<std::string> BoundaryFromContentType(std::string_view content_type);

class MultipartParser {
 public:
  // Each callback may fail to abort parsing (e.g. a disk write failed); its error is returned
  // by the Feed() that invoked it. Data callbacks get views valid only during the call.
  struct Callbacks {
    std::function<Status(const PartHeaders&)> on_part_begin;
    std::function<Status(std::string_view)> on_part_data;  // zero or more calls per part
    std::function<Status()> on_part_end;
  };

  // `boundary` as returned by BoundaryFromContentType. Missing callbacks are skipped.
  MultipartParser(std::string boundary, Callbacks callbacks, MultipartLimits limits = {});

  // Consumes the next chunk of the body (any size, split anywhere). Fails with
  // kInvalidArgument on malformed input (bad delimiter line, part header syntax, a part without a
  // name or not form-data), kTooLarge past a limit, or with a callback's error. Errors are
  // sticky: once failed, every later call returns the same error. Not thread-safe.
  Status Feed(std::string_view chunk);

  // Call at the end of the body. Fails with kInvalidArgument when the body was truncated (no
  // closing delimiter "--boundary--"), or with the earlier sticky error.
  Status Finish();

  // True once the closing delimiter has been seen (the epilogue is ignored).
  bool done() const { return state_ == State::kEpilogue; }
  std::size_t parts() const { return parts_; }

 private:
  enum class State { kPreamble, kBody, kAfterDelimiter, kPadding, kHeaders, kEpilogue, kFailed };
  Status Failed(ErrorCode code, std::string message);
  Status ParseHeaders(std::string_view block, PartHeaders& out);

  std::string delimiter_;  // "\r\n--" + boundary
  Callbacks callbacks_;
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  std::string carry_;       // bytes that may begin a delimiter, or an incomplete small token
  std::string header_buf_;  // the current part's header block, as it accumulates
  std::size_t parts_ = 0;
  Error error_{ErrorCode::kInternal, ""};
};

}  // namespace soporte::transport::http
