#include "transport/http/error_mapping.hpp"

#include <boost/json/object.hpp>
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

}  // namespace soporte::transport::http
