#include "domain/calendar/calendar_definition.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::calendar {
namespace {

using namespace date;
using namespace std::chrono_literals;

Instant Bog(local_days d, std::chrono::hours h) {
  return std::chrono::time_point_cast<Seconds>(locate_zone("America/Bogota")->to_sys(d + h));
}

CalendarDefinition Office() {
  CalendarDefinition c;
  c.id = CalendarId{7};
  c.version = 1;
  c.name = "Oficina Medellín";
  for (unsigned d = 0; d < 5; ++d) c.hours[d] = {{8h, 12h}, {14h, 18h}};
  return c;
}

std::string ErrorOf(const CalendarDefinition& c) {
  auto st = ValidateCalendarDefinition(c);
  EXPECT_FALSE(st);
  return st ? "" : st.error().message;
}

TEST(CalendarDefinitionTest, AValidDefinitionPasses) {
  EXPECT_TRUE(ValidateCalendarDefinition(Office()));
  CalendarDefinition touching = Office();
  touching.hours[5] = {{8h, 10h}, {10h, 12h}};  // touching intervals are fine
  EXPECT_TRUE(ValidateCalendarDefinition(touching));
}

TEST(CalendarDefinitionTest, ErrorsNameTheProblem) {
  CalendarDefinition c = Office();
  c.hours[1] = {{8h, 13h}, {12h, 18h}};
  EXPECT_EQ(ErrorOf(c), "hours.tuesday: intervals 08:00–13:00 and 12:00–18:00 overlap");

  c = Office();
  c.hours[2] = {{14h, 18h}, {8h, 12h}};
  EXPECT_EQ(ErrorOf(c), "hours.wednesday: intervals must be in ascending order (08:00 comes after 14:00)");

  c = Office();
  c.hours[0] = {{18h, 8h}};
  EXPECT_EQ(ErrorOf(c), "hours.monday: interval 18:00–08:00 is empty or outside 00:00–24:00");

  c = Office();
  c.zone = "America/Medellin_Imaginaria";
  EXPECT_EQ(ErrorOf(c), "zone: 'America/Medellin_Imaginaria' is not a known IANA time zone");

  c = Office();
  c.hours = {};
  EXPECT_EQ(ErrorOf(c), "hours: the calendar must be open some time in the week");

  c = Office();
  c.name = "";
  EXPECT_EQ(ErrorOf(c), "name is required");

  c = Office();
  c.closures = {{sys_days{2026_y / 12 / 7}, "Inventario", {}, {}}, {sys_days{2026_y / 12 / 7}, "Otra", {}, {}}};
  EXPECT_EQ(ErrorOf(c), "closure 2026-12-07 is listed twice");

  c = Office();
  c.closures = {{sys_days{2026_y / 12 / 7}, "", {}, {}}};
  EXPECT_EQ(ErrorOf(c), "closure 2026-12-07: reason is required");

  c = Office();
  c.closures = {{sys_days{1970_y / 1 / 1}, "Antes de la ley", {}, {}}};
  EXPECT_EQ(ErrorOf(c), "closure 1970-01-01 is outside the years 1984–2100");
}

TEST(CalendarDefinitionTest, BuildsHoursClosuresAndHolidays) {
  CalendarDefinition c = Office();
  c.closures = {{sys_days{2026_y / 12 / 7}, "Inventario anual", {}, {}}};
  auto cal = BuildBusinessCalendar(c);
  ASSERT_TRUE(cal) << cal.error().message;
  EXPECT_EQ(cal->name(), "Oficina Medellín");
  // Lunch break: 12:00–14:00 is closed.
  EXPECT_FALSE(cal->IsOpen(Bog(local_days{2026_y / 12 / 4}, 13h)));
  EXPECT_TRUE(cal->IsOpen(Bog(local_days{2026_y / 12 / 4}, 15h)));
  // The closure day (a Monday) is closed all day and named by its reason.
  EXPECT_FALSE(cal->IsOpen(Bog(local_days{2026_y / 12 / 7}, 9h)));
  EXPECT_EQ(cal->closures().NameOf(sys_days{2026_y / 12 / 7}), "Inventario anual");
  // Colombian holiday: 2026-12-08 (Inmaculada Concepción) is closed…
  EXPECT_FALSE(cal->IsOpen(Bog(local_days{2026_y / 12 / 8}, 9h)));
  // …unless the calendar does not follow Colombian holidays.
  c.colombian_holidays = false;
  auto plain = BuildBusinessCalendar(c);
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->IsOpen(Bog(local_days{2026_y / 12 / 8}, 9h)));
  EXPECT_FALSE(plain->IsOpen(Bog(local_days{2026_y / 12 / 7}, 9h)));
}

TEST(CalendarDefinitionTest, BuildRefusesAnInvalidDefinition) {
  CalendarDefinition c = Office();
  c.zone = "Nowhere/Zone";
  EXPECT_FALSE(BuildBusinessCalendar(c));
}

}  // namespace
}  // namespace soporte::domain::calendar
