#include "domain/alerts/alert_preferences.hpp"

#include <chrono>
#include <exception>
#include <string>

#include <date/tz.h>

namespace soporte::domain {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

const date::time_zone* FindZone(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;  // an unknown name: date/tz throws, we answer with a value
  }
}

}  // namespace

std::string_view AlertKindName(AlertKind k) {
  switch (k) {
    case AlertKind::kSlaWarning: return "sla_warning";
    case AlertKind::kSlaBreach: return "sla_breach";
    case AlertKind::kNewCritical: return "new_critical";
  }
  return "";
}

std::optional<AlertKind> ParseAlertKind(std::string_view s) {
  for (AlertKind k : {AlertKind::kSlaWarning, AlertKind::kSlaBreach, AlertKind::kNewCritical}) {
    if (AlertKindName(k) == s) return k;
  }
  return std::nullopt;
}

const AlertChannels& AlertPreferences::For(AlertKind k) const {
  switch (k) {
    case AlertKind::kSlaWarning: return sla_warning;
    case AlertKind::kSlaBreach: return sla_breach;
    case AlertKind::kNewCritical: return new_critical;
  }
  return sla_warning;
}

Status CheckAlertPreferences(const AlertPreferences& p) {
  if (!p.quiet) return Ok();
  const QuietHours& q = *p.quiet;
  if (q.start_minute < 0 || q.start_minute >= kMinutesPerDay) {
    return Fail(ErrorCode::kInvalidArgument,
                "quiet_hours.start: must be a time of day, 00:00 to 23:59");
  }
  if (q.end_minute < 0 || q.end_minute >= kMinutesPerDay) {
    return Fail(ErrorCode::kInvalidArgument,
                "quiet_hours.end: must be a time of day, 00:00 to 23:59");
  }
  if (q.start_minute == q.end_minute) {
    return Fail(ErrorCode::kInvalidArgument, "quiet_hours.end: must differ from the start");
  }
  if (!FindZone(q.zone)) {
    return Fail(ErrorCode::kInvalidArgument, "quiet_hours.zone: unknown time zone " + q.zone);
  }
  return Ok();
}

std::optional<Instant> QuietUntil(const AlertPreferences& p, Instant at) {
  if (!p.quiet) return std::nullopt;
  const QuietHours& q = *p.quiet;
  const date::time_zone* zone = FindZone(q.zone);
  if (!zone) return std::nullopt;
  using namespace std::chrono;
  const auto local = zone->to_local(at);
  const auto day = floor<days>(local);
  const int minute = static_cast<int>(duration_cast<minutes>(local - day).count());
  const bool spans_midnight = q.start_minute > q.end_minute;
  const bool inside = spans_midnight ? (minute >= q.start_minute || minute < q.end_minute)
                                     : (minute >= q.start_minute && minute < q.end_minute);
  if (!inside) return std::nullopt;
  // The window ends today at end_minute, or tomorrow when it spans midnight and we are before it.
  auto end_day = day;
  if (spans_midnight && minute >= q.start_minute) end_day += days{1};
  const date::local_seconds end_local{end_day.time_since_epoch() + minutes{q.end_minute}};
  // A wall time skipped or repeated by a zone change resolves to its earliest instant.
  return floor<seconds>(zone->to_sys(end_local, date::choose::earliest));
}

}  // namespace soporte::domain
