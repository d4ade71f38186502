// The rota arithmetic: who is on call at an instant in Bogotá (no DST) and New York (DST both
// ways), overrides, the overlap checks naming the field, the schedule and the escalation chain.
#include "domain/oncall/rota.hpp"

#include <string>

#include <date/date.h>
#include <gtest/gtest.h>

namespace soporte::domain::oncall {
namespace {

using namespace std::chrono_literals;

Instant Utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return Instant{date::sys_days{date::year{y} / m / d}} + std::chrono::hours{hh} +
         std::chrono::minutes{mm};
}

constexpr UserId kAna{1}, kBeto{2}, kCata{3}, kDani{4}, kSup{9};

// Bogotá nights: Mon–Thu 18:00 → next day 08:00 (Ana, Beto as secondary); the weekend
// Fri 18:00 → Mon 08:00 (Cata, Dani as secondary).
Rota BogotaNights() {
  Rota r;
  r.name = "Noches";
  r.zone = "America/Bogota";
  for (unsigned d = 0; d < 4; ++d) r.shifts.push_back({d, 18h, 14h, kAna, kBeto});
  r.shifts.push_back({4, 18h, 62h, kCata, kDani});
  return r;
}

struct Case {
  const char* what;
  Instant at;
  UserId primary;
  UserId secondary;
};

TEST(RotaTest, BogotaNightsAndWeekendTable) {
  const Rota r = BogotaNights();
  ASSERT_TRUE(ValidateRota(r));
  // Bogotá is UTC-5 all year: 18:00 local = 23:00Z.
  const Case cases[] = {
      {"Mon 17:59 local: staffed, nobody", Utc(2026, 12, 7, 22, 59), UserId{}, UserId{}},
      {"Mon 18:00 local: Ana starts", Utc(2026, 12, 7, 23, 0), kAna, kBeto},
      {"Tue 02:00 local", Utc(2026, 12, 8, 7, 0), kAna, kBeto},
      {"Tue 07:59 local", Utc(2026, 12, 8, 12, 59), kAna, kBeto},
      {"Tue 08:00 local: over", Utc(2026, 12, 8, 13, 0), UserId{}, UserId{}},
      {"Fri 18:00 local: weekend starts", Utc(2026, 12, 11, 23, 0), kCata, kDani},
      {"Sun 12:00 local", Utc(2026, 12, 13, 17, 0), kCata, kDani},
      {"Mon 07:59 local", Utc(2026, 12, 14, 12, 59), kCata, kDani},
      {"Mon 08:00 local", Utc(2026, 12, 14, 13, 0), UserId{}, UserId{}},
  };
  for (const Case& c : cases) {
    const OnCall got = OnCallAt(r, c.at);
    EXPECT_EQ(got.primary, c.primary) << c.what;
    EXPECT_EQ(got.secondary, c.secondary) << c.what;
  }
  const OnCall tue = OnCallAt(r, Utc(2026, 12, 8, 7, 0));
  EXPECT_EQ(tue.from, Utc(2026, 12, 7, 23, 0));
  EXPECT_EQ(tue.until, Utc(2026, 12, 8, 13, 0));
}

TEST(RotaTest, OverrideSwapsANightAndCoversAHoliday) {
  Rota r = BogotaNights();
  // Beto takes Ana's Wednesday night; Dani covers the whole of Dec 8 (a holiday) as primary.
  r.overrides.push_back(
      {Utc(2026, 12, 9, 23, 0), Utc(2026, 12, 10, 13, 0), kPrimaryLevel, kBeto, "cambio"});
  r.overrides.push_back(
      {Utc(2026, 12, 8, 5, 0), Utc(2026, 12, 9, 5, 0), kPrimaryLevel, kDani, "festivo"});
  ASSERT_TRUE(ValidateRota(r));
  const OnCall wed = OnCallAt(r, Utc(2026, 12, 10, 3, 0));
  EXPECT_EQ(wed.primary, kBeto);
  EXPECT_EQ(wed.secondary, kBeto);  // the shift's secondary stays
  EXPECT_TRUE(wed.overridden);
  const OnCall holiday_noon = OnCallAt(r, Utc(2026, 12, 8, 17, 0));
  EXPECT_EQ(holiday_noon.primary, kDani);
  EXPECT_EQ(holiday_noon.secondary, UserId{});
  EXPECT_EQ(holiday_noon.from, Utc(2026, 12, 8, 13, 0));   // the shift ended at 08:00 local
  EXPECT_EQ(holiday_noon.until, Utc(2026, 12, 8, 23, 0));  // the next shift starts
  const OnCall thu = OnCallAt(r, Utc(2026, 12, 11, 3, 0));
  EXPECT_EQ(thu.primary, kAna);
  EXPECT_FALSE(thu.overridden);
}

TEST(RotaTest, NewYorkShiftsFollowTheWallClockAcrossDst) {
  Rota r;
  r.name = "NY";
  r.zone = "America/New_York";
  r.shifts.push_back({5, 22h, 12h, kAna, {}});         // Sat 22:00 → Sun 10:00 local
  r.shifts.push_back({6, 2h + 30min, 1h, kBeto, {}});  // Sun 02:30 → 03:30 local (a gap in March)
  ASSERT_FALSE(ValidateRota(r));                       // Sun 02:30 is inside Ana's shift
  r.shifts[1] = {6, 12h, 1h, kBeto, {}};
  ASSERT_TRUE(ValidateRota(r));
  // 2026-03-08 02:00 EST → 03:00 EDT. Sat 22:00 EST = 03:00Z; Sun 10:00 EDT = 14:00Z (11 h).
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 2, 59)).primary, UserId{});
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 3, 0)).primary, kAna);
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 13, 59)).primary, kAna);
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 14, 0)).primary, UserId{});
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 16, 0)).primary, kBeto);  // Sun 12:00 EDT
  // 2026-11-01 02:00 EDT → 01:00 EST. Sat 22:00 EDT = 02:00Z; Sun 10:00 EST = 15:00Z (13 h).
  EXPECT_EQ(OnCallAt(r, Utc(2026, 11, 1, 1, 59)).primary, UserId{});
  EXPECT_EQ(OnCallAt(r, Utc(2026, 11, 1, 2, 0)).primary, kAna);
  EXPECT_EQ(OnCallAt(r, Utc(2026, 11, 1, 14, 59)).primary, kAna);
  EXPECT_EQ(OnCallAt(r, Utc(2026, 11, 1, 15, 0)).primary, UserId{});
}

TEST(RotaTest, AShiftStartingInTheSpringGapStartsWhenTheGapEnds) {
  Rota r;
  r.name = "gap";
  r.zone = "America/New_York";
  r.shifts.push_back({6, 2h + 30min, 2h, kAna, {}});  // Sun 02:30 → 04:30 local
  ASSERT_TRUE(ValidateRota(r));
  // 2026-03-08: 02:30 does not exist; the shift starts at 03:00 EDT = 07:00Z, ends 04:30 EDT.
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 6, 59)).primary, UserId{});
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 7, 0)).primary, kAna);
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 8, 29)).primary, kAna);
  EXPECT_EQ(OnCallAt(r, Utc(2026, 3, 8, 8, 30)).primary, UserId{});
}

TEST(RotaTest, ValidationNamesTheField) {
  struct Bad {
    const char* field;
    void (*spoil)(Rota&);
  };
  const Bad bad[] = {
      {"name", [](Rota& r) { r.name.clear(); }},
      {"zone", [](Rota& r) { r.zone = "Mars/Olympus"; }},
      {"shifts[0].day", [](Rota& r) { r.shifts[0].start_day = 7; }},
      {"shifts[0].start", [](Rota& r) { r.shifts[0].start = 24h; }},
      {"shifts[0].end", [](Rota& r) { r.shifts[0].length = 0s; }},
      {"shifts[0].end", [](Rota& r) { r.shifts[0].length = 7 * 24h + 1s; }},
      {"shifts[0].primary", [](Rota& r) { r.shifts[0].primary = UserId{}; }},
      // Fri 18:00 + 62 h reaches Mon 08:00; a Monday 07:00 shift overlaps it across the week.
      {"shifts[5]: overlaps shifts[4]",
       [](Rota& r) {
         r.shifts.push_back({0, 7h, 2h, kAna, {}});
       }},
      {"shifts[5]: overlaps shifts[0]",
       [](Rota& r) {
         r.shifts.push_back({0, 20h, 1h, kAna, {}});
       }},
      {"overrides[0].until",
       [](Rota& r) {
         r.overrides.push_back({Utc(2026, 1, 2, 0), Utc(2026, 1, 1, 0), 0, kAna, ""});
       }},
      {"overrides[0].level",
       [](Rota& r) {
         r.overrides.push_back({Utc(2026, 1, 1, 0), Utc(2026, 1, 2, 0), 2, kAna, ""});
       }},
      {"overrides[0].user",
       [](Rota& r) {
         r.overrides.push_back({Utc(2026, 1, 1, 0), Utc(2026, 1, 2, 0), 0, {}, ""});
       }},
      {"overrides[1]: overlaps overrides[0]",
       [](Rota& r) {
         r.overrides.push_back({Utc(2026, 1, 1, 0), Utc(2026, 1, 2, 0), 0, kAna, ""});
         r.overrides.push_back({Utc(2026, 1, 1, 12), Utc(2026, 1, 3, 0), 0, kBeto, ""});
       }},
  };
  for (const Bad& b : bad) {
    Rota r = BogotaNights();
    b.spoil(r);
    auto st = ValidateRota(r);
    ASSERT_FALSE(st) << b.field;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_TRUE(st.error().message.starts_with(b.field)) << st.error().message;
  }
  // Touching shifts and overrides of different levels are fine.
  Rota ok = BogotaNights();
  ok.shifts.push_back({0, 8h, 10h, kSup, {}});  // Mon 08:00 → 18:00 touches both neighbours
  ok.overrides.push_back({Utc(2026, 1, 1, 0), Utc(2026, 1, 2, 0), 0, kAna, ""});
  ok.overrides.push_back({Utc(2026, 1, 1, 0), Utc(2026, 1, 2, 0), 1, kBeto, ""});
  EXPECT_TRUE(ValidateRota(ok));
}

TEST(RotaTest, ScheduleOfTwoWeeksMergesAndBoundsStretches) {
  const Rota r = BogotaNights();
  const Instant from = Utc(2026, 12, 7, 5, 0);  // Mon 00:00 local
  const auto s = Schedule(r, from, from + 14 * 24h);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s.front().from, from);
  EXPECT_EQ(s.back().until, from + 14 * 24h);
  for (std::size_t i = 1; i < s.size(); ++i) EXPECT_EQ(s[i - 1].until, s[i].from);
  // Monday 00:00 is still inside the weekend shift begun on Friday Dec 4, then four nights of
  // Ana and one weekend of Cata per week.
  int ana = 0, cata = 0;
  for (const OnCall& c : s) {
    ana += c.primary == kAna;
    cata += c.primary == kCata;
  }
  EXPECT_EQ(ana, 8);
  EXPECT_EQ(cata, 3);
  EXPECT_EQ(s.front().primary, kCata);
  EXPECT_EQ(s.front().until, Utc(2026, 12, 7, 13, 0));
}

TEST(RotaTest, EscalationChainSkipsEmptyAndRepeatedLevels) {
  OnCall c{kAna, kBeto, {}, {}, false};
  auto chain = EscalationChain(c, {kSup, kAna});
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[0], (ChainLevel{kPrimaryLevel, {kAna}}));
  EXPECT_EQ(chain[1], (ChainLevel{kSecondaryLevel, {kBeto}}));
  EXPECT_EQ(chain[2], (ChainLevel{kSupervisorLevel, {kSup}}));
  EXPECT_EQ(NextLevel(chain, kPrimaryLevel)->level, kSecondaryLevel);
  EXPECT_FALSE(NextLevel(chain, kSupervisorLevel));
  // No secondary: the primary escalates straight to the supervisors.
  auto two = EscalationChain(OnCall{kAna, {}, {}, {}, false}, {kSup});
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(NextLevel(two, kPrimaryLevel)->level, kSupervisorLevel);
  // Nobody on call: the supervisors are the chain.
  auto sup = EscalationChain(OnCall{}, {kSup});
  ASSERT_EQ(sup.size(), 1u);
  EXPECT_EQ(sup[0].level, kSupervisorLevel);
}

}  // namespace
}  // namespace soporte::domain::oncall
