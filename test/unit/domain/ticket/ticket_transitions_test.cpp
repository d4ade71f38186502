// Golden lifecycle cases: test/data/ticket_transitions.tsv, one move a line (from, to, actor,
// expected outcome), every pair of statuses for both actors. Adding a case is adding a line.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/golden_tsv.hpp"

#include "domain/ticket/ticket_status.hpp"

namespace soporte::domain {
namespace {

std::string Outcome(const Status& s) {
  if (s) return "ok";
  if (s.error().code == ErrorCode::kFailedPrecondition) return "not_allowed";
  if (s.error().code == ErrorCode::kPermissionDenied) return "denied";
  return "unexpected: " + s.error().message;
}

TEST(TicketTransitionsTest, GoldenFile) {
  const auto rows =
      golden::ReadRows(std::string(SOPORTE_TEST_DATA_DIR) + "/ticket_transitions.tsv");
  ASSERT_TRUE(rows);
  std::set<std::string> seen;
  int cases = 0;
  for (const auto& [line, f] : *rows) {
    ASSERT_EQ(f.size(), 4u) << line;
    const auto from = ParseStatus(f[0]);
    const auto to = ParseStatus(f[1]);
    ASSERT_TRUE(from && to) << line;
    ASSERT_TRUE(f[2] == "staff" || f[2] == "customer") << line;
    const Actor actor = f[2] == "staff" ? Actor::kStaff : Actor::kCustomer;
    const Status got = CheckTransition(*from, *to, actor);
    EXPECT_EQ(Outcome(got), f[3]) << line;
    if (f[3] == "not_allowed") {
      EXPECT_EQ(got.error().message, f[0] + " → " + f[1] + " is not allowed") << line;
    }
    if (f[3] == "denied") {
      EXPECT_EQ(got.error().message, "customers may only close or reopen a resolved ticket")
          << line;
    }
    EXPECT_TRUE(seen.insert(f[0] + ">" + f[1] + ">" + f[2]).second) << "given twice: " << line;
    ++cases;
  }
  // Every pair of the five statuses, for both actors: a new status must come with its lines.
  EXPECT_EQ(cases, 5 * 5 * 2);
}

TEST(TicketTransitionsTest, TheActorlessCheckAgreesWithStaff) {
  const TicketStatus all[] = {TicketStatus::kNew, TicketStatus::kOpen,
                              TicketStatus::kWaitingCustomer, TicketStatus::kResolved,
                              TicketStatus::kClosed};
  for (auto from : all) {
    for (auto to : all) {
      EXPECT_EQ(static_cast<bool>(CheckTransition(from, to)),
                static_cast<bool>(CheckTransition(from, to, Actor::kStaff)))
          << StatusName(from) << " → " << StatusName(to);
    }
  }
}

TEST(TicketTransitionsTest, EveryMoveTheCustomerMayMakeIsOneStaffMayMakeToo) {
  for (const auto& t : StatusTransitions()) {
    EXPECT_TRUE(t.by_staff) << StatusName(t.from) << " → " << StatusName(t.to);
    EXPECT_NE(t.from, t.to) << "a status to itself is not a move";
  }
}

}  // namespace
}  // namespace soporte::domain
