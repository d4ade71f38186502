#include "domain/calendar/zones.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::calendar {
namespace {

TEST(ZonesTest, NamedZoneIsThatZone) {
  EXPECT_EQ(ZoneOrUtc("Europe/Madrid")->name(), "Europe/Madrid");
  EXPECT_EQ(ZoneOrUtc(kDefaultZone)->name(), "America/Bogota");
}

TEST(ZonesTest, EmptyNameIsTheDefaultZone) { EXPECT_EQ(ZoneOrUtc(""), ZoneOrUtc(kDefaultZone)); }

TEST(ZonesTest, UnknownNameShowsUtcInsteadOfFailing) {
  EXPECT_EQ(ZoneOrUtc("Mars/Base"), Utc());
  EXPECT_EQ(Utc(), date::locate_zone("UTC"));
}

}  // namespace
}  // namespace soporte::domain::calendar
