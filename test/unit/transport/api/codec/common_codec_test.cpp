#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/org_codec.hpp"

#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <date/date.h>

namespace soporte::transport::api::codec {
namespace {

using namespace date;

TEST(ParseDateTest, AcceptsCalendarDates) {
  EXPECT_EQ(ParseDate("2026-02-28", "d")->time_since_epoch().count(),
            sys_days{2026_y / 2 / 28}.time_since_epoch().count());
  EXPECT_TRUE(ParseDate("2028-02-29", "d"));
  EXPECT_FALSE(ParseDate("2026-02-29", "d"));  // not a leap year
  EXPECT_FALSE(ParseDate("2026-13-01", "d"));
}

// Found by fuzz/api_json_fuzz (round trip): sscanf's %d also read a sign or leading blanks, so
// "-024-02-26" was accepted as the year -24 and printed back as "-0024-02-26".
TEST(ParseDateTest, RejectsSignsBlanksAndShortFields) {
  for (const char* text : {"-024-02-26", "+202-02-26", " 202-02-26", "2026- 2-26", "2026-+2-26",
                           "2026-02- 6", "2026/02/26", "2026-02-2x", "20260-2-26"}) {
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

// The small bodies and envelopes the handlers used to write inline: their bytes are the API's.
TEST(CommonCodecTest, SmallBodiesKeepTheirBytes) {
  EXPECT_EQ(Serialize(StatusJson("ok")), R"({"status":"ok"})");
  EXPECT_EQ(Serialize(StatusJson("accepted")), R"({"status":"accepted"})");
  EXPECT_EQ(Serialize(DeletedJson()), R"({"deleted":true})");
  const std::vector<int> list{1, 2};
  EXPECT_EQ(Serialize(ListJson("items", list, [](int i) { return json::value(i * 10); })),
            R"({"items":[10,20]})");
  EXPECT_EQ(Serialize(ListJson("items", std::vector<int>{}, [](int i) { return json::value(i); })),
            R"({"items":[]})");
}

TEST(CommonCodecTest, CursorRoundTripsAndRefusesOtherText) {
  const std::pair<Instant, std::int64_t> c{Instant{Seconds{1765000000}}, 42};
  EXPECT_EQ(CursorText(c), "1765000000.42");
  EXPECT_EQ(*ParseCursor("1765000000.42"), c);
  for (const char* bad : {"", "42", "1.2.3", "x.1", "1.", ".1"}) {
    auto r = ParseCursor(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().message, "cursor is not valid");
  }
}

}  // namespace
}  // namespace soporte::transport::api::codec
