#include "domain/calendar/holiday_set.hpp"

#include <algorithm>

#include "domain/calendar/holidays_co.hpp"

namespace soporte::domain::calendar {

HolidaySet::HolidaySet(std::vector<ClosureDay> days) {
  std::stable_sort(days.begin(), days.end(),
                   [](const ClosureDay& a, const ClosureDay& b) { return a.date < b.date; });
  for (ClosureDay& d : days) {
    if (!days_.empty() && days_.back().date == d.date) {
      if (days_.back().name != d.name) days_.back().name += " / " + d.name;
    } else {
      days_.push_back(std::move(d));
    }
  }
}

HolidaySet HolidaySet::Colombia(int first_year, int last_year) {
  std::vector<ClosureDay> days;
  for (int y = first_year; y <= last_year; ++y) {
    for (const Holiday& h : ColombianHolidays(y)) {
      days.push_back({date::sys_days{h.date}, std::string(h.name)});
    }
  }
  return HolidaySet(std::move(days));
}

HolidaySet HolidaySet::With(std::vector<ClosureDay> extra) const {
  std::vector<ClosureDay> all = days_;
  all.insert(all.end(), std::make_move_iterator(extra.begin()), std::make_move_iterator(extra.end()));
  return HolidaySet(std::move(all));
}

const ClosureDay* HolidaySet::Find(date::sys_days d) const {
  auto it = std::lower_bound(days_.begin(), days_.end(), d,
                             [](const ClosureDay& c, date::sys_days v) { return c.date < v; });
  return it != days_.end() && it->date == d ? &*it : nullptr;
}

std::optional<std::string_view> HolidaySet::NameOf(date::sys_days d) const {
  const ClosureDay* c = Find(d);
  if (c == nullptr) return std::nullopt;
  return std::string_view(c->name);
}

}  // namespace soporte::domain::calendar
