// CalendarDefinition: a business calendar as supervisors store and edit it (name, IANA zone, weekly
// opening intervals per weekday, whether the Colombian public holidays close it, and extra closure
// days each with a reason). A plain value; ValidateCalendarDefinition names the first problem, and
// BuildBusinessCalendar turns a valid definition into the BusinessCalendar the SLA engine counts on.
// Contracts of modality 8x5 may point at one (contracts.calendar_id); 24x7 contracts never do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <date/date.h>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"
#include "domain/calendar/weekly_hours.hpp"
#include "domain/calendar/zones.hpp"

namespace soporte::domain::calendar {

// One extra day the calendar is closed all day (a local date in the calendar's zone).
struct ClosureEntry {
  date::sys_days date;
  std::string reason;  // 1–200 characters, e.g. "Inventario anual"
  UserId created_by;   // invalid when added by the command line
  Instant created_at;
  friend bool operator==(const ClosureEntry&, const ClosureEntry&) = default;
};

struct CalendarDefinition {
  CalendarId id;             // 0 until stored
  std::int64_t version = 0;  // 1 when stored; +1 on every change (hours, name, closures…)
  std::string name;          // 1–100 characters, unique among calendars
  std::string zone{kDefaultZone};
  WeekPattern hours;         // per weekday (0 = Monday), sorted, non-overlapping intervals
  bool colombian_holidays = true;
  std::vector<ClosureEntry> closures;  // sorted by date, one per date
  Instant created_at;
  Instant updated_at;
  friend bool operator==(const CalendarDefinition&, const CalendarDefinition&) = default;
};

// Local dates a closure day may take: the years the holiday rules and the SLA engine cover.
inline constexpr int kFirstClosureYear = 1984;
inline constexpr int kLastClosureYear = 2100;

// Ok for a definition the engine can count on; kInvalidArgument naming the first problem: an empty
// or too long name, an unknown zone, an interval that is empty or outside 00:00–24:00, intervals of
// a day not in ascending order or overlapping (touching is fine), a week with no opening time, a
// closure day out of 1984–2100, listed twice, or without a reason. Pure; thread-safe.
Status ValidateCalendarDefinition(const CalendarDefinition& def);

// The BusinessCalendar of a valid definition: its weekly hours in its zone, closed on the
// Colombian public holidays (when chosen) and on its closure days (named by their reason).
// Fails like ValidateCalendarDefinition. Cost: locating the zone and evaluating ~117 years of
// holidays (a few milliseconds): cache the result (the SLA engine does, by id and version).
Result<BusinessCalendar> BuildBusinessCalendar(const CalendarDefinition& def);

// "monday" … "sunday" for index 0 … 6 (the API's and messages' names).
std::string_view WeekdayKey(unsigned index);

}  // namespace soporte::domain::calendar
