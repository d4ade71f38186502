// WeeklyHours: the opening hours of a calendar as a weekly pattern of local wall-clock intervals,
// several per day allowed (e.g. 08:00–12:00 and 14:00–18:00 for a lunch break). A value type, ready
// to be read from configuration; the built-ins are 24x7 (always open) and 8x5 (Mon–Fri 08–18).
#pragma once

#include <array>
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <date/date.h>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::domain::calendar {

// [begin, end) in seconds since local midnight; 0 <= begin < end <= 24h (end 24h = midnight).
struct DayInterval {
  Seconds begin;
  Seconds end;
  friend bool operator==(const DayInterval&, const DayInterval&) = default;
};

// "HH:MM" for a time of day given as seconds since midnight ("24:00" for the end of the day).
std::string ClockText(Seconds s);

// Index 0 = Monday … 6 = Sunday (ISO order).
using WeekPattern = std::array<std::vector<DayInterval>, 7>;

class WeeklyHours {
 public:
  // Validates and normalizes `days`: intervals are sorted and touching ones merged.
  // Fails with kInvalidArgument when an interval is empty or outside [00:00, 24:00], when two
  // intervals of a day overlap, or when the week has no open time at all.
  static Result<WeeklyHours> Create(WeekPattern days);
  // Open every second of the week (the `24x7` modality).
  static WeeklyHours AlwaysOpen();
  // Monday to Friday, [open, close) each day (the `8x5` modality is MondayToFriday(8h, 18h)).
  // Requires 0 <= open < close <= 24h (checked: a bug otherwise).
  static WeeklyHours MondayToFriday(Seconds open, Seconds close);

  // The intervals of `wd`, sorted, disjoint, non-touching.
  std::span<const DayInterval> On(date::weekday wd) const { return days_[Index(wd)]; }
  // Total open time on `wd`.
  Seconds OpenOn(date::weekday wd) const { return open_per_day_[Index(wd)]; }
  // Total open time in a week (> 0).
  Seconds WeeklyTotal() const { return weekly_total_; }
  // True when every second of the week is open.
  bool IsAlwaysOpen() const { return weekly_total_ == date::days{7}; }

  static unsigned Index(date::weekday wd) { return wd.iso_encoding() - 1; }

  friend bool operator==(const WeeklyHours& a, const WeeklyHours& b) { return a.days_ == b.days_; }

 private:
  WeeklyHours() = default;
  WeekPattern days_;
  std::array<Seconds, 7> open_per_day_{};
  Seconds weekly_total_{0};
};

}  // namespace soporte::domain::calendar
