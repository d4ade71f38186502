#include "transport/cli/exit_codes.hpp"

namespace soporte::transport::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kUnprocessable:
    case ErrorCode::kTooLarge:
    case ErrorCode::kUnsupportedMedia:
    case ErrorCode::kNotImplemented:
      return kExitUsage;
    case ErrorCode::kUnavailable:
    case ErrorCode::kResourceExhausted:
    case ErrorCode::kAborted:
      return kExitTempFail;
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
      return 3;
    case ErrorCode::kInternal:
      return 70;  // EX_SOFTWARE
  }
  return 70;
}

}  // namespace soporte::transport::cli
