#include "domain/ticket/ticket.hpp"

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

TEST(TicketTextTest, TrimSpaceTrimsAsciiWhiteSpaceOnly) {
  EXPECT_EQ(TrimSpace(" \t\r\nhola mundo \n"), "hola mundo");
  EXPECT_EQ(TrimSpace("   "), "");
  EXPECT_EQ(TrimSpace(""), "");
  EXPECT_EQ(TrimSpace("\xC2\xA0x"), "\xC2\xA0x") << "a no-break space is text";
}

TEST(TicketTextTest, IsBlank) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_FALSE(IsBlank(" x "));
}

TEST(TicketTextTest, HistoryInstantsAreEpochSeconds) {
  EXPECT_EQ(EventInstantText(Instant{Seconds{1'765'000'000}}), "1765000000");
  EXPECT_EQ(EventInstantText(Instant{}), "0");
}

TEST(ActingUserTest, StaffIsTheStaffSide) {
  EXPECT_TRUE((ActingUser{UserId{1}, Actor::kStaff}.staff()));
  EXPECT_FALSE((ActingUser{UserId{1}, Actor::kCustomer}.staff()));
  EXPECT_EQ(ActorName(Actor::kStaff), "staff");
  EXPECT_EQ(ActorName(Actor::kCustomer), "customer");
}

}  // namespace
}  // namespace soporte::domain
