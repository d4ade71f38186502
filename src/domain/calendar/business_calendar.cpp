#include "domain/calendar/business_calendar.hpp"

#include <algorithm>
#include <stdexcept>

#include "domain/calendar/holiday_rules.hpp"

namespace soporte::domain::calendar {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kWeek = 7 * kDay;
constexpr std::int64_t kMondayShift = 3 * kDay;  // 1970-01-01 was a Thursday

constexpr std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

date::weekday WeekdayOfDay(std::int64_t day) { return date::weekday{date::sys_days{date::days{day}}}; }

}  // namespace

BusinessCalendar BusinessCalendar::Create(std::string name, WeeklyHours hours, HolidaySet closures,
                                          const date::time_zone* zone) {
  BusinessCalendar c;
  c.name_ = std::move(name);
  c.zone_ = zone;
  c.offsets_ = std::make_shared<const ZoneOffsets>(zone);
  c.always_open_ = hours.IsAlwaysOpen() && closures.days().empty();
  std::int64_t cum = 0;
  for (unsigned d = 0; d < 7; ++d) {
    for (const DayInterval& i : hours.On(date::weekday{(d + 1) % 7})) {
      c.starts_.push_back(d * kDay + i.begin.count());
      c.lens_.push_back((i.end - i.begin).count());
      c.cum_.push_back(cum);
      cum += (i.end - i.begin).count();
      c.cum_end_.push_back(cum);
    }
  }
  c.weekly_total_ = cum;
  std::int64_t prefix = 0;
  c.closure_prefix_.push_back(0);
  for (const ClosureDay& d : closures.days()) {
    const std::int64_t open = hours.OpenOn(date::weekday{d.date}).count();
    if (open == 0) continue;  // a holiday on a closed day changes nothing
    c.closure_days_.push_back(d.date.time_since_epoch().count());
    prefix += open;
    c.closure_prefix_.push_back(prefix);
  }
  c.hours_ = std::move(hours);
  c.closures_ = std::move(closures);
  return c;
}

Result<BusinessCalendar> BusinessCalendar::Create(std::string name, WeeklyHours hours,
                                                  HolidaySet closures, std::string_view zone_name) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(zone_name);  // throws std::runtime_error for an unknown name
  } catch (const std::exception&) {
    return Fail(ErrorCode::kInvalidArgument, "unknown time zone '" + std::string(zone_name) + "'");
  }
  return Create(std::move(name), std::move(hours), std::move(closures), zone);
}

Result<BusinessCalendar> BusinessCalendar::Make24x7(std::string_view zone_name) {
  return Create("24x7", WeeklyHours::AlwaysOpen(), HolidaySet{}, zone_name);
}

Result<BusinessCalendar> BusinessCalendar::Make8x5(std::string_view zone_name) {
  using namespace std::chrono_literals;
  // Holidays through 2101 so that a due computed late in 2100 still skips 2101-01-01.
  return Create("8x5", WeeklyHours::MondayToFriday(8h, 18h),
                HolidaySet::Colombia(kFirstHolidayYear, kLastHolidayYear + 1), zone_name);
}

std::int64_t BusinessCalendar::W(LocalSecs l) const {
  const std::int64_t shifted = l + kMondayShift;
  const std::int64_t week = FloorDiv(shifted, kWeek);
  const std::int64_t pos = shifted - week * kWeek;
  auto it = std::upper_bound(starts_.begin(), starts_.end(), pos);
  std::int64_t in_week = 0;
  if (it != starts_.begin()) {
    const size_t i = static_cast<size_t>(it - starts_.begin()) - 1;
    in_week = cum_[i] + std::min(pos - starts_[i], lens_[i]);
  }
  return week * weekly_total_ + in_week;
}

LocalSecs BusinessCalendar::WInv(std::int64_t x) const {
  const std::int64_t week = FloorDiv(x - 1, weekly_total_);
  const std::int64_t rem = x - week * weekly_total_;  // in (0, weekly_total_]
  const size_t i = static_cast<size_t>(std::lower_bound(cum_end_.begin(), cum_end_.end(), rem) -
                                       cum_end_.begin());
  return week * kWeek + starts_[i] + (rem - cum_[i]) - kMondayShift;
}

std::int64_t BusinessCalendar::CStar(LocalSecs l) const {
  const std::int64_t last_day = FloorDiv(l - 1, kDay);  // the last day that starts before l
  auto it = std::upper_bound(closure_days_.begin(), closure_days_.end(), last_day);
  return closure_prefix_[static_cast<size_t>(it - closure_days_.begin())];
}

std::int64_t BusinessCalendar::F(LocalSecs l) const {
  const std::int64_t last_day = FloorDiv(l - 1, kDay);
  auto it = std::upper_bound(closure_days_.begin(), closure_days_.end(), last_day);
  const size_t n = static_cast<size_t>(it - closure_days_.begin());
  std::int64_t closed = closure_prefix_[n];
  if (n > 0 && closure_days_[n - 1] == last_day && l < (last_day + 1) * kDay) {
    // `l` is inside a closure day: only the part of that day before `l` is removed so far.
    const std::int64_t day_open = closure_prefix_[n] - closure_prefix_[n - 1];
    closed -= day_open - (W(l) - W(last_day * kDay));
  }
  return W(l) - closed;
}

Instant BusinessCalendar::Add(Instant start, Seconds business) const {
  if (business.count() <= 0) return start;
  if (always_open_) return start + business;
  const LocalSecs l0 = offsets_->ToLocal(start);
  const std::int64_t target = F(l0) + business.count();
  // Fixpoint iteration x = WInv(target + CStar(x)): every step adds the closures met so far, and
  // no instant before the iterate can reach the target (see business_calendar_test for the cases).
  std::int64_t c = CStar(l0);
  LocalSecs x = WInv(target + c);
  for (std::int64_t c2 = CStar(x); c2 != c; c2 = CStar(x)) {
    c = c2;
    x = WInv(target + c);
  }
  return std::max(start, offsets_->ToSys(x));
}

Seconds BusinessCalendar::Elapsed(Instant from, Instant to) const {
  if (to <= from) return Seconds{0};
  if (always_open_) return to - from;
  // Clamped at 0: inside a DST overlap the wall clock runs backwards.
  return Seconds{std::max<std::int64_t>(0, F(offsets_->ToLocal(to)) - F(offsets_->ToLocal(from)))};
}

Instant BusinessCalendar::NextOpen(Instant t) const {
  if (always_open_) return t;
  return Add(t, Seconds{1}) - Seconds{1};  // open boundaries are whole seconds
}

std::vector<Segment> BusinessCalendar::Segments(Instant from, Instant to) const {
  std::vector<Segment> out;
  if (to <= from) return out;
  if (always_open_) {
    out.push_back({from, to, true, {}, {}, to - from});
    return out;
  }
  struct Piece {
    LocalSecs a, b;
    bool counted;
    ClosedKind kind;
    bool edge;  // the closed part of an open day before its first or after its last interval
    std::string name;
  };
  std::vector<Piece> pieces;
  const LocalSecs lf = offsets_->ToLocal(from), lt = offsets_->ToLocal(to);
  auto add = [&](LocalSecs a, LocalSecs b, bool counted, ClosedKind kind, bool edge,
                 std::string name = {}) {
    a = std::max(a, lf);
    b = std::min(b, lt);
    if (a < b) pieces.push_back({a, b, counted, kind, edge, std::move(name)});
  };
  for (std::int64_t day = FloorDiv(lf, kDay); day * kDay < lt; ++day) {
    const LocalSecs ds = day * kDay;
    const date::weekday wd = WeekdayOfDay(day);
    const auto intervals = hours_.On(wd);
    if (auto name = closures_.NameOf(date::sys_days{date::days{day}})) {
      add(ds, ds + kDay, false, ClosedKind::kHoliday, false, std::string(*name));
    } else if (intervals.empty()) {
      const bool weekend = wd == date::Saturday || wd == date::Sunday;
      add(ds, ds + kDay, false, weekend ? ClosedKind::kWeekend : ClosedKind::kClosed, false);
    } else {
      LocalSecs cursor = ds;
      for (size_t i = 0; i < intervals.size(); ++i) {
        const LocalSecs a = ds + intervals[i].begin.count(), b = ds + intervals[i].end.count();
        add(cursor, a, false, ClosedKind::kClosed, i == 0);
        add(a, b, true, {}, false);
        cursor = b;
      }
      add(cursor, ds + kDay, false, ClosedKind::kClosed, true);
    }
  }
  // An edge joins the neighbouring whole closed day (evening → next day, morning → previous day);
  // otherwise it is a night.
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (!pieces[i].edge) continue;
    const bool next_day = i + 1 < pieces.size() && !pieces[i + 1].counted && !pieces[i + 1].edge &&
                          pieces[i + 1].a == pieces[i].b && pieces[i].b % kDay == 0;
    const bool prev_day = i > 0 && !pieces[i - 1].counted && !pieces[i - 1].edge &&
                          pieces[i - 1].b == pieces[i].a && pieces[i].a % kDay == 0;
    if (next_day) {
      pieces[i].kind = pieces[i + 1].kind, pieces[i].name = pieces[i + 1].name;
    } else if (prev_day) {
      pieces[i].kind = pieces[i - 1].kind, pieces[i].name = pieces[i - 1].name;
    } else {
      pieces[i].kind = ClosedKind::kNight;
    }
    pieces[i].edge = false;
  }
  for (const Piece& p : pieces) {
    if (!out.empty()) {
      Segment& last = out.back();
      const bool same = last.counted == p.counted &&
                        (p.counted || (last.kind == p.kind && last.name == p.name));
      if (same && last.to == offsets_->ToSys(p.a)) {
        last.to = offsets_->ToSys(p.b);
        if (p.counted) last.length += Seconds{p.b - p.a};
        continue;
      }
    }
    out.push_back({offsets_->ToSys(p.a), offsets_->ToSys(p.b), p.counted,
                   p.counted ? ClosedKind{} : p.kind, p.name,
                   Seconds{p.counted ? p.b - p.a : 0}});
  }
  if (!out.empty()) out.front().from = std::max(out.front().from, from);
  return out;
}

}  // namespace soporte::domain::calendar
