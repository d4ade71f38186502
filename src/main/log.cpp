#include "main/log.hpp"

#include <ostream>

#include <date/tz.h>
#include <fmt/format.h>

#include "transport/api/codec/log_codec.hpp"
#include "transport/text/iso8601.hpp"

namespace soporte::main {
namespace {

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

// A logfmt value: bare when it has no space, quote, backslash, '=' or control character; else
// quoted with those escaped.
std::string Logfmt(std::string_view v) {
  bool bare = !v.empty();
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '\\' || c == '=' || static_cast<unsigned char>(c) < 0x20) {
      bare = false;
    }
  }
  if (bare) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

Result<LogOptions> LogOptionsOf(const std::string& format, const std::string& level) {
  LogOptions o;
  if (format == "text") {
    o.format = LogFormat::kText;
  } else if (format == "json") {
    o.format = LogFormat::kJson;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "--log-format must be text or json (got '" + format + "')");
  }
  if (level == "debug") {
    o.level = LogLevel::kDebug;
  } else if (level == "info") {
    o.level = LogLevel::kInfo;
  } else if (level == "warning") {
    o.level = LogLevel::kWarning;
  } else if (level == "error") {
    o.level = LogLevel::kError;
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "--log-level must be debug, info, warning or error (got '" + level + "')");
  }
  return o;
}

Logger::Logger(LogOptions options, const Clock& clock, std::ostream& out, std::ostream& err)
    : options_(options), clock_(clock), out_(out), err_(err) {}

std::string Logger::Now() const {
  static const date::time_zone* utc = date::locate_zone("UTC");
  std::string ts = transport::text::FormatIso8601(clock_.Now(), utc);
  if (ts.ends_with("+00:00")) ts.replace(ts.size() - 6, 6, "Z");
  return ts;
}

std::string Logger::LogLine(LogLevel level, std::string_view message) const {
  if (options_.format == LogFormat::kJson) {
    return transport::api::codec::LogLineJson(Now(), LevelName(level), message);
  }
  return fmt::format("level={} msg={}", LevelName(level), Logfmt(message));
}

std::string Logger::AccessLine(const transport::http::AccessRecord& r) const {
  if (options_.format == LogFormat::kJson) return transport::api::codec::AccessLineJson(Now(), r);
  return fmt::format(
      "level=info msg=request method={} route={} status={} duration_ms={:.3f} user_id={} "
      "request_id={} client={}",
      Logfmt(r.method), Logfmt(r.route), r.status, r.duration_ms,
      r.user_id > 0 ? std::to_string(r.user_id) : "-", Logfmt(r.request_id), Logfmt(r.client));
}

void Logger::Log(LogLevel level, std::string_view message) {
  if (level < options_.level) return;
  const std::string line = LogLine(level, message);
  std::lock_guard lock(mutex_);
  err_ << line << std::endl;
}

void Logger::Access(const transport::http::AccessRecord& r) {
  if (LogLevel::kInfo < options_.level) return;
  const std::string line = AccessLine(r);
  std::lock_guard lock(mutex_);
  out_ << line << '\n' << std::flush;
}

}  // namespace soporte::main
