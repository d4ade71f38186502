#include "domain/ticket/ticket_article.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

using S = TicketStatus;
const Instant kNow{Seconds{1'800'000'000}};
const ActingUser kAgent{UserId{7}, Actor::kStaff};
const ActingUser kCustomer{UserId{8}, Actor::kCustomer};

Ticket WithStatus(S s) {
  Ticket t;
  t.id = TicketId{1};
  t.number = 1042;
  t.status = s;
  return t;
}

TEST(TicketArticleTest, TheFirstPublicStaffReplyIsTheResponseAndOpensANewTicket) {
  auto r = ApplyArticle(WithStatus(S::kNew), kAgent, /*internal=*/false, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ticket.first_response_at, kNow);
  EXPECT_EQ(r->ticket.status, S::kOpen);
  EXPECT_EQ(r->ticket.updated_at, kNow);
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].field, "first_response");
  EXPECT_EQ(r->events[0].before, "");
  EXPECT_EQ(r->events[0].after, "1800000000");
  EXPECT_EQ(r->events[0].actor_id, UserId{7});
  EXPECT_EQ(r->events[0].ticket_id, TicketId{1});
  EXPECT_EQ(r->events[0].at, kNow);
  EXPECT_EQ(r->events[1].field, "status");
  EXPECT_EQ(r->events[1].before, "new");
  EXPECT_EQ(r->events[1].after, "open");
}

TEST(TicketArticleTest, LaterStaffRepliesKeepTheFirstResponse) {
  Ticket t = WithStatus(S::kWaitingCustomer);
  t.first_response_at = kNow - Seconds{60};
  auto r = ApplyArticle(t, kAgent, false, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ticket.first_response_at, kNow - Seconds{60});
  EXPECT_EQ(r->ticket.status, S::kWaitingCustomer) << "staff writing does not end the wait";
  EXPECT_TRUE(r->events.empty());
  EXPECT_EQ(r->ticket.updated_at, kNow);
}

TEST(TicketArticleTest, AnInternalNoteIsNotAResponse) {
  auto r = ApplyArticle(WithStatus(S::kNew), kAgent, /*internal=*/true, kNow);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ticket.first_response_at);
  EXPECT_EQ(r->ticket.status, S::kNew);
  EXPECT_TRUE(r->events.empty());
}

TEST(TicketArticleTest, TheCustomersAnswerEndsTheWait) {
  auto r = ApplyArticle(WithStatus(S::kWaitingCustomer), kCustomer, false, kNow);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ticket.status, S::kOpen);
  EXPECT_FALSE(r->ticket.first_response_at) << "a customer never stops the response clock";
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].field, "status");
  EXPECT_EQ(r->events[0].before, "waiting_customer");
  EXPECT_EQ(r->events[0].after, "open");
  EXPECT_EQ(r->events[0].actor_id, UserId{8});
  for (S s : {S::kNew, S::kOpen, S::kResolved}) {
    auto other = ApplyArticle(WithStatus(s), kCustomer, false, kNow);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->ticket.status, s) << StatusName(s);
    EXPECT_TRUE(other->events.empty());
  }
}

TEST(TicketArticleTest, NothingIsAddedToAClosedTicket) {
  for (const ActingUser& by : {kAgent, kCustomer}) {
    auto r = ApplyArticle(WithStatus(S::kClosed), by, false, kNow);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_EQ(r.error().message, "ticket #1042 is closed");
  }
  EXPECT_FALSE(CheckOpenForAdditions(WithStatus(S::kClosed)));
  for (S s : {S::kNew, S::kOpen, S::kWaitingCustomer, S::kResolved}) {
    EXPECT_TRUE(CheckOpenForAdditions(WithStatus(s))) << StatusName(s);
  }
}

TEST(TicketArticleTest, ABodyIsRequiredAndLimited) {
  TicketLimits limits;
  limits.max_body = 3;
  EXPECT_TRUE(CheckArticle("abc", false, Actor::kCustomer, limits));
  auto blank = CheckArticle(" \r\n\t", false, Actor::kStaff, limits);
  ASSERT_FALSE(blank);
  EXPECT_EQ(blank.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(blank.error().message, "body is required");
  auto long_body = CheckArticle("abcd", false, Actor::kStaff, limits);
  ASSERT_FALSE(long_body);
  EXPECT_EQ(long_body.error().message, "body: at most 3 bytes");
}

TEST(TicketArticleTest, OnlyStaffWriteInternalNotes) {
  EXPECT_TRUE(CheckArticle("x", true, Actor::kStaff, {}));
  auto s = CheckArticle("x", true, Actor::kCustomer, {});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(s.error().message, "only support staff may write internal notes");
  auto blank = CheckArticle("", true, Actor::kCustomer, {});
  EXPECT_EQ(blank.error().code, ErrorCode::kInvalidArgument) << "the body is checked first";
}

TEST(TicketArticleTest, APhoneCallNeedsACallerADurationAndNotes) {
  TicketLimits limits;
  limits.max_body = 5;
  auto ok = CheckPhoneCall("  Ana (300 555 0101) ", 12, "notes", Actor::kStaff, limits);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->caller, "Ana (300 555 0101)");
  EXPECT_EQ(ok->duration_minutes, 12);
  struct Case {
    std::string caller;
    std::int64_t minutes;
    std::string notes;
    std::string message;
  };
  const Case cases[] = {
      {" ", 1, "n", "caller is required"},
      {std::string(201, 'a'), 1, "n", "caller: at most 200 characters"},
      {"Ana", -1, "n", "duration_minutes must be between 0 and 600"},
      {"Ana", 601, "n", "duration_minutes must be between 0 and 600"},
      {"Ana", 0, "\n", "notes is required"},
      {"Ana", 600, "123456", "notes: at most 5 bytes"},
  };
  for (const auto& c : cases) {
    auto r = CheckPhoneCall(c.caller, c.minutes, c.notes, Actor::kStaff, limits);
    ASSERT_FALSE(r) << c.message;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message, c.message);
  }
  EXPECT_TRUE(CheckPhoneCall(std::string(200, 'a'), 0, "n", Actor::kStaff, limits));
  auto customer = CheckPhoneCall("", 0, "", Actor::kCustomer, limits);
  ASSERT_FALSE(customer);
  EXPECT_EQ(customer.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(customer.error().message, "only support staff may log phone calls");
}

Contract ContractOf(sla::Modality m) {
  Contract c;
  c.modality = m;
  c.channels = DefaultChannels(m);
  c.valid_from = std::chrono::sys_days{std::chrono::year{2020} / 1 / 1};
  return c;
}

TEST(TicketArticleTest, ThePhoneLineIsForTwentyFourSevenContractsInForce) {
  EXPECT_TRUE(CheckPhoneLine(ContractOf(sla::Modality::k24x7), 1042, kNow));
  auto eight_by_five = CheckPhoneLine(ContractOf(sla::Modality::k8x5), 1042, kNow);
  ASSERT_FALSE(eight_by_five);
  EXPECT_EQ(eight_by_five.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(eight_by_five.error().message,
            "the contract of ticket #1042 (" + std::string(sla::Name(sla::Modality::k8x5)) +
                ") has no phone line; record the call as an internal note instead");
  Contract expired = ContractOf(sla::Modality::k24x7);
  expired.valid_to = std::chrono::sys_days{std::chrono::year{2021} / 1 / 1};
  auto s = CheckPhoneLine(expired, 1042, kNow);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(s.error().message, "the contract has expired");
}

// Issue 12, part 6: calling the customer back is not a new channel, so an outgoing call may be
// logged on any ticket (8x5, or a contract no longer in force); incoming calls stay refused.
TEST(TicketArticleTest, OutgoingCallsMayBeLoggedOnAnyTicket) {
  EXPECT_TRUE(
      CheckPhoneLine(ContractOf(sla::Modality::k8x5), 1042, kNow, CallDirection::kOutgoing));
  Contract expired = ContractOf(sla::Modality::k8x5);
  expired.valid_to = std::chrono::sys_days{std::chrono::year{2021} / 1 / 1};
  EXPECT_TRUE(CheckPhoneLine(expired, 1042, kNow, CallDirection::kOutgoing));
  EXPECT_FALSE(
      CheckPhoneLine(ContractOf(sla::Modality::k8x5), 1042, kNow, CallDirection::kIncoming));
  EXPECT_EQ(ParseCallDirection("outgoing"), CallDirection::kOutgoing);
  EXPECT_EQ(ParseCallDirection("incoming"), CallDirection::kIncoming);
  EXPECT_FALSE(ParseCallDirection("saliente"));
  EXPECT_EQ(CallDirectionName(CallDirection::kOutgoing), "outgoing");
}

}  // namespace
}  // namespace soporte::domain
