// Paging over the memory store and a fake clock: a Crítico ticket at night on a 24x7 contract
// pages the primary (row, mail in the outbox, history, notice), escalates to the secondary and
// the supervisors when nobody acknowledges, delivers through the gateway with retries, and the
// acknowledge link works once and expires. Nothing is paged in staffed hours, for other
// criticalities or 8x5 contracts, and nothing twice (a repeated SLA firing, a restart).
#include "app/oncall/paging.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/oncall/oncall_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
using namespace std::chrono_literals;
namespace oc = domain::oncall;

Instant Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min};
}

// Saturday 2026-12-05 02:00 in Bogotá: out of the staffed hours.
const Instant kSaturday2am = Utc(2026, 12, 5, 7);

class TextRenderer final : public MailRenderer {
 public:
  RenderedMail Render(const MailContext& c) const override {
    return {std::string(MailKindName(c.kind)) + " #" + std::to_string(c.number),
            c.lang + "|" + c.page_reason + "|" + c.link};
  }
};

class RecordingGateway final : public PageGateway {
 public:
  Status Send(const PageMessage& m) override {
    sent.push_back(m);
    if (fail > 0) {
      --fail;
      return Fail(ErrorCode::kUnavailable, "page command: exit status 3");
    }
    return Ok();
  }
  int fail = 0;
  std::vector<PageMessage> sent;
};

class NoticeRecorder final : public TicketObserver {
 public:
  Status PageChanged(WriteTx&, const domain::Ticket& t, const PageNotice& n) override {
    notices.push_back(n);
    return Ok();
  }
  std::vector<PageNotice> notices;
};

class PagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    oncall_ = std::make_unique<OnCallService>(store_, staffed_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    NewContract c24;
    c24.modality = sla::Modality::k24x7;
    c24.valid_from = std::chrono::floor<std::chrono::days>(Utc(2026, 1, 1, 0));
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c24));
    NewContract c8 = c24;
    c8.modality = sla::Modality::k8x5;
    ASSERT_TRUE(admin_->CreateContract(sys, "globex", c8));
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    globex_ = Make("gloria@globex.example.com", Role::kCustomer, "globex");
    ana_ = Make("ana@example.com", Role::kAgent, std::nullopt);
    beto_ = Make("beto@example.com", Role::kAgent, std::nullopt);
    sara_ = Make("sara@example.com", Role::kSupervisor, std::nullopt);
    // Weekend: Friday 18:00 → Monday 08:00, Ana primary, Beto secondary.
    oc::Rota r;
    r.name = "Fin de semana";
    r.shifts.push_back({4, 18h, 62h, ana_.user_id, beto_.user_id});
    auto stored = oncall_->CreateRota(sys, r);
    ASSERT_TRUE(stored) << stored.error().message;
    StartPaging();
  }

  void StartPaging() {
    PagingOptions o;
    o.gateway = true;
    o.portal_url = "https://soporte.example.com/portal/";
    paging_ = std::make_unique<Paging>(store_, tickets_->observers(), tokens_, renderer_, staffed_,
                                       clock_, o);
    if (!wired_) {
      tickets_->AddObserver(&observer_);
      tickets_->AddObserver(&recorder_);
      wired_ = true;
    }
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(),
                                NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  domain::Ticket Open(const Principal& who, sla::Criticality c) {
    NewTicket t;
    t.subject = "Caída total";
    t.criticality = c;
    auto r = tickets_->Create(who, t);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r->ticket;
  }

  std::vector<PageRecord> Pages(TicketId t) {
    return *ReadValue(store_, [&](ReadTx& tx) { return tx.oncall().ListPages(t); });
  }
  std::vector<OutboxRecord> PageMail() {
    auto all = *ReadValue(store_, [](ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
    std::vector<OutboxRecord> out;
    for (auto& m : all)
      if (m.kind == "page") out.push_back(m);
    return out;
  }
  std::vector<std::string> HistoryFields(std::int64_t number) {
    std::vector<std::string> out;
    auto history = tickets_->History(ana_, number);
    EXPECT_TRUE(history);
    for (const auto& e : history->events)
      if (e.field.starts_with("page_")) out.push_back(e.field + ":" + e.after);
    return out;
  }
  static std::string TokenOf(const std::string& url) { return url.substr(url.find("token=") + 6); }

  // The observer forwards to the current Paging (a "restart" replaces it).
  struct Forward final : TicketObserver {
    explicit Forward(PagingTest& t) : t(t) {}
    Status TicketCreated(WriteTx& tx, const domain::Ticket& x, const Principal& w) override {
      return t.paging_->TicketCreated(tx, x, w);
    }
    Status SlaReached(WriteTx& tx, const domain::Ticket& x,
                      const domain::sla::SlaFiring& f) override {
      return t.paging_->SlaReached(tx, x, f);
    }
    PagingTest& t;
  };

  FakeClock clock_{kSaturday2am};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::CountingTokens tokens_;
  testing::RecordingBus bus_;
  TextRenderer renderer_;
  StaffedHours staffed_;
  RecordingGateway gateway_;
  NoticeRecorder recorder_;
  Forward observer_{*this};
  bool wired_ = false;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<OnCallService> oncall_;
  std::unique_ptr<Paging> paging_;
  Principal customer_, globex_, ana_, beto_, sara_;
};

TEST_F(PagingTest, ACriticalTicketAtNightPagesThePrimaryThenEscalatesAlongTheChain) {
  const domain::Ticket t = Open(customer_, sla::Criticality::kCritical);
  auto pages = Pages(t.id);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].reason, "critical_created");
  EXPECT_EQ(pages[0].level, oc::kPrimaryLevel);
  EXPECT_EQ(pages[0].escalate_at, kSaturday2am + 15min);
  auto mail = PageMail();
  ASSERT_EQ(mail.size(), 1u);
  EXPECT_EQ(mail[0].to_address, "ana@example.com");
  EXPECT_EQ(mail[0].body_text,
            "es|critical_created|https://soporte.example.com/portal/#/ack?token=tok1");
  ASSERT_EQ(recorder_.notices.size(), 1u);
  EXPECT_EQ(recorder_.notices[0].kind, PageNotice::Kind::kSent);
  EXPECT_EQ(recorder_.notices[0].engineer, ana_.user_id);

  ASSERT_EQ(*paging_->DeliverDue(gateway_), 1);
  ASSERT_EQ(gateway_.sent.size(), 1u);
  EXPECT_EQ(gateway_.sent[0].to_email, "ana@example.com");
  EXPECT_EQ(gateway_.sent[0].number, t.number);
  EXPECT_EQ(gateway_.sent[0].criticality, "critical");
  EXPECT_EQ(*paging_->DeliverDue(gateway_), 0);  // sent once

  // Nobody acknowledges: at 15 minutes Beto, at 30 the supervisors, then nothing more.
  clock_.Advance(14min);
  EXPECT_EQ(*paging_->EscalateDue(), 0);
  clock_.Advance(1min);
  EXPECT_EQ(*paging_->EscalateDue(), 1);
  EXPECT_EQ(Pages(t.id)[0].level, oc::kSecondaryLevel);
  clock_.Advance(15min);
  EXPECT_EQ(*paging_->EscalateDue(), 1);
  EXPECT_EQ(Pages(t.id)[0].level, oc::kSupervisorLevel);
  EXPECT_FALSE(Pages(t.id)[0].escalate_at);
  clock_.Advance(60min);
  EXPECT_EQ(*paging_->EscalateDue(), 0);
  ASSERT_EQ(*paging_->DeliverDue(gateway_), 2);
  EXPECT_EQ(gateway_.sent[1].to_email, "beto@example.com");
  EXPECT_EQ(gateway_.sent[2].to_email, "sara@example.com");
  EXPECT_EQ(gateway_.sent[2].level, oc::kSupervisorLevel);
  EXPECT_EQ(PageMail().size(), 3u);
  EXPECT_EQ(
      HistoryFields(t.number),
      (std::vector<std::string>{"page_sent:N ana@example.com", "page_escalated:N beto@example.com",
                                "page_escalated:N sara@example.com"}));
  ASSERT_EQ(recorder_.notices.size(), 3u);
  EXPECT_EQ(recorder_.notices[2].kind, PageNotice::Kind::kEscalated);
  EXPECT_EQ(recorder_.notices[2].level, oc::kSupervisorLevel);
}

TEST_F(PagingTest, TheAcknowledgeLinkShowsLittleWorksOnceAndStopsTheEscalation) {
  const domain::Ticket t = Open(customer_, sla::Criticality::kCritical);
  ASSERT_EQ(*paging_->DeliverDue(gateway_), 1);
  const std::string token = TokenOf(gateway_.sent[0].ack_url);
  auto view = paging_->PeekLink(token);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->number, t.number);
  EXPECT_EQ(view->subject, "Caída total");
  EXPECT_FALSE(view->acknowledged);
  // Peeking acknowledges nothing.
  EXPECT_FALSE(Pages(t.id)[0].acknowledged_at);

  clock_.Advance(5min);
  auto ack = paging_->AcknowledgeLink(token);
  ASSERT_TRUE(ack) << ack.error().message;
  const PageRecord p = Pages(t.id)[0];
  EXPECT_EQ(p.acknowledged_at, kSaturday2am + 5min);
  EXPECT_EQ(p.acknowledged_by, ana_.user_id);
  EXPECT_EQ(p.acknowledged_via, "link");
  auto again = paging_->AcknowledgeLink(token);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(paging_->AcknowledgeLink("tok999").error().code, ErrorCode::kFailedPrecondition);
  clock_.Advance(60min);
  EXPECT_EQ(*paging_->EscalateDue(), 0);
  EXPECT_EQ(HistoryFields(t.number).back(), "page_acknowledged:N ana@example.com");
  EXPECT_TRUE(paging_->OpenPages(ana_)->empty());
  EXPECT_EQ(recorder_.notices.back().kind, PageNotice::Kind::kAcknowledged);
}

TEST_F(PagingTest, AnExpiredLinkDoesNotAcknowledgeButTheConsoleDoes) {
  const domain::Ticket t = Open(customer_, sla::Criticality::kCritical);
  clock_.Advance(25h);
  EXPECT_EQ(paging_->PeekLink("tok1").error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(paging_->AcknowledgeLink("tok1").error().code, ErrorCode::kFailedPrecondition);
  auto open = paging_->OpenPages(beto_);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(paging_->Acknowledge(customer_, (*open)[0].page.id, "console").error().code,
            ErrorCode::kPermissionDenied);
  ASSERT_TRUE(paging_->Acknowledge(beto_, (*open)[0].page.id, "console"));
  EXPECT_EQ(Pages(t.id)[0].acknowledged_via, "console");
  EXPECT_EQ(paging_->Acknowledge(beto_, (*open)[0].page.id, "api").error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(PagingTest, NothingIsPagedInStaffedHoursForLowerCriticalitiesOr8x5Contracts) {
  Open(customer_, sla::Criticality::kImportant);
  Open(globex_, sla::Criticality::kCritical);
  clock_.Set(Utc(2026, 12, 7, 15));  // Monday 10:00 in Bogotá: staffed
  Open(customer_, sla::Criticality::kCritical);
  EXPECT_TRUE(PageMail().empty());
  EXPECT_TRUE(paging_->OpenPages(ana_)->empty());
  clock_.Set(Utc(2026, 12, 8, 15));  // Tuesday Dec 8 10:00: a Colombian holiday, not staffed
  Open(customer_, sla::Criticality::kCritical);
  EXPECT_EQ(PageMail().size(), 1u);
}

TEST_F(PagingTest, SlaThresholdsPageOnceEachAndAFailingGatewayIsRetriedAndShown) {
  const domain::Ticket t = Open(customer_, sla::Criticality::kImportant);
  domain::sla::SlaFiring warning{domain::sla::SlaThresholdKind::kWarning, t.response_due,
                                 t.response_due - 1h, kSaturday2am};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store_.Write(
        [&](WriteTx& tx) { return tickets_->observers().SlaReached(tx, t, warning); }));
  }
  domain::sla::SlaFiring breach{domain::sla::SlaThresholdKind::kBreach, t.response_due,
                                t.response_due, kSaturday2am};
  ASSERT_TRUE(
      store_.Write([&](WriteTx& tx) { return tickets_->observers().SlaReached(tx, t, breach); }));
  auto pages = Pages(t.id);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].reason, "sla_warning");
  EXPECT_EQ(pages[1].reason, "sla_breach");

  gateway_.fail = 2;
  EXPECT_EQ(*paging_->DeliverDue(gateway_), 0);
  auto open = paging_->OpenPages(ana_);
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].last_error, "page command: exit status 3");
  EXPECT_EQ((*open)[0].pending, 1);
  EXPECT_EQ(*paging_->DeliverDue(gateway_), 0);  // not due again before its backoff
  clock_.Advance(30s);
  EXPECT_EQ(*paging_->DeliverDue(gateway_), 2);
  EXPECT_EQ(gateway_.sent.size(), 4u);
  EXPECT_EQ(gateway_.sent[2].attempt, 2);
  EXPECT_EQ(gateway_.sent[2].delivery_id, gateway_.sent[0].delivery_id);  // the same on a retry
  EXPECT_EQ((*paging_->OpenPages(ana_))[0].last_error, "");
}

TEST_F(PagingTest, WithoutARotaNobodyIsPaged) {
  auto rotas = oncall_->ListRotas(sara_);
  ASSERT_EQ(rotas->size(), 1u);
  ASSERT_TRUE(oncall_->DeleteRota(sara_, (*rotas)[0].id));
  const domain::Ticket t = Open(customer_, sla::Criticality::kCritical);
  EXPECT_TRUE(Pages(t.id).empty());
  EXPECT_TRUE(PageMail().empty());
}

TEST_F(PagingTest, ARestartSendsNothingTwice) {
  const domain::Ticket t = Open(customer_, sla::Criticality::kCritical);
  ASSERT_EQ(*paging_->DeliverDue(gateway_), 1);
  StartPaging();  // a new process over the same store
  EXPECT_EQ(*paging_->DeliverDue(gateway_), 0);
  EXPECT_EQ(*paging_->EscalateDue(), 0);
  // Creating the same page again (a retried write) is a no-op.
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) { return paging_->TicketCreated(tx, t, customer_); }));
  EXPECT_EQ(Pages(t.id).size(), 1u);
  EXPECT_EQ(PageMail().size(), 1u);
  EXPECT_EQ(gateway_.sent.size(), 1u);
}

TEST_F(PagingTest, RotaRulesNameTheFieldAndOnlyManagersChangeRotas) {
  oc::Rota r;
  r.name = "x";
  r.shifts.push_back({0, 18h, 14h, UserId{999}, {}});
  auto unknown = oncall_->CreateRota(SystemPrincipal(), r);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(unknown.error().message.starts_with("shifts[0].primary: unknown user 999"));
  r.shifts[0].primary = customer_.user_id;  // customers are not on call
  EXPECT_TRUE(
      oncall_->CreateRota(SystemPrincipal(), r).error().message.starts_with("shifts[0].primary"));
  r.shifts[0].primary = ana_.user_id;
  EXPECT_EQ(oncall_->CreateRota(ana_, r).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(oncall_->CreateRota(sara_, r));
  auto now = oncall_->At(beto_, std::nullopt);
  ASSERT_TRUE(now);
  EXPECT_FALSE(now->staffed);
  ASSERT_EQ(now->rotas.size(), 2u);
  EXPECT_EQ(now->rotas[0].primary->email, "ana@example.com");
  EXPECT_EQ(now->rotas[0].secondary->email, "beto@example.com");
  EXPECT_EQ(oncall_->At(customer_, std::nullopt).error().code, ErrorCode::kPermissionDenied);
}

}  // namespace
}  // namespace soporte::app
