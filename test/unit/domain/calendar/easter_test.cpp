#include "domain/calendar/easter.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::calendar {
namespace {

using namespace date;

// Gauss's Easter algorithm with the Gregorian exceptions: independent of the Meeus form under test.
year_month_day GaussEaster(int y) {
  const int a = y % 19, b = y % 4, c = y % 7, k = y / 100;
  const int p = (13 + 8 * k) / 25, q = k / 4;
  const int m = (15 - p + k - q) % 30, n = (4 + k - q) % 7;
  const int d = (19 * a + m) % 30, e = (2 * b + 4 * c + 6 * d + n) % 7;
  if (d == 29 && e == 6) return year{y} / April / 19;
  if (d == 28 && e == 6 && (11 * m + 11) % 30 < 19) return year{y} / April / 18;
  const int day = 22 + d + e;
  return day <= 31 ? year{y} / March / unsigned(day) : year{y} / April / unsigned(day - 31);
}

TEST(EasterTest, KnownDates) {
  EXPECT_EQ(EasterSunday(2008), 2008_y / March / 23);  // Easter in March
  EXPECT_EQ(EasterSunday(2011), 2011_y / April / 24);  // Easter in April
  EXPECT_EQ(EasterSunday(2016), 2016_y / March / 27);
  EXPECT_EQ(EasterSunday(2024), 2024_y / March / 31);
  EXPECT_EQ(EasterSunday(2025), 2025_y / April / 20);
  EXPECT_EQ(EasterSunday(2026), 2026_y / April / 5);
  EXPECT_EQ(EasterSunday(1984), 1984_y / April / 22);
  EXPECT_EQ(EasterSunday(2100), 2100_y / March / 28);
  EXPECT_EQ(EasterSunday(2285), 2285_y / March / 22);  // earliest possible date
  EXPECT_EQ(EasterSunday(2038), 2038_y / April / 25);  // latest possible date
}

TEST(EasterTest, AgreesWithGaussAndIsASundayInRange) {
  for (int y = 1583; y <= 4099; ++y) {
    const year_month_day e = EasterSunday(y);
    ASSERT_EQ(e, GaussEaster(y)) << y;
    ASSERT_EQ(weekday{sys_days{e}}, Sunday) << y;
    ASSERT_GE(sys_days{e}, sys_days{year{y} / March / 22}) << y;
    ASSERT_LE(sys_days{e}, sys_days{year{y} / April / 25}) << y;
  }
}

}  // namespace
}  // namespace soporte::domain::calendar
