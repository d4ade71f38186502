#include "domain/calendar/weekly_hours.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "common/check.hpp"

namespace soporte::domain::calendar {

std::string ClockText(Seconds s) {
  const long long minutes = s.count() / 60;
  char buf[48];  // room for any two long longs, though a time of day needs five characters
  std::snprintf(buf, sizeof buf, "%02lld:%02lld", minutes / 60, minutes % 60);
  return buf;
}

Result<WeeklyHours> WeeklyHours::Create(WeekPattern days) {
  using namespace std::chrono_literals;
  WeeklyHours out;
  for (unsigned d = 0; d < 7; ++d) {
    auto& v = days[d];
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
    std::vector<DayInterval> merged;
    for (const DayInterval& i : v) {
      if (i.begin < 0s || i.end > 24h || i.begin >= i.end) {
        return Fail(ErrorCode::kInvalidArgument,
                    "opening interval " + std::to_string(i.begin.count()) + "s–" +
                        std::to_string(i.end.count()) + "s of weekday " + std::to_string(d + 1) +
                        " is empty or outside 00:00–24:00");
      }
      if (!merged.empty() && i.begin < merged.back().end) {
        return Fail(ErrorCode::kInvalidArgument,
                    "opening intervals of weekday " + std::to_string(d + 1) + " overlap");
      }
      if (!merged.empty() && i.begin == merged.back().end) {
        merged.back().end = i.end;
      } else {
        merged.push_back(i);
      }
    }
    for (const DayInterval& i : merged) out.open_per_day_[d] += i.end - i.begin;
    out.weekly_total_ += out.open_per_day_[d];
    out.days_[d] = std::move(merged);
  }
  if (out.weekly_total_ <= 0s) {
    return Fail(ErrorCode::kInvalidArgument, "a calendar must be open some time in the week");
  }
  return out;
}

WeeklyHours WeeklyHours::AlwaysOpen() {
  using namespace std::chrono_literals;
  WeekPattern p;
  for (auto& d : p) d = {{0s, 24h}};
  return *Create(std::move(p));
}

WeeklyHours WeeklyHours::MondayToFriday(Seconds open, Seconds close) {
  WeekPattern p;
  for (unsigned d = 0; d < 5; ++d) p[d] = {{open, close}};
  auto r = Create(std::move(p));
  SOPORTE_CHECK(r.has_value());
  return *std::move(r);
}

}  // namespace soporte::domain::calendar
