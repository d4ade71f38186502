// The server's log (`serve --log-format text|json --log-level LEVEL --access-log`): one line per
// event. Diagnostics (jobs, the HTTP server's failures) go to standard error, the access log (one
// line per request) to standard output, both one line at a time under one mutex. Text lines are
// logfmt without a timestamp (journald and docker stamp them), e.g.
//   level=info msg=request method=GET route=/api/v1/tickets/{number} status=200 duration_ms=1.2
//   user_id=5 request_id=3f9a… client=127.0.0.1
// JSON lines carry a UTC timestamp (transport/api/codec/log_codec.hpp). Neither ever holds a
// request body, a query string, a header value, a token, a cookie or a password.
#pragma once

#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "transport/http/server.hpp"

namespace soporte::main {

enum class LogLevel { kDebug, kInfo, kWarning, kError };
enum class LogFormat { kText, kJson };

struct LogOptions {
  LogFormat format = LogFormat::kText;
  LogLevel level = LogLevel::kInfo;
};

// --log-format and --log-level as typed. kInvalidArgument naming the option on anything but
// text/json and debug/info/warning/error.
Result<LogOptions> LogOptionsOf(const std::string& format, const std::string& level);

class Logger {
 public:
  // `out` receives access lines, `err` the rest; both must outlive the logger.
  Logger(LogOptions options, const Clock& clock, std::ostream& out, std::ostream& err);

  // Writes `message` at `level` to `err` when `level` is at or above the configured one.
  // Thread-safe.
  void Log(LogLevel level, std::string_view message);
  // The access line of one request to `out` (level info). Thread-safe.
  void Access(const transport::http::AccessRecord& r);

  // The lines as they would be written (pure; for tests).
  std::string LogLine(LogLevel level, std::string_view message) const;
  std::string AccessLine(const transport::http::AccessRecord& r) const;

 private:
  std::string Now() const;
  LogOptions options_;
  const Clock& clock_;
  std::ostream& out_;
  std::ostream& err_;
  std::mutex mutex_;
};

}  // namespace soporte::main
