// tx.reports() on every backend: the SLA facts of one organisation's tickets received in a
// period, in reception order, with their status history oldest first; other organisations and
// other periods stay out.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

using domain::TicketStatus;
using domain::report::StatusChange;

class ReportRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    World();
  }
  // A ticket of `org` received at kBase + `at`, due an hour later.
  domain::Ticket At(OrgId org, ContractId contract, long long at, sla::Channel ch) {
    domain::Ticket t = NewTicket(kBase + at + 3600);
    t.org_id = org;
    t.contract_id = contract;
    t.channel = ch;
    t.received_at = t.created_at = t.updated_at = T(kBase + at);
    t.clock_start = T(kBase + at + 60);
    auto r = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(t); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
  void Event(const domain::Ticket& t, long long at, const std::string& field,
             const std::string& before, const std::string& after) {
    auto r = W([&](app::WriteTx& tx) -> Result<bool> {
      SOPORTE_TRY_STATUS(tx.audit().AppendEvent(
          domain::TicketEvent{0, t.id, agent_.id, T(kBase + at), field, before, after}));
      return true;
    });
    SOPORTE_CHECK(r.has_value());
  }
};

TEST_P(ReportRepositoryTest, FactsOfOneOrganisationInAPeriod) {
  const auto other = Org("globex");
  const auto other_contract = Contract(other.id);
  const auto second = Contract(org_.id);  // a contract change: later tickets name the new one
  const auto late = At(org_.id, second.id, 500, sla::Channel::kChat);
  const auto early = At(org_.id, contract_.id, 100, sla::Channel::kEmail);
  At(other.id, other_contract.id, 200, sla::Channel::kPortal);  // another organisation
  At(org_.id, contract_.id, 1000, sla::Channel::kPortal);       // after the period
  At(org_.id, contract_.id, -10, sla::Channel::kPortal);        // before it
  Event(early, 150, "status", "new", "open");
  Event(early, 160, "assignee", "", "7");
  Event(early, 170, "status", "open", "waiting_customer");
  Event(late, 600, "status", "new", "resolved");
  Event(early, 180, "status", "waiting_customer", "open");
  auto answered = early;
  answered.first_response_at = T(kBase + 150);
  answered.status = TicketStatus::kOpen;
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().UpdateTicket(answered); }));

  auto facts = R([&](app::ReadTx& tx) {
    return tx.reports().ListSlaFacts(org_.id, T(kBase), T(kBase + 1000));
  });
  ASSERT_TRUE(facts) << facts.error().message;
  ASSERT_EQ(facts->size(), 2u);
  const auto& a = (*facts)[0];
  EXPECT_EQ(a.number, early.number);
  EXPECT_EQ(a.contract_id, contract_.id);
  EXPECT_EQ(a.channel, sla::Channel::kEmail);
  EXPECT_EQ(a.status, TicketStatus::kOpen);
  EXPECT_EQ(a.received_at, T(kBase + 100));
  EXPECT_EQ(a.clock_start, T(kBase + 160));
  EXPECT_EQ(a.response_due, T(kBase + 3700));
  EXPECT_EQ(a.first_response_at, T(kBase + 150));
  EXPECT_EQ(a.status_changes,
            (std::vector<StatusChange>{{T(kBase + 150), TicketStatus::kOpen},
                                       {T(kBase + 170), TicketStatus::kWaitingCustomer},
                                       {T(kBase + 180), TicketStatus::kOpen}}));
  const auto& b = (*facts)[1];
  EXPECT_EQ(b.number, late.number);
  EXPECT_EQ(b.contract_id, second.id);
  EXPECT_EQ(b.first_response_at, std::nullopt);
  EXPECT_EQ(b.status_changes,
            (std::vector<StatusChange>{{T(kBase + 600), TicketStatus::kResolved}}));

  auto none = R([&](app::ReadTx& tx) {
    return tx.reports().ListSlaFacts(OrgId{999}, T(kBase), T(kBase + 1000));
  });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto empty = R([&](app::ReadTx& tx) {
    return tx.reports().ListSlaFacts(org_.id, T(kBase + 2000), T(kBase + 3000));
  });
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

SOPORTE_ON_EVERY_BACKEND(ReportRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
