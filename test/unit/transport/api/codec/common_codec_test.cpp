#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/org_codec.hpp"

#include <gtest/gtest.h>
#include <date/date.h>

namespace soporte::transport::api::codec {
namespace {

using namespace date;

TEST(ParseDateTest, AcceptsCalendarDates) {
  EXPECT_EQ(ParseDate("2026-02-28", "d")->time_since_epoch().count(), sys_days{2026_y / 2 / 28}.time_since_epoch().count());
  EXPECT_TRUE(ParseDate("2028-02-29", "d"));
  EXPECT_FALSE(ParseDate("2026-02-29", "d"));  // not a leap year
  EXPECT_FALSE(ParseDate("2026-13-01", "d"));
}

// Found by fuzz/api_json_fuzz (round trip): sscanf's %d also read a sign or leading blanks, so
// "-024-02-26" was accepted as the year -24 and printed back as "-0024-02-26".
TEST(ParseDateTest, RejectsSignsBlanksAndShortFields) {
  for (const char* text : {"-024-02-26", "+202-02-26", " 202-02-26", "2026- 2-26", "2026-+2-26", "2026-02- 6",
                           "2026/02/26", "2026-02-2x", "20260-2-26"}) {
    auto d = ParseDate(text, "valid_from");
    ASSERT_FALSE(d) << text;
    EXPECT_EQ(d.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(d.error().message, "valid_from must be a date YYYY-MM-DD") << text;
  }
}

TEST(ParseDateTest, NewContractRejectsASignedYear) {
  auto c = ParseNewContract(R"({"modality":"8x5","valid_from":"-024-02-26"})");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "valid_from must be a date YYYY-MM-DD");
}

}  // namespace
}  // namespace soporte::transport::api::codec
