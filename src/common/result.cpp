#include "common/result.hpp"

namespace soporte {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kFailedPrecondition: return "failed_precondition";
    case ErrorCode::kAborted: return "aborted";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kUnsupportedMedia: return "unsupported_media_type";
    case ErrorCode::kUnprocessable: return "unprocessable";
    case ErrorCode::kResourceExhausted: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kNotImplemented: return "not_implemented";
  }
  return "internal";
}

}  // namespace soporte
