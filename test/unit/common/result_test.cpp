#include "common/result.hpp"

#include <gtest/gtest.h>

namespace soporte {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  SOPORTE_TRY(h, Half(v));
  SOPORTE_TRY(q, Half(h));
  return q;
}

TEST(ResultTest, TryPropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  auto r = Quarter(6);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_STREQ(ErrorCodeName(r.error().code), "invalid_argument");
}

}  // namespace
}  // namespace soporte
