// HolidaySet: the local dates on which a calendar is closed all day (public holidays plus any extra
// closure days a contract names), each with its name. Immutable after construction; lookups are
// binary searches over a sorted vector, so counting closures in a span costs O(log n).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace soporte::domain::calendar {

struct ClosureDay {
  date::sys_days date;  // a local calendar date (the zone is the calendar's)
  std::string name;     // e.g. "Navidad"; several holidays on one date are joined with " / "
};

class HolidaySet {
 public:
  HolidaySet() = default;
  // Any dates, in any order; duplicates are merged (names joined with " / ").
  explicit HolidaySet(std::vector<ClosureDay> days);
  // The Colombian public holidays of the years [first_year, last_year] (holidays_co.hpp).
  static HolidaySet Colombia(int first_year, int last_year);
  // This set plus `extra` (e.g. a contract's additional closure days). Returns a new set.
  HolidaySet With(std::vector<ClosureDay> extra) const;

  bool Contains(date::sys_days d) const { return Find(d) != nullptr; }
  // The name of the closure on `d`, or nullopt when `d` is not closed.
  std::optional<std::string_view> NameOf(date::sys_days d) const;
  // All closure days, sorted by date, one per date.
  std::span<const ClosureDay> days() const { return days_; }

 private:
  const ClosureDay* Find(date::sys_days d) const;
  std::vector<ClosureDay> days_;  // sorted, unique dates
};

}  // namespace soporte::domain::calendar
