#include "transport/http/response_wire.hpp"

#include <charconv>

#include <boost/beast/http/status.hpp>

#include "transport/http/request.hpp"

namespace soporte::transport::http {
namespace {

bool SafeHeaderText(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void AppendNumber(std::string& out, std::uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

bool AddsNoStore(const Response& res, bool api) {
  if (!api) return false;
  for (const auto& [name, value] : res.headers) {
    if (EqualsIgnoreCase(name, "Cache-Control")) return false;
  }
  return true;
}

Result<std::string> WireResponse(const Response& res, unsigned version, bool keep_alive, bool api,
                                 bool head_request) {
  std::size_t size = 256 + res.content_type.size() + res.body.size();
  for (const auto& [name, value] : res.headers) {
    if (name.empty() || !SafeHeaderText(name) || !SafeHeaderText(value)) {
      return Fail(ErrorCode::kInternal, "response header '" + name + "' holds CR, LF or NUL");
    }
    size += name.size() + value.size() + 4;
  }
  if (!SafeHeaderText(res.content_type)) {
    return Fail(ErrorCode::kInternal, "response content type holds CR, LF or NUL");
  }
  const int status = res.status;
  const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;

  std::string out;
  out.reserve(size);
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(out, static_cast<std::uint64_t>(status));
  out.push_back(' ');
  const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
  for (const auto& [name, value] : kFixedHeaders) AppendHeader(out, name, value);
  for (const auto& [name, value] : res.headers) AppendHeader(out, name, value);
  if (AddsNoStore(res, api)) AppendHeader(out, "Cache-Control", "no-store");
  // A 1xx or 204 has no content, so nothing for a Content-Type to describe (RFC 9110 §8.3).
  // A 304 keeps it: it describes the representation the client already holds.
  if (status >= 200 && status != 204) AppendHeader(out, "Content-Type", res.content_type);
  if (!bodiless) {
    out.append("Content-Length: ");
    AppendNumber(out, res.body.size());
    out.append("\r\n");
  }
  // HTTP/1.1 connections persist unless closed; HTTP/1.0 ones close unless kept.
  if (version == 10 && keep_alive) AppendHeader(out, "Connection", "keep-alive");
  if (version != 10 && !keep_alive) AppendHeader(out, "Connection", "close");
  out.append("\r\n");
  if (!bodiless && !head_request) out.append(res.body);
  return out;
}

}  // namespace soporte::transport::http
