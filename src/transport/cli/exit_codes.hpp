// The one table from ErrorCode to the command line's exit status, and the exit statuses the
// command line promises: 0 success, 1 a batch with bad lines, 2 a bad option or value.
#pragma once

#include "common/result.hpp"

namespace soporte::transport::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitSomeFailed = 1;  // e.g. `sla due --batch` with at least one bad line
inline constexpr int kExitUsage = 2;       // a bad option or value
inline constexpr int kExitTempFail = 75;   // EX_TEMPFAIL: try again later (storage unavailable)

// Exit status for an error that ends a command.
int ExitCodeFor(ErrorCode code);

}  // namespace soporte::transport::cli
