// Evaluates holiday rules (holiday_rules.hpp) for a year: the observed dates with their names.
// ColombianHolidays(year) is the Colombian table evaluated; HolidaysFromRules works for any table.
// Pure functions, no I/O; thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "domain/calendar/holiday_rules.hpp"

namespace soporte::domain::calendar {

struct Holiday {
  date::year_month_day date;  // the observed (possibly moved) date
  std::string_view name;      // points into the static rule table
  friend bool operator==(const Holiday&, const Holiday&) = default;
};

// The holidays `rules` give for `year`, sorted by date (ties keep the table's order). Two holidays
// moved to the same Monday are both listed, on the same date. Rules not in force that year are
// skipped. Never fails.
std::vector<Holiday> HolidaysFromRules(std::span<const HolidayRule> rules, int year);

// The Colombian public holidays of `year`. Empty before 1984 (Ley 51 de 1983 applies from 1984).
std::vector<Holiday> ColombianHolidays(int year);

}  // namespace soporte::domain::calendar
