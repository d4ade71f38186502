// Staff alerts over the memory store, driven by the real SLA watch and a FakeClock: who gets a new
// Crítico ticket, a warning and a breach; each recipient's channels, language and quiet hours.
#include "app/alerts/staff_alerts.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/mail/outbox_render.hpp"
#include "app/sla/sla_watch.hpp"
#include "domain/oncall/rota.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::AlertKind;
using domain::Role;
using std::chrono::hours;
using std::chrono::minutes;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

// "kind|lang|alert" as subject: enough to see which text went to whom.
class EchoRenderer final : public MailRenderer {
 public:
  RenderedMail Render(const MailContext& c) const override {
    return {std::string(MailKindName(c.kind)) + "|" + c.lang + "|" + c.alert,
            "body " + c.recipient_name};
  }
};

class StaffAlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    watch_ = std::make_unique<SlaWatch>(store_, *sla_, clock_, tickets_->observers());
    alerts_ = std::make_unique<StaffAlerts>(bus_, clock_);
    prefs_ = std::make_unique<AlertPreferencesService>(store_, clock_);
    tickets_->AddObserver(watch_.get());
    tickets_->AddObserver(alerts_.get());
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    NewContract c24;
    c24.modality = sla::Modality::k24x7;
    c24.valid_from = std::chrono::floor<std::chrono::days>(kFriday4pm - hours{24 * 30});
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c24));
    ana_ = Make("ana@vendor.test", Role::kAgent);
    beto_ = Make("beto@vendor.test", Role::kAgent);
    sara_ = Make("sara@vendor.test", Role::kSupervisor);
    customer_ = Make("carlos@acme.test", Role::kCustomer, "acme");
    auto gone = Make("ido@vendor.test", Role::kAgent);
    auto u = ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUser(gone.user_id); });
    ASSERT_TRUE(store_.Write([&](WriteTx& tx) {
      domain::User v = *u;
      v.active = false;
      return tx.accounts().UpdateUser(v);
    }));
    // Beto reads his mail in English.
    auto b = ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUser(beto_.user_id); });
    ASSERT_TRUE(store_.Write([&](WriteTx& tx) {
      domain::User v = *b;
      v.lang = "en";
      return tx.accounts().UpdateUser(v);
    }));
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org = std::nullopt) {
    auto u = admin_->CreateUser(SystemPrincipal(),
                                NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  std::int64_t Open(sla::Criticality c) {
    NewTicket in;
    in.subject = "Caída";
    in.criticality = c;
    in.org_slug = "acme";
    in.channel = sla::Channel::kPhone;
    auto t = tickets_->Create(ana_, in);
    EXPECT_TRUE(t) << t.error().message;
    return t ? t->ticket.number : 0;
  }

  // (recipient, subject) of every staff alert mail, in order, as the outbox renders it when it
  // delivers (the row holds the facts only).
  std::vector<std::pair<std::string, std::string>> Mails() {
    std::vector<std::pair<std::string, std::string>> out;
    const OutboxRenderer outbox(renderer_, *sla_, "soporte@vendor.test");
    auto st = store_.Read([&](ReadTx& tx) -> Status {
      SOPORTE_TRY(all, tx.mail().ListOutbox(std::nullopt));
      for (const auto& m : all) {
        if (m.kind != "staff_alert") continue;
        EXPECT_TRUE(m.facts && m.subject.empty() && m.body_text.empty()) << m.to_address;
        SOPORTE_TRY(text, outbox.Render(tx, m));
        out.emplace_back(m.to_address, text.subject);
      }
      return Ok();
    });
    EXPECT_TRUE(st) << st.error().message;
    return out;
  }
  std::vector<AlertKind> Kinds(const Principal& who) {
    std::vector<AlertKind> out;
    auto list = prefs_->List(who, 0, 200);
    EXPECT_TRUE(list);
    for (const auto& a : *list) out.push_back(a.alert.kind);
    return out;
  }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  EchoRenderer renderer_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<SlaWatch> watch_;
  std::unique_ptr<StaffAlerts> alerts_;
  std::unique_ptr<AlertPreferencesService> prefs_;
  Principal ana_, beto_, sara_, customer_;
};

TEST_F(StaffAlertsTest, ANewCriticalTicketAlertsTheActiveAgentsAtOnceEachInTheirLanguage) {
  const auto n = Open(sla::Criticality::kCritical);
  const auto tag = "[#" + std::to_string(n) + "]";
  auto mails = Mails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].first, "ana@vendor.test");
  EXPECT_NE(mails[0].second.find("staff_alert|es|new_critical"), std::string::npos);
  EXPECT_EQ(mails[1].first, "beto@vendor.test");
  EXPECT_NE(mails[1].second.find("staff_alert|en|new_critical"), std::string::npos);
  EXPECT_EQ(Kinds(ana_), std::vector<AlertKind>{AlertKind::kNewCritical});
  EXPECT_TRUE(Kinds(sara_).empty());
  // Each console is nudged alone.
  std::vector<std::int64_t> nudged;
  for (const auto& e : bus_.events) {
    if (e.what == "alert") nudged.push_back(e.user_id.value());
  }
  EXPECT_EQ(nudged, (std::vector<std::int64_t>{ana_.user_id.value(), beto_.user_id.value()}));
  EXPECT_NE(mails[0].second.find(tag), std::string::npos);
  // A normal ticket alerts nobody.
  Open(sla::Criticality::kNormal);
  EXPECT_EQ(Mails().size(), 2u);
}

TEST_F(StaffAlertsTest, AWarningGoesToTheAssigneeAndABreachToTheSupervisorsToo) {
  const auto n = Open(sla::Criticality::kImportant);  // 4 h: warning at 3 h
  TicketPatch assign;
  assign.assignee = std::optional<UserId>(beto_.user_id);
  ASSERT_TRUE(tickets_->Update(ana_, n, assign));
  clock_.Advance(hours{3});
  ASSERT_EQ(watch_->Tick()->warnings, 1);
  EXPECT_EQ(Kinds(beto_), std::vector<AlertKind>{AlertKind::kSlaWarning});
  EXPECT_TRUE(Kinds(ana_).empty());
  EXPECT_TRUE(Kinds(sara_).empty());
  clock_.Advance(hours{2});
  ASSERT_EQ(watch_->Tick()->breaches, 1);
  EXPECT_EQ(Kinds(beto_), (std::vector<AlertKind>{AlertKind::kSlaWarning, AlertKind::kSlaBreach}));
  EXPECT_EQ(Kinds(sara_), std::vector<AlertKind>{AlertKind::kSlaBreach});
  EXPECT_TRUE(Kinds(ana_).empty());
}

TEST_F(StaffAlertsTest, UnassignedWarningsGoToTheAgentsOnShift) {
  Open(sla::Criticality::kImportant);
  clock_.Advance(hours{3});
  ASSERT_EQ(watch_->Tick()->warnings, 1);
  EXPECT_EQ(Kinds(ana_), std::vector<AlertKind>{AlertKind::kSlaWarning});
  EXPECT_EQ(Kinds(beto_), std::vector<AlertKind>{AlertKind::kSlaWarning});
  EXPECT_TRUE(Kinds(sara_).empty());
}

TEST_F(StaffAlertsTest, EachUserChoosesChannelsAndQuietHoursHoldTheirMail) {
  domain::AlertPreferences ana;
  ana.new_critical.mail = false;  // browser only
  ASSERT_TRUE(prefs_->Put(ana_, ana));
  domain::AlertPreferences beto;
  beto.new_critical.browser = false;
  beto.quiet = domain::QuietHours{15 * 60, 18 * 60, "America/Bogota"};  // 16:00 is inside
  ASSERT_TRUE(prefs_->Put(beto_, beto));
  Open(sla::Criticality::kCritical);
  EXPECT_EQ(Kinds(ana_), std::vector<AlertKind>{AlertKind::kNewCritical});
  EXPECT_TRUE(Kinds(beto_).empty());
  auto all = ReadValue(store_, [](ReadTx& tx) { return tx.mail().ListOutbox(std::nullopt); });
  std::vector<OutboxRecord> alerts;
  for (const auto& m : *all) {
    if (m.kind == "staff_alert") alerts.push_back(m);
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].to_address, "beto@vendor.test");
  EXPECT_EQ(alerts[0].next_attempt_at, kFriday4pm + hours{2});  // 18:00 Bogota
  EXPECT_EQ(alerts[0].auto_submitted, "auto-generated");
}

TEST_F(StaffAlertsTest, PreferencesAreForStaffAndBadOnesNameTheField) {
  auto defaults = prefs_->Get(ana_);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(*defaults, domain::AlertPreferences{});
  EXPECT_EQ(prefs_->Get(customer_).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(prefs_->Put(customer_, {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(prefs_->List(customer_, 0, 10).error().code, ErrorCode::kPermissionDenied);
  domain::AlertPreferences bad;
  bad.quiet = domain::QuietHours{60, 120, "Nowhere/City"};
  auto r = prefs_->Put(ana_, bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "quiet_hours.zone: unknown time zone Nowhere/City");
  EXPECT_EQ(*prefs_->Get(ana_), domain::AlertPreferences{});
}

// Out of the vendor's staffed hours the agents on shift are the on-call engineers of the rota
// paging follows; with no rota (or nobody on call) every active agent, as in staffed hours.
TEST_F(StaffAlertsTest, OutOfStaffedHoursTheOnCallEngineerIsTheAgentOnShift) {
  StaffedHours staffed;
  alerts_->SetStaffedHours(&staffed);
  Open(sla::Criticality::kCritical);  // Friday 16:00 Bogotá: staffed, both agents
  EXPECT_EQ(Mails().size(), 2u);
  clock_.Advance(hours{4});  // Friday 20:00: out of hours, no rota yet
  Open(sla::Criticality::kCritical);
  EXPECT_EQ(Mails().size(), 4u);

  domain::oncall::Rota rota;
  rota.name = "Guardia";
  rota.shifts = {domain::oncall::RotaShift{0, Seconds{0}, Seconds{7 * 24 * 3600}, beto_.user_id}};
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.oncall().InsertRota(rota));
    return Ok();
  }));
  Open(sla::Criticality::kCritical);
  auto mails = Mails();
  ASSERT_EQ(mails.size(), 5u);
  EXPECT_EQ(mails.back().first, "beto@vendor.test");
  clock_.Advance(hours{61});  // Monday 09:00: staffed again, every agent
  Open(sla::Criticality::kCritical);
  EXPECT_EQ(Mails().size(), 7u);
}

}  // namespace
}  // namespace soporte::app
