#include "transport/http/error_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>
#include <string>

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

std::string FieldOfMessage(std::string_view message) {
  std::size_t i = 0;
  auto lower = [](char c) { return (c >= 'a' && c <= 'z'); };
  auto word = [&](char c) { return lower(c) || (c >= '0' && c <= '9') || c == '_'; };
  if (message.empty() || !lower(message[0])) return {};
  while (i < message.size()) {
    const char c = message[i];
    if (word(c)) {
      ++i;
    } else if (c == '.' && i + 1 < message.size() && lower(message[i + 1])) {
      ++i;
    } else if (c == '[') {
      const std::size_t close = message.find(']', i);
      if (close == std::string_view::npos || close == i + 1) return {};
      for (std::size_t k = i + 1; k < close; ++k)
        if (message[k] < '0' || message[k] > '9') return {};
      i = close + 1;
    } else {
      break;
    }
  }
  const std::string_view name = message.substr(0, i);
  const std::string_view rest = message.substr(i);
  for (std::string_view follow : {":", " is ", " must ", " may ", " has "}) {
    if (rest.starts_with(follow)) return std::string(name);
  }
  return {};
}

std::string ErrorJson(const Error& error) {
  boost::json::object inner;
  inner["code"] = ErrorCodeName(error.code);
  inner["reason"] = error.reason.empty() ? std::string(ErrorCodeName(error.code)) : error.reason;
  std::string field = error.field.empty() ? FieldOfMessage(error.message) : error.field;
  if (!field.empty()) inner["field"] = ToValidUtf8(field);
  if (error.retry_after.count() > 0) {
    boost::json::object params;
    params["retry_after_seconds"] = error.retry_after.count();
    inner["params"] = std::move(params);
  }
  // A message may quote request text (a path segment, a query value); a JSON text must be UTF-8.
  inner["message"] = ToValidUtf8(error.message);
  boost::json::object outer;
  outer["error"] = std::move(inner);
  return boost::json::serialize(outer);
}

std::string ErrorJson(ErrorCode code, std::string_view message) {
  return ErrorJson(Error{code, std::string(message)});
}

Response ErrorResponse(const Error& error) {
  Response res = Response::Json(HttpStatusFor(error.code), ErrorJson(error));
  if (res.status == 401) res.AddHeader("WWW-Authenticate", std::string(kAuthChallenge));
  if (error.retry_after.count() > 0)
    res.AddHeader("Retry-After", std::to_string(error.retry_after.count()));
  return res;
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
