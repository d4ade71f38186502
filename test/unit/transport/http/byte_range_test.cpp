// DecideRange: one range of each form, the end clamped to the size, unsatisfiable starts, and
// what is ignored (several ranges, other units, malformed values).
#include "transport/http/byte_range.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

TEST(ByteRange, EachFormOfOneRange) {
  auto d = DecideRange("bytes=0-99", 1000, 0);
  ASSERT_EQ(d.answer, RangeAnswer::kPartial);
  EXPECT_EQ(d.range.first, 0u);
  EXPECT_EQ(d.range.last, 99u);
  d = DecideRange("bytes=900-", 1000, 0);
  EXPECT_EQ(d.range.first, 900u);
  EXPECT_EQ(d.range.last, 999u);
  d = DecideRange("bytes=-100", 1000, 0);
  EXPECT_EQ(d.range.first, 900u);
  EXPECT_EQ(d.range.last, 999u);
  d = DecideRange("bytes=-5000", 1000, 0);  // more than there is: all of it
  EXPECT_EQ(d.range.first, 0u);
  d = DecideRange("bytes=990-2000", 1000, 0);  // the end past the size: up to the last byte
  EXPECT_EQ(d.range.last, 999u);
  d = DecideRange("bytes=0-", 1000, 256);  // longer than allowed: shortened
  EXPECT_EQ(d.range.last, 255u);
}

TEST(ByteRange, UnsatisfiableAndIgnored) {
  EXPECT_EQ(DecideRange("bytes=1000-", 1000, 0).answer, RangeAnswer::kUnsatisfiable);
  EXPECT_EQ(DecideRange("bytes=-0", 1000, 0).answer, RangeAnswer::kUnsatisfiable);
  EXPECT_EQ(DecideRange("bytes=0-", 0, 0).answer, RangeAnswer::kUnsatisfiable);
  for (const char* h :
       {"", "bytes=0-1,5-6", "items=0-1", "bytes=a-b", "bytes=5-1", "bytes=", "bytes=-"})
    EXPECT_EQ(DecideRange(h, 1000, 0).answer, RangeAnswer::kWhole) << h;
}

}  // namespace
}  // namespace soporte::transport::http
