// AdminService::UpdateUser and UserHistory (issue 6): who may grant or revoke an organisation's
// administrator, set a user's name, language, role and active state; the system keeps an
// administrator; deactivation ends what the user holds; every change lands in the history.
#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/accounts/auth_service.hpp"
#include "common/check.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

constexpr Instant kT0{Seconds{1796418000}};

class UserAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    auth_ = std::make_unique<AuthService>(store_, hasher_, tokens_, throttle_, clock_,
                                          AuthOptions{Seconds{3600}, Seconds{0}});
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "Acme"));
    ASSERT_TRUE(admin_->CreateOrg(sys, "globex", "Globex"));
    root_ = Make("root@vendor.example", domain::Role::kAdmin);
    sup_ = Make("sup@vendor.example", domain::Role::kSupervisor);
    agent_ = Make("agent@vendor.example", domain::Role::kAgent);
    boss_ = Make("boss@acme.example", domain::Role::kCustomer, "acme", true);
    ana_ = Make("ana@acme.example", domain::Role::kCustomer, "acme");
    gina_boss_ = Make("gina@globex.example", domain::Role::kCustomer, "globex", true);
    clock_.Advance(Seconds{60});
  }

  Principal Make(const std::string& email, domain::Role role, const char* org = nullptr, bool org_admin = false) {
    NewUser in{email, "Name " + email, role, org ? std::optional<std::string>(org) : std::nullopt, "password123"};
    in.org_admin = org_admin;
    auto u = admin_->CreateUser(SystemPrincipal(), in);
    SOPORTE_CHECK(u.has_value());
    return PrincipalOf(*u);
  }
  domain::User Get(const Principal& p) {
    return *ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUser(p.user_id); });
  }
  static UserChange OrgAdmin(bool v) {
    UserChange c;
    c.org_admin = v;
    return c;
  }

  FakeClock clock_{kT0};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::CountingTokens tokens_;
  LoginThrottle throttle_{store_, clock_, ThrottleLimits{10, 10, Seconds{900}}};
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<AuthService> auth_;
  Principal root_, sup_, agent_, boss_, ana_, gina_boss_;
};

TEST_F(UserAdminTest, ManagersGrantAndRevokeOrgAdminAndTheHistoryRecordsIt) {
  auto granted = admin_->UpdateUser(sup_, ana_.user_id, OrgAdmin(true));
  ASSERT_TRUE(granted) << granted.error().message;
  EXPECT_TRUE(granted->org_admin);
  EXPECT_TRUE(Get(ana_).org_admin);
  EXPECT_TRUE(PrincipalOf(Get(ana_)).AdministersOrg(ana_.org_id));
  clock_.Advance(Seconds{30});
  ASSERT_TRUE(admin_->UpdateUser(root_, ana_.user_id, OrgAdmin(false)));
  EXPECT_FALSE(Get(ana_).org_admin);
  // Setting the value it already has stores nothing.
  ASSERT_TRUE(admin_->UpdateUser(root_, ana_.user_id, OrgAdmin(false)));

  auto history = admin_->UserHistory(agent_, ana_.user_id);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].event.field, "created");
  EXPECT_EQ((*history)[0].event.after, "customer");
  EXPECT_EQ((*history)[0].actor_name, "") << "the system";
  EXPECT_EQ((*history)[1].event.field, "org_admin");
  EXPECT_EQ((*history)[1].event.before, "false");
  EXPECT_EQ((*history)[1].event.after, "true");
  EXPECT_EQ((*history)[1].event.actor_id, sup_.user_id);
  EXPECT_EQ((*history)[1].actor_name, "Name sup@vendor.example");
  EXPECT_EQ((*history)[1].event.at, kT0 + Seconds{60});
  EXPECT_EQ((*history)[2].event.after, "false");
  EXPECT_EQ((*history)[2].event.at, kT0 + Seconds{90});
}

TEST_F(UserAdminTest, AnOrgAdministratorManagesItsOwnOrganisationOnly) {
  auto r = admin_->UpdateUser(boss_, ana_.user_id, OrgAdmin(true));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(Get(ana_).org_admin);
  // Another organisation's user looks exactly like a missing one.
  auto foreign = admin_->UpdateUser(boss_, gina_boss_.user_id, OrgAdmin(false));
  auto missing = admin_->UpdateUser(boss_, UserId{9999}, OrgAdmin(false));
  ASSERT_FALSE(foreign);
  ASSERT_FALSE(missing);
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(foreign.error().message, missing.error().message);
  EXPECT_TRUE(Get(gina_boss_).org_admin) << "unchanged";
  // Staff are not visible to a customer either.
  EXPECT_EQ(admin_->UpdateUser(boss_, agent_.user_id, OrgAdmin(true)).error().code, ErrorCode::kNotFound);
  // The administrator may read its colleagues' history; other customers may not.
  EXPECT_TRUE(admin_->UserHistory(boss_, ana_.user_id));
  EXPECT_EQ(admin_->UserHistory(boss_, gina_boss_.user_id).error().code, ErrorCode::kNotFound);
}

TEST_F(UserAdminTest, OtherCustomersAndAgentsMayNotGrantOrgAdmin) {
  auto colleague = admin_->UpdateUser(ana_, boss_.user_id, OrgAdmin(false));
  ASSERT_FALSE(colleague);
  EXPECT_EQ(colleague.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(colleague.error().message.rfind("org_admin:", 0), 0u) << colleague.error().message;
  EXPECT_EQ(admin_->UpdateUser(ana_, ana_.user_id, OrgAdmin(true)).error().code, ErrorCode::kPermissionDenied)
      << "nobody makes itself administrator";
  EXPECT_EQ(admin_->UpdateUser(agent_, ana_.user_id, OrgAdmin(true)).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin_->UserHistory(ana_, boss_.user_id).error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(Get(boss_).org_admin);
  EXPECT_FALSE(Get(ana_).org_admin);
}

TEST_F(UserAdminTest, OrgAdminOnStaffIsUnprocessableAndNamesTheField) {
  auto r = admin_->UpdateUser(root_, agent_.user_id, OrgAdmin(true));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(r.error().message.rfind("org_admin:", 0), 0u) << r.error().message;
  EXPECT_FALSE(Get(agent_).org_admin);
}

TEST_F(UserAdminTest, NameLangAndBadValues) {
  UserChange c;
  c.name = "Ana María";
  c.lang = "en";
  auto r = admin_->UpdateUser(sup_, ana_.user_id, c);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Get(ana_).name, "Ana María");
  EXPECT_EQ(Get(ana_).lang, "en");
  UserChange empty_name;
  empty_name.name = "";
  EXPECT_EQ(admin_->UpdateUser(sup_, ana_.user_id, empty_name).error().code, ErrorCode::kInvalidArgument);
  UserChange fr;
  fr.lang = "fr";
  auto bad = admin_->UpdateUser(sup_, ana_.user_id, fr);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message.rfind("lang:", 0), 0u);
  EXPECT_EQ(admin_->UpdateUser(sup_, ana_.user_id, UserChange{}).error().code, ErrorCode::kInvalidArgument);
  // A customer sets its own language, not a colleague's, and renames nobody.
  UserChange es;
  es.lang = "es";
  EXPECT_TRUE(admin_->UpdateUser(ana_, ana_.user_id, es));
  EXPECT_EQ(admin_->UpdateUser(boss_, ana_.user_id, es).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin_->UpdateUser(ana_, ana_.user_id, c).error().code, ErrorCode::kPermissionDenied);
  // A supervisor may not rename an administrator; an agent renames nobody.
  EXPECT_EQ(admin_->UpdateUser(sup_, root_.user_id, c).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin_->UpdateUser(agent_, ana_.user_id, c).error().code, ErrorCode::kPermissionDenied);
  auto names = admin_->UserHistory(root_, ana_.user_id);
  ASSERT_TRUE(names);
  std::vector<std::string> fields;
  for (const auto& e : *names) fields.push_back(e.event.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"created", "name", "lang", "lang"}));
}

TEST_F(UserAdminTest, RolesChangeAmongStaffByAnAdminAndTheLastAdminStays) {
  UserChange promote;
  promote.role = domain::Role::kSupervisor;
  EXPECT_EQ(admin_->UpdateUser(sup_, agent_.user_id, promote).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(admin_->UpdateUser(root_, agent_.user_id, promote));
  EXPECT_EQ(Get(agent_).role, domain::Role::kSupervisor);
  UserChange to_customer;
  to_customer.role = domain::Role::kCustomer;
  auto across = admin_->UpdateUser(root_, sup_.user_id, to_customer);
  EXPECT_EQ(across.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(across.error().message.rfind("role:", 0), 0u);
  // root is the only admin: it may not be demoted or deactivated (by itself or by the system).
  UserChange demote;
  demote.role = domain::Role::kAgent;
  auto last = admin_->UpdateUser(SystemPrincipal(), root_.user_id, demote);
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::kFailedPrecondition);
  UserChange off;
  off.active = false;
  EXPECT_EQ(admin_->UpdateUser(SystemPrincipal(), root_.user_id, off).error().code, ErrorCode::kFailedPrecondition);
  // With a second admin, the first may step down.
  UserChange make_admin;
  make_admin.role = domain::Role::kAdmin;
  ASSERT_TRUE(admin_->UpdateUser(root_, sup_.user_id, make_admin));
  auto stepped = admin_->UpdateUser(root_, root_.user_id, demote);
  ASSERT_TRUE(stepped) << stepped.error().message;
  EXPECT_EQ(Get(root_).role, domain::Role::kAgent);
}

TEST_F(UserAdminTest, DeactivationEndsSessionsAndTokensAndRefusesLogin) {
  auto login = auth_->Login("ana@acme.example", "password123", "10.0.0.1");
  ASSERT_TRUE(login);
  auto token = auth_->CreateApiToken("ana@acme.example", "ci");
  ASSERT_TRUE(token);
  ASSERT_TRUE(auth_->FromBearer(*token));
  UserChange off;
  off.active = false;
  EXPECT_EQ(admin_->UpdateUser(boss_, ana_.user_id, off).error().code, ErrorCode::kPermissionDenied)
      << "the organisation's administrator grants org_admin, not accounts";
  EXPECT_EQ(admin_->UpdateUser(agent_, ana_.user_id, off).error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin_->UpdateUser(sup_, sup_.user_id, off).error().code, ErrorCode::kFailedPrecondition)
      << "nobody deactivates itself";
  auto r = admin_->UpdateUser(sup_, ana_.user_id, off);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_FALSE(r->active);
  EXPECT_EQ(auth_->FromSession(login->session_token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->FromBearer(*token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->Login("ana@acme.example", "password123", "10.0.0.1").error().code, ErrorCode::kUnauthenticated);
  // Reactivated: the password works again; the old session and token stay ended.
  UserChange on;
  on.active = true;
  ASSERT_TRUE(admin_->UpdateUser(sup_, ana_.user_id, on));
  EXPECT_TRUE(auth_->Login("ana@acme.example", "password123", "10.0.0.1"));
  EXPECT_FALSE(auth_->FromSession(login->session_token));
  EXPECT_FALSE(auth_->FromBearer(*token));
}

TEST_F(UserAdminTest, ByEmailForTheCommandLine) {
  auto r = admin_->UpdateUserByEmail(SystemPrincipal(), " ANA@acme.example ", OrgAdmin(true));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->org_admin);
  auto missing = admin_->UpdateUserByEmail(SystemPrincipal(), "nadie@acme.example", OrgAdmin(true));
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("nadie@acme.example"), std::string::npos);
  EXPECT_EQ(admin_->UpdateUserByEmail(SystemPrincipal(), "not-an-email", OrgAdmin(true)).error().code,
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace soporte::app
