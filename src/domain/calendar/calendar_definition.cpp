#include "domain/calendar/calendar_definition.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "domain/calendar/holiday_rules.hpp"

namespace soporte::domain::calendar {
namespace {

std::string Iso(date::sys_days d) { return date::format("%F", d); }

}  // namespace

std::string_view WeekdayKey(unsigned index) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  return index < 7 ? kNames[index] : std::string_view("?");
}

Status ValidateCalendarDefinition(const CalendarDefinition& def) {
  using namespace std::chrono_literals;
  if (def.name.empty()) return Fail(ErrorCode::kInvalidArgument, "name is required");
  if (def.name.size() > 100) return Fail(ErrorCode::kInvalidArgument, "name must have at most 100 characters");
  try {
    (void)date::locate_zone(def.zone);
  } catch (const std::exception&) {
    return Fail(ErrorCode::kInvalidArgument, "zone: '" + def.zone + "' is not a known IANA time zone");
  }
  Seconds total{0};
  for (unsigned d = 0; d < 7; ++d) {
    const auto& day = def.hours[d];
    const std::string where = "hours." + std::string(WeekdayKey(d));
    for (std::size_t i = 0; i < day.size(); ++i) {
      const DayInterval& iv = day[i];
      if (iv.begin < 0s || iv.end > 24h || iv.begin >= iv.end) {
        return Fail(ErrorCode::kInvalidArgument,
                    where + ": interval " + ClockText(iv.begin) + "–" + ClockText(iv.end) +
                        " is empty or outside 00:00–24:00");
      }
      if (i > 0) {
        const DayInterval& prev = day[i - 1];
        if (iv.begin < prev.begin) {
          return Fail(ErrorCode::kInvalidArgument,
                      where + ": intervals must be in ascending order (" + ClockText(iv.begin) +
                          " comes after " + ClockText(prev.begin) + ")");
        }
        if (iv.begin < prev.end) {
          return Fail(ErrorCode::kInvalidArgument,
                      where + ": intervals " + ClockText(prev.begin) + "–" + ClockText(prev.end) + " and " +
                          ClockText(iv.begin) + "–" + ClockText(iv.end) + " overlap");
        }
      }
      total += iv.end - iv.begin;
    }
  }
  if (total <= 0s) return Fail(ErrorCode::kInvalidArgument, "hours: the calendar must be open some time in the week");
  const date::sys_days first = date::year{kFirstClosureYear} / date::January / 1;
  const date::sys_days last = date::year{kLastClosureYear} / date::December / 31;
  for (std::size_t i = 0; i < def.closures.size(); ++i) {
    const ClosureEntry& c = def.closures[i];
    if (c.date < first || c.date > last) {
      return Fail(ErrorCode::kInvalidArgument, "closure " + Iso(c.date) + " is outside the years " +
                                                   std::to_string(kFirstClosureYear) + "–" +
                                                   std::to_string(kLastClosureYear));
    }
    if (c.reason.empty()) return Fail(ErrorCode::kInvalidArgument, "closure " + Iso(c.date) + ": reason is required");
    if (c.reason.size() > 200) {
      return Fail(ErrorCode::kInvalidArgument, "closure " + Iso(c.date) + ": reason must have at most 200 characters");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (def.closures[j].date == c.date) {
        return Fail(ErrorCode::kInvalidArgument, "closure " + Iso(c.date) + " is listed twice");
      }
    }
  }
  return Ok();
}

Result<BusinessCalendar> BuildBusinessCalendar(const CalendarDefinition& def) {
  SOPORTE_TRY_STATUS(ValidateCalendarDefinition(def));
  SOPORTE_TRY(hours, WeeklyHours::Create(def.hours));
  std::vector<ClosureDay> extra;
  extra.reserve(def.closures.size());
  for (const ClosureEntry& c : def.closures) extra.push_back(ClosureDay{c.date, c.reason});
  // Holidays through 2101, as the built-in 8x5, so a due late in 2100 still skips 2101-01-01.
  HolidaySet base = def.colombian_holidays ? HolidaySet::Colombia(kFirstHolidayYear, kLastHolidayYear + 1)
                                           : HolidaySet();
  return BusinessCalendar::Create(def.name, std::move(hours), base.With(std::move(extra)), def.zone);
}

}  // namespace soporte::domain::calendar
