// Staff alerts (issue 12, part 2): the three alerts the desk raises to its people (an SLA warning,
// an SLA breach, a new Crítico ticket), the channels each person chose for each (mail, browser)
// and their quiet hours: a daily window in their own zone during which alert mail waits until the
// window ends (it is not dropped: the alert is still worth reading in the morning; the console's
// browser alerts are never held, they sit in the console until seen). Values and pure rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::domain {

enum class AlertKind { kSlaWarning, kSlaBreach, kNewCritical };
// "sla_warning", "sla_breach", "new_critical": the stored and wire names.
std::string_view AlertKindName(AlertKind k);
std::optional<AlertKind> ParseAlertKind(std::string_view s);

struct AlertChannels {
  bool mail = true;
  bool browser = true;
  friend bool operator==(const AlertChannels&, const AlertChannels&) = default;
};

// A daily window [start, end) in minutes after local midnight in `zone`; start > end spans
// midnight (22:00–07:00). start == end is refused (CheckAlertPreferences).
struct QuietHours {
  int start_minute = 22 * 60;
  int end_minute = 7 * 60;
  std::string zone = "America/Bogota";
  friend bool operator==(const QuietHours&, const QuietHours&) = default;
};

// What a staff user receives. The defaults (every alert on both channels, no quiet hours) are
// what a user who never opened the page gets: an alert nobody chose to silence reaches them.
struct AlertPreferences {
  AlertChannels sla_warning;
  AlertChannels sla_breach;
  AlertChannels new_critical;
  std::optional<QuietHours> quiet;
  const AlertChannels& For(AlertKind k) const;
  friend bool operator==(const AlertPreferences&, const AlertPreferences&) = default;
};

// kInvalidArgument naming the field: "quiet_hours.zone: unknown time zone X",
// "quiet_hours.start: …" (0..1439), "quiet_hours.end: …", start == end.
Status CheckAlertPreferences(const AlertPreferences& p);

// When `at` falls inside the quiet window of `p`, the instant that window ends (the mail waits
// until then); nullopt outside it or without quiet hours. `p` must have passed
// CheckAlertPreferences (an unknown zone gives nullopt).
std::optional<Instant> QuietUntil(const AlertPreferences& p, Instant at);

}  // namespace soporte::domain
