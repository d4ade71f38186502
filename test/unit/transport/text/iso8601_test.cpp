#include "transport/text/iso8601.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::text {
namespace {

using namespace date;
using namespace std::chrono_literals;

const time_zone* Bogota() { return locate_zone("America/Bogota"); }

TEST(Iso8601Test, ParsesOffsetsZuluFractionsAndLocal) {
  const Instant want = sys_days{2026_y / 12 / 4} + 21h;
  EXPECT_EQ(*ParseIso8601("2026-12-04T16:00:00-05:00", Bogota()), want);
  EXPECT_EQ(*ParseIso8601("2026-12-04T21:00:00Z", Bogota()), want);
  EXPECT_EQ(*ParseIso8601("2026-12-04T22:00:00+01:00", Bogota()), want);
  EXPECT_EQ(*ParseIso8601("2026-12-04T16:00:00.999999-05:00", Bogota()), want);  // truncated
  EXPECT_EQ(*ParseIso8601("2026-12-04T16:00:00", Bogota()), want);  // local in the default zone
  EXPECT_EQ(*ParseIso8601("2026-12-04T17:00:00", locate_zone("Europe/Madrid")),
            sys_days{2026_y / 12 / 4} + 16h);
  // Local time in a DST gap → end of the gap; in an overlap → earliest.
  EXPECT_EQ(*ParseIso8601("2026-03-29T02:30:00", locate_zone("Europe/Madrid")),
            sys_days{2026_y / 3 / 29} + 1h);
  EXPECT_EQ(*ParseIso8601("2026-10-25T02:30:00", locate_zone("Europe/Madrid")),
            sys_days{2026_y / 10 / 25} + 30min);
}

TEST(Iso8601Test, RejectsEverythingElse) {
  for (const char* bad :
       {"yesterday", "", "2026-12-04", "2026-12-04 16:00:00-05:00", "2026-12-04t16:00:00Z",
        "2026-02-30T10:00:00Z", "2026-12-04T24:00:00Z", "2026-12-04T16:60:00Z",
        "2026-12-04T16:00:60Z", "2026-12-04T16:00:00-0500", "2026-12-04T16:00:00+24:00",
        "2026-12-04T16:00:00Zjunk", "2026-12-04T16:00:00.Z", "2026-13-04T16:00:00Z",
        "0000-01-01T00:00:00Z", "2026-12-04T16:00:00 "}) {
    auto r = ParseIso8601(bad, Bogota());
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

TEST(Iso8601Test, FormatsWithTheZonesOffset) {
  const Instant t = sys_days{2026_y / 12 / 7} + 19h;
  EXPECT_EQ(FormatIso8601(t, Bogota()), "2026-12-07T14:00:00-05:00");
  EXPECT_EQ(FormatIso8601(t, locate_zone("Europe/Madrid")), "2026-12-07T20:00:00+01:00");
  EXPECT_EQ(FormatIso8601(t, locate_zone("UTC")), "2026-12-07T19:00:00+00:00");
  EXPECT_EQ(FormatIso8601(t, locate_zone("Asia/Kolkata")), "2026-12-08T00:30:00+05:30");
  EXPECT_EQ(FormatIso8601(sys_days{2026_y / 7 / 1}, locate_zone("Europe/Madrid")),
            "2026-07-01T02:00:00+02:00");
}

}  // namespace
}  // namespace soporte::transport::text
