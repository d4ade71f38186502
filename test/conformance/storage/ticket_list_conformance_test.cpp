// tx.tickets().ListTicketContexts and GetTicketContexts on every backend: the page of the
// console's list in one read with each ticket's names and contract (calendar included), every
// filter and combination of filters checked against the domain's own rules over a varied set of
// tickets, keyset paging through the two ranges "breached" merges, organisation isolation, and
// hydration by ids in the caller's order.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "domain/ticket/ticket_status.hpp"
#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

using domain::TicketStatus;
using V = std::vector<std::int64_t>;

class TicketListTest : public StoreTest {
 protected:
  // A varied set: two organisations, every status, criticality, assignee (agent, other agent,
  // none) and response state (unanswered, answered by the due, exactly at it, after it), dues
  // before, at and after `now_` with ties broken by number.
  void Fill() {
    World();
    other_org_ = Org("globex");
    other_contract_ = Contract(other_org_.id);
    other_customer_ = User("eva@globex.test", other_org_.id);
    other_agent_ = User("sara@vendor.test", OrgId{}, domain::Role::kSupervisor);
    const TicketStatus statuses[] = {TicketStatus::kNew, TicketStatus::kOpen,
                                     TicketStatus::kWaitingCustomer, TicketStatus::kResolved,
                                     TicketStatus::kClosed};
    const sla::Criticality crits[] = {sla::Criticality::kNormal, sla::Criticality::kImportant,
                                      sla::Criticality::kCritical};
    for (int i = 0; i < 90; ++i) {
      const long long due = kBase + 100 * ((i * 7) % 13);  // ties; kBase+600 is `now_`
      domain::Ticket t = NewTicket(due, crits[(i / 2) % 3]);
      t.status = statuses[i % 5];
      if (i % 4 == 1) {
        t.org_id = other_org_.id;
        t.contract_id = other_contract_.id;
        t.requester_id = other_customer_.id;
      }
      if (i % 3 == 1) t.assignee_id = agent_.id;
      if (i % 3 == 2 && i % 2 == 0) t.assignee_id = other_agent_.id;
      switch (i % 4) {
        case 0: break;                                     // unanswered
        case 1: t.first_response_at = T(due - 10); break;  // by the due
        case 2: t.first_response_at = T(due); break;       // exactly at it: kept
        case 3: t.first_response_at = T(due + 1); break;   // after it: broken
      }
      if (i % 11 == 5) t.first_response_at.reset();
      auto r = W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(t); });
      SOPORTE_CHECK(r.has_value());
      all_.push_back(*r);
    }
  }

  // What the list must answer for `q`: the domain's rules over every ticket, in order.
  V Expected(const app::TicketQuery& q) const {
    std::vector<const domain::Ticket*> hits;
    for (const auto& t : all_) {
      if (q.status && t.status != *q.status) continue;
      if (q.active_only && !domain::IsActive(t.status)) continue;
      if (q.criticality && t.criticality != *q.criticality) continue;
      if (q.org_id && t.org_id != *q.org_id) continue;
      if (q.assignee_id && t.assignee_id.value() != q.assignee_id->value()) continue;
      if (q.breached && domain::ResponseBreached(t, q.now) != *q.breached) continue;
      hits.push_back(&t);
    }
    std::sort(hits.begin(), hits.end(), [](const domain::Ticket* a, const domain::Ticket* b) {
      return std::tie(a->response_due, a->number) < std::tie(b->response_due, b->number);
    });
    V out;
    for (const auto* t : hits) out.push_back(t->number);
    return out;
  }

  // Every page of `q` (limit as given) followed with the cursor, checking each page's contexts.
  V Paged(app::TicketQuery q) {
    V out;
    for (int guard = 0; guard < 200; ++guard) {
      auto page = R([&](app::ReadTx& tx) { return tx.tickets().ListTicketContexts(q); });
      SOPORTE_CHECK(page.has_value());
      for (const auto& c : page->tickets) {
        EXPECT_EQ(c.org.id, c.ticket.org_id);
        EXPECT_EQ(c.contract.id, c.ticket.contract_id);
        EXPECT_EQ(c.requester.id, c.ticket.requester_id);
        EXPECT_EQ(c.assignee.has_value(), c.ticket.assignee_id.valid());
        out.push_back(c.ticket.number);
      }
      if (!page->has_more) break;
      EXPECT_EQ(page->tickets.size(), static_cast<std::size_t>(q.limit));
      const auto& last = page->tickets.back().ticket;
      q.after = std::make_pair(last.response_due, last.number);
    }
    return out;
  }

  domain::Organization other_org_;
  domain::Contract other_contract_;
  domain::User other_customer_, other_agent_;
  std::vector<domain::Ticket> all_;
  const Instant now_ = T(kBase + 600);
};

TEST_P(TicketListTest, APageCarriesEachTicketsNamesAndContract) {
  World();
  auto cal =
      W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Oficina")); });
  ASSERT_TRUE(cal) << cal.error().message;
  domain::Contract office = contract_;  // an 8x5 contract on the office calendar
  office.id = ContractId{};
  office.modality = sla::Modality::k8x5;
  office.channels = domain::DefaultChannels(sla::Modality::k8x5);
  auto inserted = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(office); });
  ASSERT_TRUE(inserted) << inserted.error().message;
  office = *inserted;
  ASSERT_TRUE(
      W([&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(office.id, cal->id); }));
  auto reread = R([&](app::ReadTx& tx) { return tx.orgs().GetContract(office.id); });
  ASSERT_TRUE(reread);
  office = *reread;
  domain::Ticket on_office = NewTicket(kBase + 100, sla::Criticality::kCritical);
  on_office.contract_id = office.id;
  on_office.assignee_id = agent_.id;
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.tickets().InsertTicket(on_office); }));
  const domain::Ticket plain = Ticket(kBase + 200);

  app::TicketQuery q;
  q.now = T(kBase);
  auto page = R([&](app::ReadTx& tx) { return tx.tickets().ListTicketContexts(q); });
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->tickets.size(), 2u);
  EXPECT_FALSE(page->has_more);
  const auto& first = page->tickets[0];
  EXPECT_EQ(first.ticket.criticality, sla::Criticality::kCritical);
  EXPECT_EQ(first.ticket.subject, "No carga la factura");
  EXPECT_EQ(first.org.slug, "acme");
  EXPECT_EQ(first.org.name, "Org acme");
  EXPECT_EQ(first.contract.id, office.id);
  EXPECT_EQ(first.contract.calendar_id, cal->id);
  EXPECT_EQ(first.contract.modality, sla::Modality::k8x5);
  EXPECT_EQ(first.contract.zone, office.zone);
  EXPECT_EQ(first.contract.targets.critical, Seconds{3600});
  EXPECT_EQ(first.requester.name, customer_.name);
  EXPECT_EQ(first.requester.email, customer_.email);
  ASSERT_TRUE(first.assignee.has_value());
  EXPECT_EQ(first.assignee->name, agent_.name);
  const auto& second = page->tickets[1];
  EXPECT_EQ(second.ticket.number, plain.number);
  EXPECT_EQ(second.contract.id, contract_.id);
  EXPECT_FALSE(second.contract.calendar_id.valid());
  EXPECT_FALSE(second.assignee.has_value());

  // The same page as ListTickets, field for field.
  auto rows = R([&](app::ReadTx& tx) { return tx.tickets().ListTickets(q); });
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->tickets.size(), 2u);
  EXPECT_EQ(rows->tickets[0].id, first.ticket.id);
  EXPECT_EQ(rows->tickets[0].tags, first.ticket.tags);
  EXPECT_EQ(rows->tickets[0].version, first.ticket.version);
}

TEST_P(TicketListTest, EveryFilterAndCombinationPagesThroughTheDomainsAnswer) {
  Fill();
  using OS = std::optional<TicketStatus>;
  using OC = std::optional<sla::Criticality>;
  using OO = std::optional<OrgId>;
  using OA = std::optional<UserId>;
  using OB = std::optional<bool>;
  int checked = 0;
  for (OS status : {OS{}, OS{TicketStatus::kNew}, OS{TicketStatus::kWaitingCustomer},
                    OS{TicketStatus::kClosed}}) {
    for (bool active : {false, true}) {
      if (active && status) continue;
      for (OC crit : {OC{}, OC{sla::Criticality::kCritical}, OC{sla::Criticality::kNormal}}) {
        for (OO org : {OO{}, OO{org_.id}, OO{other_org_.id}}) {
          for (OA assignee : {OA{}, OA{agent_.id}, OA{UserId{}}}) {
            for (OB breached : {OB{}, OB{true}, OB{false}}) {
              app::TicketQuery q;
              q.now = now_;
              q.status = status;
              q.active_only = active;
              q.criticality = crit;
              q.org_id = org;
              q.assignee_id = assignee;
              q.breached = breached;
              q.limit = 4;
              const V want = Expected(q);
              EXPECT_EQ(Paged(q), want)
                  << "status " << (status ? domain::StatusName(*status) : "-") << " active "
                  << active << " crit " << (crit ? sla::Name(*crit) : "-") << " org "
                  << (org ? org->value() : -1) << " assignee "
                  << (assignee ? assignee->value() : -1) << " breached "
                  << (breached ? int(*breached) : -1);
              q.limit = 200;
              EXPECT_EQ(Paged(q), want);
              ++checked;
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 5 * 3 * 3 * 3 * 3);
  // The set is varied enough for the comparison to mean something.
  app::TicketQuery q;
  q.now = now_;
  q.breached = true;
  EXPECT_GT(Expected(q).size(), 20u);
  q.breached = false;
  EXPECT_GT(Expected(q).size(), 20u);
  q.breached.reset();
  q.org_id = other_org_.id;
  q.active_only = true;
  q.assignee_id = agent_.id;
  EXPECT_FALSE(Expected(q).empty());
}

TEST_P(TicketListTest, AnOrganisationsListNeverShowsAnotherOrganisationsTickets) {
  Fill();
  for (OrgId org : {org_.id, other_org_.id}) {
    app::TicketQuery q;
    q.now = now_;
    q.org_id = org;
    q.limit = 7;
    const V got = Paged(q);
    EXPECT_FALSE(got.empty());
    for (std::int64_t n : got) {
      auto t = std::find_if(all_.begin(), all_.end(), [&](const auto& x) { return x.number == n; });
      ASSERT_NE(t, all_.end());
      EXPECT_EQ(t->org_id, org) << "ticket #" << n;
    }
    q.breached = true;
    for (std::int64_t n : Paged(q)) {
      auto t = std::find_if(all_.begin(), all_.end(), [&](const auto& x) { return x.number == n; });
      EXPECT_EQ(t->org_id, org) << "ticket #" << n;
    }
  }
}

TEST_P(TicketListTest, ContextsByIdKeepTheCallersOrderAndSkipMissingIds) {
  Fill();
  const std::vector<TicketId> ids = {all_[7].id, all_[2].id, TicketId{999999}, all_[5].id,
                                     all_[2].id};
  auto got = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContexts(ids); });
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ((*got)[0].ticket.number, all_[7].number);
  EXPECT_EQ((*got)[1].ticket.number, all_[2].number);
  EXPECT_EQ((*got)[2].ticket.number, all_[5].number);
  EXPECT_EQ((*got)[3].ticket.number, all_[2].number);
  EXPECT_EQ((*got)[0].org.id, all_[7].org_id);
  EXPECT_EQ((*got)[0].requester.id, all_[7].requester_id);
  EXPECT_EQ((*got)[0].assignee.has_value(), all_[7].assignee_id.valid());

  auto none = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContexts({}); });
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  std::vector<TicketId> too_many(201, all_[0].id);
  auto refused = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketContexts(too_many); });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

SOPORTE_ON_EVERY_BACKEND(TicketListTest);

}  // namespace
}  // namespace soporte::storage::conformance
