#include "domain/ticket/ticket_status.hpp"

#include <set>

#include <gtest/gtest.h>

#include "domain/ticket/ticket.hpp"

namespace soporte::domain {
namespace {

using S = TicketStatus;

TEST(TicketStatusTest, TheLifecycleTableIsExactlyTheIssuesLifecycle) {
  const S all[] = {S::kNew, S::kOpen, S::kWaitingCustomer, S::kResolved, S::kClosed};
  // new → open ⇄ waiting_customer → resolved → closed, reopen from resolved; new may skip ahead.
  const std::set<std::pair<S, S>> allowed = {
      {S::kNew, S::kOpen}, {S::kNew, S::kWaitingCustomer}, {S::kNew, S::kResolved},
      {S::kOpen, S::kWaitingCustomer}, {S::kWaitingCustomer, S::kOpen}, {S::kOpen, S::kResolved},
      {S::kWaitingCustomer, S::kResolved}, {S::kResolved, S::kClosed}, {S::kResolved, S::kOpen}};
  for (S from : all) {
    for (S to : all) {
      EXPECT_EQ(static_cast<bool>(CheckTransition(from, to)), allowed.contains({from, to}))
          << StatusName(from) << " → " << StatusName(to);
    }
  }
  EXPECT_NE(CheckTransition(S::kClosed, S::kOpen).error().message.find("closed → open"), std::string::npos);
}

TEST(TicketStatusTest, NamesRoundTrip) {
  for (S s : {S::kNew, S::kOpen, S::kWaitingCustomer, S::kResolved, S::kClosed}) {
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
  }
  EXPECT_FALSE(ParseStatus("pending"));
}

TEST(TicketTest, BreachIsHalfOpenAtTheDue) {
  Ticket t;
  t.response_due = Instant{Seconds{1000}};
  EXPECT_FALSE(ResponseBreached(t, Instant{Seconds{999}}));
  EXPECT_TRUE(ResponseBreached(t, Instant{Seconds{1000}}));
  t.first_response_at = Instant{Seconds{1000}};
  EXPECT_FALSE(ResponseBreached(t, Instant{Seconds{5000}})) << "a reply at the due keeps the promise";
  t.first_response_at = Instant{Seconds{1001}};
  EXPECT_TRUE(ResponseBreached(t, Instant{Seconds{1001}}));
}

}  // namespace
}  // namespace soporte::domain
