// Result<T> and the canonical error codes every layer returns for expected failures.
// transport/http/error_mapping.cpp maps ErrorCode to HTTP status; transport/cli maps it to exit
// codes. Only what std::expected also has is used, so the alias can move to std later.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace soporte {

// Canonical error codes, after absl::StatusCode.
enum class ErrorCode {
  kInvalidArgument,     // 400: the request itself is wrong
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kFailedPrecondition,  // 409: e.g. illegal status transition; do not retry
  kAborted,             // 409: concurrency conflict; retry the whole operation
  kTooLarge,            // 413: a body or file over its limit
  kUnsupportedMedia,    // 415: a content type we do not take
  kUnprocessable,       // 422: well-formed but semantically wrong (e.g. channel not in contract)
  kResourceExhausted,   // 429: throttled
  kUnavailable,         // 503: e.g. storage busy or down; retry the call
  kInternal,            // 500: a bug or an unexpected library failure
  kNotImplemented,      // 501: e.g. an HTTP method the server does not know at all
};

// Short stable name of a code ("invalid_argument"), used in JSON errors and logs.
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // for humans and logs; never parsed by callers
  // kResourceExhausted: how long until the same attempt may succeed (0 = not known). The HTTP
  // layer sends it as Retry-After.
  std::chrono::seconds retry_after{0};
  // The stable reason a client words from its own catalog ("bad_credentials", "required"); empty:
  // the code says it all. Listed in docs/api.md ("Errors"); never renamed once published.
  std::string reason;
  // The request field at fault ("slug", "hours.monday"); empty when none is known.
  std::string field;
};

// `e` with its reason (and field, when given) set: Fail(...) then WithReason(...) at the source.
inline Error WithReason(Error e, std::string reason, std::string field = {}) {
  e.reason = std::move(reason);
  if (!field.empty()) e.field = std::move(field);
  return e;
}

// A failure naming the field at fault and the reason a client words (see Error).
inline tl::unexpected<Error> FailField(ErrorCode code, std::string field, std::string reason,
                                       std::string message) {
  return tl::make_unexpected(Error{code, std::move(message), std::chrono::seconds{0},
                                   std::move(reason), std::move(field)});
}

template <class T>
using Result = tl::expected<T, Error>;

// Result<void> for operations that return nothing but may fail.
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::make_unexpected(Error{code, std::move(message)});
}

inline Status Ok() { return {}; }

}  // namespace soporte

#define SOPORTE_CONCAT_INNER_(a, b) a##b
#define SOPORTE_CONCAT_(a, b) SOPORTE_CONCAT_INNER_(a, b)

// SOPORTE_TRY(var, expr): evaluates `expr` (a Result<T>); on error returns the error from the
// enclosing function, otherwise declares `var` holding the value (moved out).
#define SOPORTE_TRY(var, expr) SOPORTE_TRY_IMPL_(var, expr, SOPORTE_CONCAT_(soporte_try_, __LINE__))
#define SOPORTE_TRY_IMPL_(var, expr, tmp)                          \
  auto tmp = (expr);                                               \
  if (!tmp) return ::tl::make_unexpected(std::move(tmp).error()); \
  auto var = std::move(*tmp)

// SOPORTE_TRY_STATUS(expr): evaluates a Status (or any Result) and returns its error if any.
#define SOPORTE_TRY_STATUS(expr) SOPORTE_TRY_STATUS_IMPL_(expr, SOPORTE_CONCAT_(soporte_try_, __LINE__))
#define SOPORTE_TRY_STATUS_IMPL_(expr, tmp) \
  if (auto tmp = (expr); !tmp) return ::tl::make_unexpected(std::move(tmp).error())
