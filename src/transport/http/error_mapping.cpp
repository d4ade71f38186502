#include "transport/http/error_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "transport/http/utf8.hpp"

namespace soporte::transport::http {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kAborted: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnsupportedMedia: return 415;
    case ErrorCode::kUnprocessable: return 422;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kNotImplemented: return 501;
  }
  return 500;
}

std::string ErrorJson(ErrorCode code, std::string_view message, std::string_view field) {
  boost::json::object inner;
  inner["code"] = ErrorCodeName(code);
  // A message may quote request text (a path segment, a query value); a JSON text must be UTF-8.
  inner["message"] = ToValidUtf8(message);
  if (!field.empty()) inner["field"] = field;
  boost::json::object outer;
  outer["error"] = std::move(inner);
  return boost::json::serialize(outer);
}

Response ErrorResponse(const Error& error) {
  const int status = HttpStatusFor(error.code);
  if (error.field.empty()) return ErrorResponse(status, error.code, error.message);
  return Response::Json(status, ErrorJson(error.code, error.message, error.field));
}

Response ErrorResponse(int status, ErrorCode code, std::string_view message) {
  Response res = Response::Json(status, ErrorJson(code, message));
  if (status == 401) res.AddHeader("WWW-Authenticate", std::string(kAuthChallenge));
  return res;
}

std::string RequestIdOf(std::string_view incoming) {
  const bool safe =
      !incoming.empty() && incoming.size() <= 64 &&
      std::all_of(incoming.begin(), incoming.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
      });
  if (safe) return std::string(incoming);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(rng()));
  return out;
}

void TagRequestId(Response& res, std::string_view request_id) {
  res.AddHeader("X-Request-Id", std::string(request_id));
  if (res.status < 400 || res.file || res.stream || res.content_type != "application/json") return;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(res.body, ec);
  if (ec || !v.is_object()) return;
  auto* error = v.as_object().if_contains("error");
  if (error == nullptr || !error->is_object()) return;
  error->as_object()["request_id"] = request_id;
  res.body = boost::json::serialize(v);
}

}  // namespace soporte::transport::http
