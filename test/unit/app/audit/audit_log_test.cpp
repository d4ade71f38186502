// The use cases that write the audit log (organisations, contracts, calendars, contact settings,
// API tokens, logins) and AuditService, which reads it, over the memory store and a FakeClock.
#include "app/audit/audit_log.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/accounts/auth_service.hpp"
#include "app/calendars/calendar_service.hpp"
#include "app/settings/contact_settings.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;
using namespace date;
using namespace std::chrono_literals;

constexpr Instant kT0{Seconds{1796418000}};

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    auth_ = std::make_unique<AuthService>(store_, hasher_, tokens_, throttle_, clock_,
                                          AuthOptions{Seconds{3600}});
    calendars_ = std::make_unique<CalendarService>(store_, clock_);
    settings_ = std::make_unique<ContactSettingsService>(store_, clock_, ContactSettings{});
    audit_ = std::make_unique<AuditService>(store_);
    ASSERT_TRUE(admin_->CreateOrg(SystemPrincipal(), "acme", "ACME"));
    boss_ = Make("ana@example.com", Role::kAdmin, std::nullopt);
    boss_.address = "192.0.2.10";
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(
        SystemPrincipal(), NewUser{email, "Ana " + email.substr(0, 3), role, org, "password123"});
    EXPECT_TRUE(u) << u.error().message;
    return PrincipalOf(*u);
  }

  // The log, newest first, as an administrator reads it.
  std::vector<AuditEntryView> Log(std::string kind = "") {
    auto out = audit_->List(boss_, AuditQuery{.kind = kind, .limit = 200});
    EXPECT_TRUE(out) << out.error().message;
    return out ? *out : std::vector<AuditEntryView>{};
  }

  FakeClock clock_{kT0};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::CountingTokens tokens_;
  LoginThrottle throttle_{store_, clock_, ThrottleLimits{3, 5, Seconds{900}}};
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<CalendarService> calendars_;
  std::unique_ptr<ContactSettingsService> settings_;
  std::unique_ptr<AuditService> audit_;
  Principal boss_;
};

TEST_F(AuditLogTest, OrganisationAndContractCreationsAreLoggedWithWhoAndWhere) {
  ASSERT_TRUE(admin_->CreateOrg(boss_, "globex", "Globex"));
  NewContract c;
  c.valid_from = sys_days{2026_y / 1 / 1};
  auto contract = admin_->CreateContract(boss_, "globex", c);
  ASSERT_TRUE(contract);
  auto log = Log();
  // Newest first: the contract's fields, its creation, the org, then the system's first org.
  ASSERT_EQ(log.size(), 8u);
  const auto& org = log[6];
  EXPECT_EQ(org.entry.kind, "org");
  EXPECT_EQ(org.entry.field, "created");
  EXPECT_EQ(org.entry.subject, "Globex");
  EXPECT_EQ(org.entry.after, "globex");
  EXPECT_EQ(org.entry.actor_id, boss_.user_id);
  EXPECT_EQ(org.actor_name, boss_.name);
  EXPECT_EQ(org.entry.source, "192.0.2.10");
  EXPECT_EQ(org.entry.at, kT0);
  EXPECT_EQ(log[7].entry.source, "");  // the system (command line)
  EXPECT_FALSE(log[7].entry.actor_id.valid());
  std::map<std::string, std::string> fields;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(log[i].entry.kind, "contract");
    EXPECT_EQ(log[i].entry.subject_id, contract->id.value());
    EXPECT_EQ(log[i].entry.subject, "Globex");
    fields[log[i].entry.field] = log[i].entry.after;
  }
  EXPECT_EQ(log[5].entry.field, "created");
  EXPECT_EQ(fields["modality"], "8x5");
  EXPECT_EQ(fields["zone"], "America/Bogota");
  EXPECT_EQ(fields["valid_from"], "2026-01-01");
  EXPECT_EQ(fields["channels"], "portal,email,chat");
  EXPECT_EQ(fields["targets"], "normal=8h,important=4h,critical=2h");
  // Open-ended, on the built-in calendar: "" is not a change from nothing.
  EXPECT_EQ(fields.count("valid_to"), 0u);
  EXPECT_EQ(fields.count("calendar"), 0u);
}

TEST_F(AuditLogTest, CalendarsClosureDaysAndAContractsCalendarAreLogged) {
  CalendarInput in;
  in.name = "Oficina";
  for (unsigned d = 0; d < 5; ++d) in.hours[d] = {{8h, 18h}};
  auto cal = calendars_->Create(boss_, in);
  ASSERT_TRUE(cal);
  ASSERT_TRUE(calendars_->AddClosure(boss_, cal->id, sys_days{2026_y / 12 / 24}, "Inventario"));
  ASSERT_TRUE(calendars_->RemoveClosure(boss_, cal->id, sys_days{2026_y / 12 / 24}));
  in.hours[4] = {{8h, 12h}};
  ASSERT_TRUE(calendars_->Update(boss_, cal->id, in));
  NewContract c;
  c.valid_from = sys_days{2026_y / 1 / 1};
  auto contract = admin_->CreateContract(boss_, "acme", c);
  ASSERT_TRUE(calendars_->AssignToContract(boss_, "acme", contract->id, cal->id));

  auto log = Log();
  EXPECT_EQ(log[0].entry.kind, "contract");
  EXPECT_EQ(log[0].entry.field, "calendar");
  EXPECT_EQ(log[0].entry.before, "");
  EXPECT_EQ(log[0].entry.after, "Oficina");
  auto calendar = Log("calendar");
  ASSERT_GE(calendar.size(), 4u);
  EXPECT_EQ(calendar[0].entry.field, "hours.friday");
  EXPECT_EQ(calendar[0].entry.before, "08:00-18:00");
  EXPECT_EQ(calendar[0].entry.after, "08:00-12:00");
  EXPECT_EQ(calendar[1].entry.field, "closure_removed");
  EXPECT_EQ(calendar[1].entry.before, "2026-12-24 Inventario");
  EXPECT_EQ(calendar[2].entry.field, "closure_added");
  EXPECT_EQ(calendar[2].entry.after, "2026-12-24 Inventario");
  EXPECT_EQ(calendar.back().entry.field, "created");
  EXPECT_EQ(calendar.back().entry.subject, "Oficina");
}

TEST_F(AuditLogTest, EachContactSettingThatChangesIsLoggedOldToNew) {
  ContactSettings s;
  s.phone = "+57 601 555 0100";
  ASSERT_TRUE(settings_->Put(boss_, s));
  s.phone = "+57 601 555 0199";
  s.hours_es = "Lunes a viernes";
  ASSERT_TRUE(settings_->Put(boss_, s));
  ASSERT_TRUE(settings_->Put(boss_, s));  // nothing changes: nothing logged
  auto log = Log("settings");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].entry.field, "contact.hours_es");
  EXPECT_EQ(log[0].entry.after, "Lunes a viernes");
  EXPECT_EQ(log[1].entry.field, "contact.phone");
  EXPECT_EQ(log[1].entry.before, "+57 601 555 0100");
  EXPECT_EQ(log[1].entry.after, "+57 601 555 0199");
  EXPECT_EQ(log[2].entry.before, "");
}

TEST_F(AuditLogTest, LoginsAndFailedLoginsSayWhyButNeverThePassword) {
  Principal agent = Make("andrea@example.com", Role::kAgent, std::nullopt);
  ASSERT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.1"));
  EXPECT_FALSE(auth_->Login("andrea@example.com", "secreto-malo", "10.0.0.2"));
  EXPECT_FALSE(auth_->Login("nadie@example.com", "secreto-malo", "10.0.0.3"));
  UserChange off;
  off.active = false;
  ASSERT_TRUE(admin_->UpdateUser(boss_, agent.user_id, off));
  EXPECT_FALSE(auth_->Login("andrea@example.com", "password123", "10.0.0.4"));
  for (int i = 0; i < 3; ++i) (void)auth_->Login("x@example.com", "secreto-malo", "10.0.0.5");
  EXPECT_FALSE(auth_->Login("x@example.com", "password123", "10.0.0.5"));

  auto log = Log("login");
  ASSERT_EQ(log.size(), 8u);
  EXPECT_EQ(log[0].entry.after, "locked");
  EXPECT_EQ(log[0].entry.subject, "x@example.com");
  EXPECT_EQ(log[4].entry.after, "inactive");
  EXPECT_EQ(log[4].entry.source, "10.0.0.4");
  EXPECT_EQ(log[5].entry.after, "unknown_email");
  EXPECT_FALSE(log[5].entry.actor_id.valid());
  EXPECT_EQ(log[6].entry.after, "wrong_password");
  EXPECT_EQ(log[6].entry.subject, "andrea@example.com");
  EXPECT_EQ(log[6].entry.subject_id, agent.user_id.value());
  EXPECT_FALSE(log[6].entry.actor_id.valid());  // nobody proved who they are
  EXPECT_EQ(log[7].entry.after, "ok");
  EXPECT_EQ(log[7].entry.actor_id, agent.user_id);
  EXPECT_EQ(log[7].entry.source, "10.0.0.1");
  for (const auto& v : Log()) {
    for (const std::string& text : {v.entry.before, v.entry.after, v.entry.subject}) {
      EXPECT_EQ(text.find("password123"), std::string::npos);
      EXPECT_EQ(text.find("secreto"), std::string::npos);
    }
  }
}

TEST_F(AuditLogTest, ApiTokensCreatedAndRemovedWithTheirUserButNeverTheToken) {
  Principal agent = Make("andrea@example.com", Role::kAgent, std::nullopt);
  auto token = auth_->CreateApiToken("andrea@example.com", "ci");
  ASSERT_TRUE(token);
  UserChange off;
  off.active = false;
  ASSERT_TRUE(admin_->UpdateUser(boss_, agent.user_id, off));
  auto log = Log("token");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].entry.field, "removed");
  EXPECT_EQ(log[0].entry.before, "1");
  EXPECT_EQ(log[0].entry.actor_id, boss_.user_id);
  EXPECT_EQ(log[1].entry.field, "created");
  EXPECT_EQ(log[1].entry.after, "ci");
  EXPECT_EQ(log[1].entry.subject_id, agent.user_id.value());
  for (const auto& v : log) EXPECT_EQ(v.entry.after.find(*token), std::string::npos);
}

TEST_F(AuditLogTest, OnlySupervisorsAndAdminsReadTheLogPageByPage) {
  Principal agent = Make("andrea@example.com", Role::kAgent, std::nullopt);
  Principal customer = Make("carlos@acme.example.com", Role::kCustomer, "acme");
  Principal supervisor = Make("sara@example.com", Role::kSupervisor, std::nullopt);
  EXPECT_EQ(audit_->List(agent, {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(audit_->List(customer, {}).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(audit_->List(boss_, {.kind = "tickets"}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(audit_->List(boss_, {.limit = 500}).error().code, ErrorCode::kInvalidArgument);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(admin_->CreateOrg(boss_, "org-" + std::to_string(i), "Org " + std::to_string(i)));
  }
  auto first = audit_->List(supervisor, {.kind = "org", .limit = 2});
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].entry.subject, "Org 2");
  auto rest = audit_->List(supervisor, {.kind = "org", .before_id = first->back().entry.id});
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].entry.subject, "Org 0");
  EXPECT_EQ((*rest)[1].entry.subject, "ACME");
}

}  // namespace
}  // namespace soporte::app
