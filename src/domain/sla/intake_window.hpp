// IntakeWindow: when the SLA clock starts, by channel. sla-spec: "email is processed Monday–Friday
// 08:00–18:00 (holidays excluded) whatever the modality, so an email's clock starts at the next
// opening of that window; portal, chat and phone start at reception". The window is the VENDOR's
// (default: calendar::kDefaultZone, Colombian holidays), not the contract's, and is a value so it
// can come from configuration. Half-open: 08:00:00 is inside, 18:00:00 is after closing. Immutable;
// thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"
#include "domain/calendar/zones.hpp"
#include "domain/sla/channel.hpp"

namespace soporte::domain::sla {

struct IntakeWindowConfig {
  std::string zone{calendar::kDefaultZone};
  calendar::WeeklyHours hours =
      calendar::WeeklyHours::MondayToFriday(std::chrono::hours{8}, std::chrono::hours{18});
  bool colombian_holidays = true;                   // closed on Colombian public holidays
  std::vector<calendar::ClosureDay> extra_closures;  // other days the vendor does not process
  std::vector<Channel> windowed_channels = {Channel::kEmail};  // rules as data
};

struct ClockStart {
  Instant at;
  bool waited_for_window;  // true when the channel is windowed and reception was outside it
};

class IntakeWindow {
 public:
  // Fails with kInvalidArgument for an unknown zone.
  static Result<IntakeWindow> Create(IntakeWindowConfig config);

  // When the clock starts for a request on `channel` received at `received`: `received` for an
  // unwindowed channel or a reception inside the window; otherwise the window's next opening.
  ClockStart Start(Channel channel, Instant received) const;
  bool IsWindowed(Channel channel) const;
  const calendar::BusinessCalendar& window() const { return window_; }

 private:
  IntakeWindow(calendar::BusinessCalendar w, std::vector<Channel> c)
      : window_(std::move(w)), windowed_(std::move(c)) {}
  calendar::BusinessCalendar window_;
  std::vector<Channel> windowed_;
};

}  // namespace soporte::domain::sla
