#include "domain/calendar/business_calendar.hpp"

#include <random>

#include <gtest/gtest.h>

namespace soporte::domain::calendar {
namespace {

using namespace date;
using namespace std::chrono_literals;

const time_zone* Bogota() { return locate_zone("America/Bogota"); }
// Bogota local wall clock → instant (UTC−5, no DST since 1993).
Instant Bog(local_seconds l) { return Instant{l.time_since_epoch() + 5h}; }
Instant Bog(local_days d, Seconds t) { return Bog(local_seconds{d} + t); }

BusinessCalendar Cal8x5() { return *BusinessCalendar::Make8x5("America/Bogota"); }

// Reference: walks second by second through each day's intervals (slow, obviously right).
Instant WalkAdd(const BusinessCalendar& c, Instant start, Seconds business) {
  const auto& z = *c.zone();
  auto l = z.to_local(start);
  std::int64_t rem = business.count();
  if (rem <= 0) return start;
  while (true) {
    const local_days d = floor<days>(l);
    const bool closed = c.closures().Contains(sys_days{d.time_since_epoch()});
    if (!closed) {
      for (const DayInterval& i : c.hours().On(weekday{d})) {
        const local_seconds a = d + i.begin, b = d + i.end;
        if (l >= b) continue;
        if (l < a) l = a;
        const std::int64_t avail = (b - l).count();
        if (rem <= avail) return z.to_sys(l + Seconds{rem}, choose::earliest);
        rem -= avail;
        l = b;
      }
    }
    l = d + days{1};
  }
}

TEST(BusinessCalendarTest, AddsAcrossNightWeekendAndHoliday) {
  const BusinessCalendar c = Cal8x5();
  // Fri 2026-12-04 16:00 + 8 h → Mon 14:00.
  EXPECT_EQ(c.Add(Bog(local_days{2026_y / 12 / 4}, 16h), 8h), Bog(local_days{2026_y / 12 / 7}, 14h));
  // Tue 2026-12-08 (Inmaculada Concepción) 10:00 + 4 h → Wed 12:00.
  EXPECT_EQ(c.Add(Bog(local_days{2026_y / 12 / 8}, 10h), 4h), Bog(local_days{2026_y / 12 / 9}, 12h));
}

TEST(BusinessCalendarTest, DueExactlyAtClosingStaysAtClosing) {
  const BusinessCalendar c = Cal8x5();
  EXPECT_EQ(c.Add(Bog(local_days{2026_y / 12 / 7}, 10h), 8h), Bog(local_days{2026_y / 12 / 7}, 18h));
  // 10 h from Friday 08:00 is Friday 18:00, not Monday 08:00.
  EXPECT_EQ(c.Add(Bog(local_days{2026_y / 12 / 4}, 8h), 10h), Bog(local_days{2026_y / 12 / 4}, 18h));
}

TEST(BusinessCalendarTest, HalfOpenIntervals) {
  const BusinessCalendar c = Cal8x5();
  const local_days mon{2026_y / 12 / 7};
  EXPECT_TRUE(c.IsOpen(Bog(mon, 8h)));
  EXPECT_FALSE(c.IsOpen(Bog(mon, 8h - 1s)));
  EXPECT_TRUE(c.IsOpen(Bog(mon, 18h - 1s)));
  EXPECT_FALSE(c.IsOpen(Bog(mon, 18h)));
  EXPECT_EQ(c.NextOpen(Bog(mon, 18h)), Bog(local_days{2026_y / 12 / 9}, 8h));  // Dec 8 is a holiday
  EXPECT_EQ(c.NextOpen(Bog(mon, 7h)), Bog(mon, 8h));
  EXPECT_EQ(c.NextOpen(Bog(mon, 9h)), Bog(mon, 9h));
}

TEST(BusinessCalendarTest, ElapsedSkipsClosedTime) {
  const BusinessCalendar c = Cal8x5();
  EXPECT_EQ(c.Elapsed(Bog(local_days{2026_y / 12 / 4}, 16h), Bog(local_days{2026_y / 12 / 9}, 9h)), 13h);
  EXPECT_EQ(c.Elapsed(Bog(local_days{2026_y / 12 / 9}, 9h), Bog(local_days{2026_y / 12 / 4}, 16h)), 0s);
  // Inside a holiday: nothing counts.
  EXPECT_EQ(c.Elapsed(Bog(local_days{2026_y / 12 / 8}, 9h), Bog(local_days{2026_y / 12 / 8}, 17h)), 0s);
  // A whole year 2026 on 8x5: 261 weekdays, and all 19 holidays of 2026 fall on weekdays.
  const Seconds year = c.Elapsed(Bog(local_days{2026_y / 1 / 1}, 0s), Bog(local_days{2027_y / 1 / 1}, 0s));
  int workdays = 0;
  for (sys_days d = 2026_y / 1 / 1; d < sys_days{2027_y / 1 / 1}; d += days{1}) {
    const weekday w{d};
    workdays += w != Saturday && w != Sunday && !c.closures().Contains(d);
  }
  EXPECT_EQ(year, workdays * 10h);
  EXPECT_EQ(workdays, 261 - 19);
}

TEST(BusinessCalendarTest, LongTargetsAndLongClosuresMatchAWalk) {
  // Extra closure: the whole of January 2027 closed, plus Colombian holidays.
  std::vector<ClosureDay> january;
  for (unsigned d = 1; d <= 31; ++d) january.push_back({sys_days{2027_y / 1 / d}, "cierre"});
  WeekPattern lunch;
  for (unsigned d = 0; d < 5; ++d) lunch[d] = {{8h, 12h}, {14h, 18h}};
  lunch[5] = {{9h, 13h}};
  const BusinessCalendar c =
      BusinessCalendar::Create("custom", *WeeklyHours::Create(lunch),
                               HolidaySet::Colombia(2020, 2035).With(january), Bogota());
  std::mt19937_64 rng(42);
  const Instant base = Bog(local_days{2026_y / 6 / 1}, 0s);
  for (int i = 0; i < 3000; ++i) {
    const Instant start = base + Seconds{static_cast<long long>(rng() % (400LL * 86400))};
    const Seconds target{static_cast<long long>(rng() % (i % 10 == 0 ? 2000LL * 3600 : 30LL * 3600))};
    const Instant due = c.Add(start, target);
    ASSERT_EQ(due, WalkAdd(c, start, target)) << i;
    ASSERT_EQ(c.Elapsed(start, due), target) << i;
  }
}

TEST(BusinessCalendarTest, EightByFiveMatchesAWalkOverDecades) {
  const BusinessCalendar c = Cal8x5();
  std::mt19937_64 rng(7);
  const Instant base = Bog(local_days{1984_y / 1 / 1}, 0s);
  for (int i = 0; i < 5000; ++i) {
    const Instant start = base + Seconds{static_cast<long long>(rng() % (116LL * 365 * 86400))};
    const Seconds target{static_cast<long long>(rng() % (100LL * 3600)) + 1};
    ASSERT_EQ(c.Add(start, target), WalkAdd(c, start, target)) << i;
  }
}

TEST(BusinessCalendarTest, AlwaysOpenCountsRealSecondsAcrossDst) {
  const BusinessCalendar c = *BusinessCalendar::Make24x7("Europe/Madrid");
  const Instant t = sys_days{2026_y / 3 / 29} + 0h + 30min;  // 01:30 CET, 1 h before the gap
  EXPECT_EQ(c.Add(t, 2h), t + 2h);
  EXPECT_EQ(c.Elapsed(t, t + 5h), 5h);
}

TEST(BusinessCalendarTest, DstZoneReadsHoursInLocalTime) {
  const BusinessCalendar c = *BusinessCalendar::Make8x5("Europe/Madrid");
  // Fri 2026-03-27 16:00 CET + 8 h → Mon 2026-03-30 14:00 CEST (12:00Z).
  EXPECT_EQ(c.Add(sys_days{2026_y / 3 / 27} + 15h, 8h), sys_days{2026_y / 3 / 30} + 12h);
  EXPECT_EQ(c.OffsetAt(sys_days{2026_y / 3 / 30}), 2h);
}

TEST(BusinessCalendarTest, IntervalAcrossADstGapDoesNotCrash) {
  // Open 00:00–06:00 every day in Madrid: on 2026-03-29 the wall clock jumps 02:00 → 03:00.
  WeekPattern night;
  for (auto& d : night) d = {{0h, 6h}};
  const BusinessCalendar c =
      BusinessCalendar::Create("night", *WeeklyHours::Create(night), HolidaySet{}, locate_zone("Europe/Madrid"));
  const Instant start = sys_days{2026_y / 3 / 28} + 23h;  // 00:00 CET on the 29th
  // Rule: wall-clock seconds count; 02:30 local never happens → the end of the gap (03:00 CEST).
  EXPECT_EQ(c.Add(start, 2h + 30min), sys_days{2026_y / 3 / 29} + 1h);
  EXPECT_EQ(c.Add(start, 4h), sys_days{2026_y / 3 / 29} + 2h);  // 04:00 CEST
  EXPECT_EQ(c.Elapsed(start, sys_days{2026_y / 3 / 29} + 4h), 6h);
}

TEST(BusinessCalendarTest, SegmentsNameNightsWeekendsAndHolidays) {
  const BusinessCalendar c = Cal8x5();
  // Thu 2026-12-03 17:00 → Wed 2026-12-09 09:00.
  const auto segs = c.Segments(Bog(local_days{2026_y / 12 / 3}, 17h), Bog(local_days{2026_y / 12 / 9}, 9h));
  // counted, night, counted, weekend, counted, holiday (Mon 18:00 → Wed 08:00), counted.
  ASSERT_EQ(segs.size(), 7u);
  EXPECT_TRUE(segs[0].counted);
  EXPECT_EQ(segs[0].length, 1h);
  EXPECT_EQ(segs[1].kind, ClosedKind::kNight);
  EXPECT_EQ(segs[3].kind, ClosedKind::kWeekend);
  EXPECT_EQ(segs[3].from, Bog(local_days{2026_y / 12 / 4}, 18h));
  EXPECT_EQ(segs[3].to, Bog(local_days{2026_y / 12 / 7}, 8h));
  EXPECT_EQ(segs[5].kind, ClosedKind::kHoliday);  // the evening before joins the holiday
  EXPECT_EQ(segs[5].name, "Inmaculada Concepción");
  EXPECT_EQ(segs[5].from, Bog(local_days{2026_y / 12 / 7}, 18h));
  EXPECT_EQ(segs[5].to, Bog(local_days{2026_y / 12 / 9}, 8h));
  EXPECT_EQ(segs[6].length, 1h);
  Seconds total{0};
  for (const auto& s : segs) total += s.length;
  EXPECT_EQ(total, 1h + 10h + 10h + 1h);
}

TEST(BusinessCalendarTest, UnknownZoneIsAnError) {
  auto c = BusinessCalendar::Make8x5("Mars/Base");
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code, ErrorCode::kInvalidArgument);
}

TEST(WeeklyHoursTest, Validation) {
  WeekPattern p;
  p[0] = {{10h, 9h}};
  EXPECT_FALSE(WeeklyHours::Create(p).has_value());
  p[0] = {{8h, 12h}, {11h, 13h}};
  EXPECT_FALSE(WeeklyHours::Create(p).has_value());
  p[0] = {{8h, 25h}};
  EXPECT_FALSE(WeeklyHours::Create(p).has_value());
  EXPECT_FALSE(WeeklyHours::Create(WeekPattern{}).has_value());
  p[0] = {{14h, 18h}, {8h, 14h}};  // unsorted and touching: merged
  auto h = WeeklyHours::Create(p);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->On(Monday).size(), 1u);
  EXPECT_EQ(h->WeeklyTotal(), 10h);
  EXPECT_TRUE(WeeklyHours::AlwaysOpen().IsAlwaysOpen());
  EXPECT_EQ(WeeklyHours::MondayToFriday(8h, 18h).WeeklyTotal(), 50h);
}

TEST(HolidaySetTest, MergesDatesAndJoinsNames) {
  const HolidaySet s({{sys_days{2026_y / 1 / 2}, "b"}, {sys_days{2026_y / 1 / 1}, "a"}, {sys_days{2026_y / 1 / 2}, "c"}});
  ASSERT_EQ(s.days().size(), 2u);
  EXPECT_EQ(*s.NameOf(sys_days{2026_y / 1 / 2}), "b / c");
  EXPECT_FALSE(s.Contains(sys_days{2026_y / 1 / 3}));
  EXPECT_EQ(*HolidaySet::Colombia(2025, 2025).NameOf(sys_days{2025_y / 6 / 30}),
            "San Pedro y San Pablo / Sagrado Corazón de Jesús");
}

TEST(ZoneOffsetsTest, GapAndOverlapRules) {
  const ZoneOffsets z(locate_zone("Europe/Madrid"));
  const LocalSecs gap = local_seconds{local_days{2026_y / 3 / 29} + 2h + 30min}.time_since_epoch().count();
  EXPECT_EQ(z.ToSys(gap), sys_days{2026_y / 3 / 29} + 1h);  // end of the gap, 03:00 CEST
  const LocalSecs overlap = local_seconds{local_days{2026_y / 10 / 25} + 2h + 30min}.time_since_epoch().count();
  EXPECT_EQ(z.ToSys(overlap), sys_days{2026_y / 10 / 25} + 30min);  // earliest: 02:30 CEST
  EXPECT_EQ(z.OffsetAt(sys_days{2026_y / 7 / 1}), 2h);
  EXPECT_EQ(z.OffsetAt(sys_days{2026_y / 1 / 1}), 1h);
}

}  // namespace
}  // namespace soporte::domain::calendar
