#include "domain/calendar/holidays_co.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "domain/calendar/easter.hpp"

namespace soporte::domain::calendar {
namespace {

using namespace date;

std::string Render(const std::vector<Holiday>& hs) {
  std::string out;
  for (const Holiday& h : hs) out += format("%F", sys_days{h.date}) + "\t" + std::string(h.name) + "\n";
  return out;
}

class GoldenHolidays : public testing::TestWithParam<int> {};

// test/data/holidays_co_YYYY.tsv were written from the law (and checked against an independent
// Python implementation); adding a year is adding a file and a number below.
TEST_P(GoldenHolidays, MatchesGoldenFile) {
  const int y = GetParam();
  std::ifstream in(std::string(SOPORTE_TEST_DATA_DIR) + "/holidays_co_" + std::to_string(y) + ".tsv");
  ASSERT_TRUE(in) << y;
  std::stringstream golden;
  golden << in.rdbuf();
  EXPECT_EQ(Render(ColombianHolidays(y)), golden.str());
}
INSTANTIATE_TEST_SUITE_P(Years, GoldenHolidays,
                         testing::Values(1984, 2008, 2011, 2024, 2025, 2026, 2027, 2038, 2100));

TEST(HolidaysCoTest, CountsPerYear) {
  for (int y = 1984; y <= 2100; ++y) {
    EXPECT_EQ(ColombianHolidays(y).size(), y >= 2026 ? 19u : 18u) << y;
  }
  EXPECT_TRUE(ColombianHolidays(1983).empty());  // Ley 51 de 1983 applies from 1984
}

TEST(HolidaysCoTest, MovedHolidaysAreMondaysWithinAWeekOfTheirDate) {
  for (int y = 1984; y <= 2100; ++y) {
    for (const Holiday& h : ColombianHolidays(y)) {
      for (const HolidayRule& r : ColombianHolidayRules()) {
        if (r.name != h.name) continue;
        const sys_days d{h.date};
        if (r.kind == HolidayRuleKind::kNextMonday) {
          const sys_days nominal{year{y} / month{r.month} / day{r.day}};
          EXPECT_EQ(weekday{d}, Monday) << h.name << " " << y;
          EXPECT_GE(d, nominal);
          EXPECT_LT(d - nominal, days{7});
        } else if (r.kind == HolidayRuleKind::kFixed) {
          EXPECT_EQ(h.date, year{y} / month{r.month} / day{r.day});
        } else {
          EXPECT_EQ(d - sys_days{EasterSunday(y)}, days{r.easter_offset});
          EXPECT_EQ(weekday{d}, r.easter_offset < 0 ? (r.easter_offset == -3 ? Thursday : Friday) : Monday);
        }
      }
    }
  }
}

TEST(HolidaysCoTest, TwoHolidaysOnTheSameMondayAreBothListed) {
  // 2025: Jun 29 is a Sunday → Jun 30, and Easter (Apr 20) + 71 = Jun 30.
  // 2011: Jun 29 is a Wednesday → Jul 4, and Easter (Apr 24) + 71 = Jul 4.
  for (auto [y, d] : {std::pair{2025, 2025_y / June / 30}, std::pair{2011, 2011_y / July / 4}}) {
    int on_day = 0;
    for (const Holiday& h : ColombianHolidays(y)) on_day += h.date == d;
    EXPECT_EQ(on_day, 2) << y;
  }
}

TEST(HolidaysCoTest, Ley2578AddsChiquinquiraFrom2026) {
  auto has = [](int y, year_month_day d) {
    for (const Holiday& h : ColombianHolidays(y)) {
      if (h.date == d && h.name == "Virgen de Chiquinquirá") return true;
    }
    return false;
  };
  EXPECT_FALSE(has(2025, 2025_y / July / 14));
  EXPECT_TRUE(has(2026, 2026_y / July / 13));  // Thursday → Monday
  EXPECT_TRUE(has(2027, 2027_y / July / 12));  // Friday → Monday
  EXPECT_TRUE(has(2030, 2030_y / July / 15));  // Tuesday → Monday
  EXPECT_TRUE(has(2029, 2029_y / July / 9));   // a Monday stays
}

TEST(HolidaysCoTest, ANewLawIsOneRow) {
  const HolidayRule rules[] = {
      {"Fijo", HolidayRuleKind::kFixed, 2, 3, 0, 2030, 2031, "ley de prueba"},
      {"Lunes", HolidayRuleKind::kNextMonday, 2, 3, 0, 2030, 9999, "ley de prueba"},
  };
  EXPECT_TRUE(HolidaysFromRules(rules, 2029).empty());
  const auto h2030 = HolidaysFromRules(rules, 2030);  // Feb 3 2030 is a Sunday
  ASSERT_EQ(h2030.size(), 2u);
  EXPECT_EQ(h2030[0].date, 2030_y / February / 3);
  EXPECT_EQ(h2030[1].date, 2030_y / February / 4);
  EXPECT_EQ(HolidaysFromRules(rules, 2032).size(), 1u);
}

}  // namespace
}  // namespace soporte::domain::calendar
