#include "domain/calendar/holidays_co.hpp"

#include <algorithm>

#include "domain/calendar/easter.hpp"

namespace soporte::domain::calendar {
namespace {

date::year_month_day NextMondayUnlessMonday(date::year_month_day d) {
  const date::sys_days days{d};
  const date::weekday wd{days};
  return date::year_month_day{days + (date::Monday - wd)};  // weekday difference is in [0, 6]
}

}  // namespace

std::vector<Holiday> HolidaysFromRules(std::span<const HolidayRule> rules, int year) {
  std::vector<Holiday> out;
  const date::sys_days easter{EasterSunday(year)};
  for (const HolidayRule& r : rules) {
    if (year < r.from_year || year > r.until_year) continue;
    const date::year_month_day fixed =
        date::year{year} / date::month{r.month} / date::day{r.day};
    switch (r.kind) {
      case HolidayRuleKind::kFixed:
        out.push_back({fixed, r.name});
        break;
      case HolidayRuleKind::kNextMonday:
        out.push_back({NextMondayUnlessMonday(fixed), r.name});
        break;
      case HolidayRuleKind::kEaster:
        out.push_back({date::year_month_day{easter + date::days{r.easter_offset}}, r.name});
        break;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Holiday& a, const Holiday& b) {
    return date::sys_days{a.date} < date::sys_days{b.date};
  });
  return out;
}

std::vector<Holiday> ColombianHolidays(int year) {
  return HolidaysFromRules(ColombianHolidayRules(), year);
}

}  // namespace soporte::domain::calendar
