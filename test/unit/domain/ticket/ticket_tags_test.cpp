#include "domain/ticket/ticket_tags.hpp"

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

TEST(TicketTagsTest, AcceptsShortDistinctLabels) {
  EXPECT_TRUE(ValidateTags({}, {}));
  EXPECT_TRUE(ValidateTags({"vpn", "sap-fi", "prod_2"}, {}));
}

TEST(TicketTagsTest, RefusesTooManyFirst) {
  TicketLimits limits;
  limits.max_tags = 2;
  auto s = ValidateTags({"a", "", "a"}, limits);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "tags: at most 2");
}

TEST(TicketTagsTest, RefusesEmptyOrLongTags) {
  TicketLimits limits;
  limits.max_tag = 3;
  for (const char* bad : {"", "abcd"}) {
    auto s = ValidateTags({"ok", bad}, limits);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().message, "tags: each tag must have 1 to 3 characters");
  }
  EXPECT_TRUE(ValidateTags({"abc"}, limits));
}

TEST(TicketTagsTest, RefusesSpacesAndCommas) {
  for (const char* bad : {"a b", "a,b", "a\tb", "a\nb", "a\rb"}) {
    auto s = ValidateTags({bad}, {});
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(s.error().message, "tags: a tag may not contain spaces or commas");
  }
}

TEST(TicketTagsTest, RefusesATagGivenTwiceIgnoringCase) {
  auto s = ValidateTags({"VPN", "sap", "vpn"}, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().message, "tags: 'vpn' is given twice");
}

TEST(TicketTagsTest, ShapeIsCheckedBeforeRepeats) {
  auto s = ValidateTags({"a", "a", "b c"}, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "tags: a tag may not contain spaces or commas");
}

TEST(TicketTagsTest, JoinsWithCommas) {
  EXPECT_EQ(JoinTags({}), "");
  EXPECT_EQ(JoinTags({"a"}), "a");
  EXPECT_EQ(JoinTags({"a", "b", "c"}), "a,b,c");
}

}  // namespace
}  // namespace soporte::domain
