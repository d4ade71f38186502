// BusinessCalendar = WeeklyHours + HolidaySet + IANA zone: answers "when is the target used up?"
// and "how much business time lies between two instants?". Opening hours and closure dates are read
// in the calendar's zone (local wall clock); instants in and out are UTC. Immutable after Create;
// every method is const and thread-safe. Cost of Add/Elapsed is O(log holidays + log transitions)
// plus one step per cluster of closures met: whole weeks are arithmetic (weekly open total), closed
// stretches are never walked second by second or day by day.
// DST: business time is counted in local wall-clock seconds (an interval that contains a DST
// transition counts its wall-clock length); an always-open calendar counts real seconds. A local
// opening time that falls in a gap maps to the end of the gap; in an overlap, to the earliest instant.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/tz.h>

#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/holiday_set.hpp"
#include "domain/calendar/weekly_hours.hpp"
#include "domain/calendar/zone_offsets.hpp"

namespace soporte::domain::calendar {

// Why a stretch of time does not count (for timelines such as `soporte sla explain`).
enum class ClosedKind {
  kNight,    // between the close of one open day and the opening of the next
  kWeekend,  // a Saturday or Sunday without opening hours
  kHoliday,  // a closure day of the HolidaySet (name in Segment::name)
  kClosed,   // any other closed time: a lunch break, a weekday without hours
};

struct Segment {
  Instant from;
  Instant to;
  bool counted;       // true: business time; false: skipped
  ClosedKind kind{};  // when !counted
  std::string name;   // the holiday's name when kind == kHoliday
  Seconds length{0};  // business seconds counted (0 when skipped)
};

class BusinessCalendar {
 public:
  // `name` is for humans ("8x5"). Fails with kInvalidArgument when `zone_name` is not an IANA zone
  // known to the system's tz database.
  static Result<BusinessCalendar> Create(std::string name, WeeklyHours hours, HolidaySet closures,
                                         std::string_view zone_name);
  // Same with a zone already located (non-null). Never fails.
  static BusinessCalendar Create(std::string name, WeeklyHours hours, HolidaySet closures,
                                 const date::time_zone* zone);
  // Built-ins. `24x7`: always open, no closures. `8x5`: Monday–Friday 08:00–18:00 in `zone_name`,
  // closed on Colombian public holidays 1984–2101. Fail like Create on an unknown zone.
  static Result<BusinessCalendar> Make24x7(std::string_view zone_name);
  static Result<BusinessCalendar> Make8x5(std::string_view zone_name);

  // The first instant at or after `start` at which `business` seconds of open time have been
  // counted from `start`. When the time runs out exactly at a closing time, that closing time
  // (half-open intervals: 18:00 stays 18:00). business <= 0 returns `start`.
  Instant Add(Instant start, Seconds business) const;
  // Business seconds in [from, to); 0 when to <= from.
  Seconds Elapsed(Instant from, Instant to) const;
  // The first instant at or after `t` that is open (`t` itself when open).
  Instant NextOpen(Instant t) const;
  bool IsOpen(Instant t) const { return NextOpen(t) == t; }
  // The counted and skipped stretches of [from, to), in order; adjacent stretches of the same kind
  // are merged. Cost is linear in the days covered (for explanations, not for hot paths).
  std::vector<Segment> Segments(Instant from, Instant to) const;

  const std::string& name() const { return name_; }
  const date::time_zone* zone() const { return zone_; }
  const WeeklyHours& hours() const { return hours_; }
  const HolidaySet& closures() const { return closures_; }
  Seconds OffsetAt(Instant t) const { return offsets_->OffsetAt(t); }

 private:
  BusinessCalendar() = default;
  std::int64_t W(LocalSecs l) const;     // weekly-pattern open seconds before l (no closures)
  LocalSecs WInv(std::int64_t x) const;  // smallest l with W(l) == x
  std::int64_t CStar(LocalSecs l) const; // open seconds of closure days starting before l (whole)
  std::int64_t F(LocalSecs l) const;     // business seconds before l (closures removed)

  std::string name_;
  const date::time_zone* zone_ = nullptr;
  WeeklyHours hours_ = WeeklyHours::AlwaysOpen();
  HolidaySet closures_;
  std::shared_ptr<const ZoneOffsets> offsets_;
  bool always_open_ = false;
  // The week as intervals in seconds since Monday 00:00, with cumulative open time before each.
  std::vector<std::int64_t> starts_, lens_, cum_, cum_end_;
  std::int64_t weekly_total_ = 0;
  // Closure days that fall on days with opening hours: local day numbers (sorted) and the prefix
  // sums of their open time (closure_prefix_[i] = open time of the first i days).
  std::vector<std::int64_t> closure_days_, closure_prefix_;
};

}  // namespace soporte::domain::calendar
