// Alert preferences: the checks that name the field, and quiet hours in the user's zone (a window
// within a day, one across midnight, and the instant the window ends).
#include "domain/alerts/alert_preferences.hpp"

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

using namespace std::chrono;

Instant Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

AlertPreferences Quiet(int start, int end, std::string zone = "America/Bogota") {
  AlertPreferences p;
  p.quiet = QuietHours{start, end, std::move(zone)};
  return p;
}

TEST(AlertPreferencesTest, DefaultsSendEveryAlertOnBothChannels) {
  AlertPreferences p;
  for (AlertKind k : {AlertKind::kSlaWarning, AlertKind::kSlaBreach, AlertKind::kNewCritical}) {
    EXPECT_TRUE(p.For(k).mail);
    EXPECT_TRUE(p.For(k).browser);
  }
  EXPECT_TRUE(CheckAlertPreferences(p));
  EXPECT_FALSE(QuietUntil(p, Utc(2026, 12, 4, 3)).has_value());
}

TEST(AlertPreferencesTest, BadQuietHoursAreRefusedNamingTheField) {
  struct Case {
    AlertPreferences p;
    const char* message;
  };
  const Case cases[] = {
      {Quiet(22 * 60, 7 * 60, "Mars/Olympus"), "quiet_hours.zone: unknown time zone Mars/Olympus"},
      {Quiet(22 * 60, 7 * 60, ""), "quiet_hours.zone: unknown time zone "},
      {Quiet(-1, 7 * 60), "quiet_hours.start: must be a time of day, 00:00 to 23:59"},
      {Quiet(22 * 60, 24 * 60), "quiet_hours.end: must be a time of day, 00:00 to 23:59"},
      {Quiet(8 * 60, 8 * 60), "quiet_hours.end: must differ from the start"},
  };
  for (const auto& c : cases) {
    auto st = CheckAlertPreferences(c.p);
    ASSERT_FALSE(st) << c.message;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(st.error().message, c.message);
  }
}

TEST(AlertPreferencesTest, QuietHoursAcrossMidnightHoldMailUntilTheMorning) {
  const auto p = Quiet(22 * 60, 7 * 60);  // 22:00–07:00 Bogota (UTC-5)
  // 23:30 Bogota (04:30 UTC next day) → 07:00 Bogota = 12:00 UTC.
  EXPECT_EQ(QuietUntil(p, Utc(2026, 12, 5, 4, 30)), Utc(2026, 12, 5, 12));
  // 02:00 Bogota (07:00 UTC) → the same morning's 07:00.
  EXPECT_EQ(QuietUntil(p, Utc(2026, 12, 5, 7)), Utc(2026, 12, 5, 12));
  // 22:00 sharp is inside; 07:00 sharp is outside.
  EXPECT_EQ(QuietUntil(p, Utc(2026, 12, 5, 3)), Utc(2026, 12, 5, 12));
  EXPECT_FALSE(QuietUntil(p, Utc(2026, 12, 5, 12)).has_value());
  EXPECT_FALSE(QuietUntil(p, Utc(2026, 12, 5, 18)).has_value());  // 13:00 Bogota
}

TEST(AlertPreferencesTest, QuietHoursWithinADayUseTheUsersZone) {
  const auto p = Quiet(12 * 60, 14 * 60, "Europe/Madrid");  // 12:00–14:00 Madrid (UTC+1 in Dec)
  EXPECT_EQ(QuietUntil(p, Utc(2026, 12, 4, 11, 15)), Utc(2026, 12, 4, 13));
  EXPECT_FALSE(QuietUntil(p, Utc(2026, 12, 4, 13)).has_value());
  EXPECT_FALSE(QuietUntil(p, Utc(2026, 12, 4, 10, 59)).has_value());
}

TEST(AlertPreferencesTest, KindNamesRoundTrip) {
  for (AlertKind k : {AlertKind::kSlaWarning, AlertKind::kSlaBreach, AlertKind::kNewCritical}) {
    EXPECT_EQ(ParseAlertKind(AlertKindName(k)), k);
  }
  EXPECT_FALSE(ParseAlertKind("breach").has_value());
}

}  // namespace
}  // namespace soporte::domain
