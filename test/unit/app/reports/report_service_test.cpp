// ReportService on MemoryStore + FakeClock, fed through the real use cases: tickets created,
// answered, put on hold and resolved at chosen instants, so the dues come from the SLA engine
// and the history from the ticket rules. The figures are the ones computed by hand in
// test/unit/domain/report/sla_report_test.cpp: an 8x5 contract until 31 March, a 24x7 one from
// 1 April (a contract change in the period), a weekend, San José and Jueves Santo.
#include "app/reports/report_service.hpp"

#include <gtest/gtest.h>

#include "../../domain/sla/sla_test_util.hpp"
#include "app/accounts/admin_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using namespace date;
using namespace std::chrono_literals;
using domain::Role;
using domain::TicketStatus;
using domain::report::Dimension;
using domain::sla::testing_util::Bog;

Instant At(year_month_day d, Seconds t) { return Bog(local_days{d}, t); }

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    reports_ = std::make_unique<ReportService>(store_, *sla_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    NewContract a;
    a.modality = sla::Modality::k8x5;
    a.valid_from = sys_days{2026_y / 1 / 1};
    a.valid_to = sys_days{2026_y / 3 / 31};
    NewContract b;
    b.modality = sla::Modality::k24x7;
    b.valid_from = sys_days{2026_y / 4 / 1};
    auto ca = admin_->CreateContract(sys, "acme", a);
    auto cb = admin_->CreateContract(sys, "acme", b);
    auto cg = admin_->CreateContract(sys, "globex", a);
    ASSERT_TRUE(ca && cb && cg);
    contract_a_ = ca->id;
    contract_b_ = cb->id;
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    other_ = Make("gloria@globex.example.com", Role::kCustomer, "globex");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(),
                                NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  std::int64_t Open(Instant at, const Principal& who, sla::Criticality c, sla::Channel ch) {
    clock_.Set(at);
    domain::NewTicket in;
    in.criticality = c;
    in.channel = ch;
    in.subject = "No factura";
    in.description = "Desde ayer";
    if (who.staff()) {
      in.org_slug = "acme";
      in.requester_email = customer_.email;
    }
    auto t = tickets_->Create(who, in);
    EXPECT_TRUE(t) << (t ? "" : t.error().message);
    return t ? t->ticket.number : 0;
  }
  void Reply(Instant at, const Principal& who, std::int64_t n) {
    clock_.Set(at);
    auto a = tickets_->AddArticle(who, n, "Respuesta", false);
    EXPECT_TRUE(a) << (a ? "" : a.error().message);
  }
  void Move(Instant at, const Principal& who, std::int64_t n, TicketStatus s) {
    clock_.Set(at);
    domain::TicketPatch p;
    p.status = s;
    auto t = tickets_->Update(who, n, p);
    EXPECT_TRUE(t) << (t ? "" : t.error().message);
  }

  // The tickets of the hand-computed fixture; `now` ends at Fri 10 Apr 12:00.
  void Fixture() {
    const auto t1 =
        Open(At(2026_y / 3 / 20, 16h), customer_, sla::Criticality::kNormal, sla::Channel::kPortal);
    const auto t2 =
        Open(At(2026_y / 3 / 21, 10h), agent_, sla::Criticality::kImportant, sla::Channel::kEmail);
    Reply(At(2026_y / 3 / 24, 9h), agent_, t1);
    Move(At(2026_y / 3 / 24, 10h), agent_, t1, TicketStatus::kWaitingCustomer);
    Reply(At(2026_y / 3 / 24, 15h), agent_, t2);
    Reply(At(2026_y / 3 / 25, 10h), customer_, t1);  // the customer answers: open again
    Move(At(2026_y / 3 / 25, 12h), agent_, t1, TicketStatus::kResolved);
    const auto t3 =
        Open(At(2026_y / 3 / 26, 17h), customer_, sla::Criticality::kCritical, sla::Channel::kChat);
    Reply(At(2026_y / 3 / 27, 8h + 30min), agent_, t3);
    Move(At(2026_y / 3 / 27, 9h), agent_, t3, TicketStatus::kResolved);
    Move(At(2026_y / 3 / 30, 8h), customer_, t3, TicketStatus::kOpen);
    Move(At(2026_y / 3 / 30, 10h), agent_, t3, TicketStatus::kResolved);
    Move(At(2026_y / 3 / 31, 8h), customer_, t3, TicketStatus::kClosed);
    const auto t5 =
        Open(At(2026_y / 4 / 2, 22h), agent_, sla::Criticality::kCritical, sla::Channel::kPhone);
    Reply(At(2026_y / 4 / 2, 23h + 30min), agent_, t5);
    Move(At(2026_y / 4 / 3, 3h + 30min), agent_, t5, TicketStatus::kResolved);
    Open(At(2026_y / 4 / 10, 10h), customer_, sla::Criticality::kNormal, sla::Channel::kChat);
    clock_.Set(At(2026_y / 2 / 4, 9h));  // T4, created last through a staff back-dated call log
    domain::NewTicket t4;
    t4.org_slug = "acme";
    t4.requester_email = customer_.email;
    t4.subject = "Sin respuesta";
    t4.description = "Nadie contestó";
    clock_.Set(At(2026_y / 4 / 10, 12h));
    t4.received_at = At(2026_y / 2 / 4, 9h);
    ASSERT_TRUE(tickets_->Create(agent_, t4));
    // Another organisation's ticket in March never reaches acme's report.
    clock_.Set(At(2026_y / 3 / 10, 9h));
    domain::NewTicket g;
    g.subject = "Globex";
    g.description = "x";
    ASSERT_TRUE(tickets_->Create(other_, g));
    clock_.Set(At(2026_y / 4 / 10, 12h));
  }

  SlaReportRequest Year(std::vector<Dimension> g = {Dimension::kMonth}) {
    return SlaReportRequest{"acme", sys_days{2026_y / 1 / 1}, sys_days{2026_y / 12 / 31}, g};
  }

  FakeClock clock_{At(2026_y / 1 / 2, 9h)};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<ReportService> reports_;
  ContractId contract_a_, contract_b_;
  Principal customer_, other_, agent_;
};

TEST_F(ReportServiceTest, MonthlyFiguresMatchTheHandComputedOnes) {
  Fixture();
  auto v = reports_->Sla(agent_, Year());
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->org.slug, "acme");
  EXPECT_EQ(v->contracts.size(), 2u);
  const auto& rows = v->report.rows;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].month, "2026-02");
  EXPECT_EQ(rows[0].breached, 1);
  EXPECT_EQ(rows[1].month, "2026-03");
  EXPECT_EQ(rows[1].received, 3);
  EXPECT_EQ(rows[1].on_time, 2);
  EXPECT_EQ(rows[1].breached, 1);
  EXPECT_EQ(rows[1].response_p50, Seconds{3h});
  EXPECT_EQ(rows[1].response_p90, Seconds{7h});
  EXPECT_EQ(rows[1].resolution_p50, Seconds{4h});
  EXPECT_EQ(rows[1].resolution_p90, Seconds{6h});
  EXPECT_EQ(rows[2].month, "2026-04");
  EXPECT_EQ(rows[2].pending, 1);
  EXPECT_EQ(rows[2].resolution_p50, Seconds{5h + 30min});
  EXPECT_EQ(v->report.total.received, 6);
  EXPECT_DOUBLE_EQ(*v->report.total.compliance, 0.6);

  auto k = reports_->Sla(agent_, Year({Dimension::kContract}));
  ASSERT_TRUE(k);
  ASSERT_EQ(k->report.rows.size(), 2u);
  EXPECT_EQ(k->report.rows[0].contract, contract_a_);
  EXPECT_EQ(k->report.rows[0].received, 4);
  EXPECT_EQ(k->report.rows[1].contract, contract_b_);
  EXPECT_EQ(k->report.rows[1].received, 2);
}

TEST_F(ReportServiceTest, CustomersSeeOnlyTheirOwnOrganisation) {
  Fixture();
  auto own = reports_->Sla(customer_, SlaReportRequest{std::nullopt, sys_days{2026_y / 1 / 1},
                                                       sys_days{2026_y / 12 / 31}});
  ASSERT_TRUE(own);
  EXPECT_EQ(own->report.total.received, 6);
  auto globex = reports_->Sla(
      other_, SlaReportRequest{std::nullopt, sys_days{2026_y / 1 / 1}, sys_days{2026_y / 12 / 31}});
  ASSERT_TRUE(globex);
  EXPECT_EQ(globex->org.slug, "globex");
  EXPECT_EQ(globex->report.total.received, 1);
  auto foreign = reports_->Sla(other_, Year());
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  auto missing = Year();
  missing.org_slug = "nadie";
  EXPECT_EQ(reports_->Sla(agent_, missing).error().code, ErrorCode::kNotFound);
  // Another organisation and a missing one read the same (nothing tells that acme exists).
  EXPECT_EQ(reports_->Sla(other_, missing).error().message, "org: no organisation 'nadie'");
  EXPECT_EQ(reports_->Sla(other_, Year()).error().message, "org: no organisation 'acme'");
}

TEST_F(ReportServiceTest, BadPeriodsNameTheField) {
  auto r = Year();
  r.from = sys_days{2026_y / 5 / 1};
  r.to = sys_days{2026_y / 4 / 30};
  auto e = reports_->Sla(agent_, r);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.error().message.rfind("to ", 0), 0u);
  r.from = sys_days{2020_y / 1 / 1};
  r.to = sys_days{2026_y / 1 / 1};
  EXPECT_EQ(reports_->Sla(agent_, r).error().code, ErrorCode::kInvalidArgument);
  auto staff_without_org = Year();
  staff_without_org.org_slug.reset();
  EXPECT_EQ(reports_->Sla(agent_, staff_without_org).error().message, "org is required");
  r.from = r.to = sys_days{2026_y / 4 / 30};  // one day is a period
  EXPECT_TRUE(reports_->Sla(agent_, r));
}

}  // namespace
}  // namespace soporte::app
