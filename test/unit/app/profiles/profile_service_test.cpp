#include "app/profiles/profile_service.hpp"

#include <set>

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::ProfileEntryId;
using domain::ProfileKind;
using domain::Role;

constexpr Instant kNow{Seconds{1796418000}};

class ProfileServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    profiles_ = std::make_unique<ProfileService>(store_, box_, clock_);
    ASSERT_TRUE(admin_->CreateOrg(SystemPrincipal(), "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(SystemPrincipal(), "globex", "Globex"));
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt, false);
    supervisor_ = Make("sofia@example.com", Role::kSupervisor, std::nullopt, false);
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme", false);
    org_admin_ = Make("olga@acme.example.com", Role::kCustomer, "acme", true);
    other_ = Make("gloria@globex.example.com", Role::kCustomer, "globex", true);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org, bool org_admin) {
    NewUser in{email, "N " + email, role, org, "password123"};
    in.org_admin = org_admin;
    auto u = admin_->CreateUser(SystemPrincipal(), in);
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  ProfileEntryView Env(const Principal& who, const std::string& name = "Producción") {
    ProfileEntryInput in;
    in.fields = {{"kind", "prod"}, {"name", name}};
    auto r = profiles_->Create(who, "acme", ProfileKind::kEnvironment, in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return *r;
  }

  ProfileEntryView OsUser(const Principal& who, ProfileEntryId env, const std::string& password) {
    ProfileEntryInput in;
    in.parent = env;
    in.fields = {{"user", "appsvc"}};
    in.secrets = {{"password", password}};
    auto r = profiles_->Create(who, "acme", ProfileKind::kOsUser, in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return *r;
  }

  FakeClock clock_{kNow};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::XorSecretBox box_{'k'};
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<ProfileService> profiles_;
  Principal agent_, supervisor_, customer_, org_admin_, other_;
};

TEST_F(ProfileServiceTest, SecretsAreStoredSealedAndShownOnlyAsSet) {
  auto env = Env(agent_);
  auto user = OsUser(agent_, env.entry.id, "S3cr3t-claro");
  ASSERT_TRUE(user.secrets.contains("password"));
  auto stored =
      ReadValue(store_, [](ReadTx& tx) { return tx.profiles().ListSecrets(std::nullopt); });
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().sealed.key_id, "xor-k");
  EXPECT_EQ(stored->front().sealed.ciphertext.find("S3cr3t"), std::string::npos);
  auto view = profiles_->Get(customer_, "acme");
  ASSERT_TRUE(view);
  EXPECT_FALSE(view->can_edit);
  EXPECT_FALSE(view->can_reveal);
  ASSERT_EQ(view->entries.size(), 2u);
  EXPECT_EQ(view->entries[1].secrets.at("password"), stored->front().id);
  EXPECT_EQ(view->entries[1].entry.fields.count("password"), 0u);
}

TEST_F(ProfileServiceTest, RevealNeedsAReasonAndIsLoggedWithWhoWhenWhy) {
  auto env = Env(agent_);
  auto user = OsUser(org_admin_, env.entry.id, "clave-del-cliente");
  const std::int64_t id = user.secrets.at("password");

  for (std::string blank : {"", "   ", "\n\t"}) {
    auto r = profiles_->Reveal(agent_, "acme", id, blank);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  auto none = profiles_->ListReveals(supervisor_, "acme");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());

  clock_.Advance(Seconds{60});
  auto r = profiles_->Reveal(agent_, "acme", id, "  ticket #1042: reiniciar el servicio ");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->value, "clave-del-cliente");
  auto log = profiles_->ListReveals(supervisor_, "acme");
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->front().record.reason, "ticket #1042: reiniciar el servicio");
  EXPECT_EQ(log->front().actor.id, agent_.user_id);
  EXPECT_EQ(log->front().record.at, kNow + Seconds{60});

  auto history = profiles_->History(agent_, "acme");
  ASSERT_TRUE(history);
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().record.action, "revealed");
  for (const auto& e : *history) {
    EXPECT_EQ(e.record.detail.find("clave-del-cliente"), std::string::npos) << e.record.detail;
  }
}

TEST_F(ProfileServiceTest, RoleMatrix) {
  auto env = Env(agent_);
  auto user = OsUser(agent_, env.entry.id, "pw-matrix");
  const std::int64_t id = user.secrets.at("password");
  ProfileEntryInput host;
  host.parent = env.entry.id;
  host.fields = {{"address", "10.1.1.1"}};

  // A customer who is not the administrator reads but may not change or reveal.
  auto denied = profiles_->Create(customer_, "acme", ProfileKind::kHost, host);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto no_reveal = profiles_->Reveal(customer_, "acme", id, "curiosidad");
  ASSERT_FALSE(no_reveal);
  EXPECT_EQ(no_reveal.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(profiles_->Get(customer_, "acme"));

  // The organisation's administrator changes and reveals its own organisation's secrets.
  EXPECT_TRUE(profiles_->Create(org_admin_, "acme", ProfileKind::kHost, host));
  EXPECT_TRUE(profiles_->Reveal(org_admin_, "acme", id, "rotar la clave"));
  EXPECT_TRUE(profiles_->ListReveals(org_admin_, "acme"));

  // Agents reveal but do not read the reveal log; supervisors do.
  auto agent_log = profiles_->ListReveals(agent_, "acme");
  ASSERT_FALSE(agent_log);
  EXPECT_EQ(agent_log.error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(profiles_->ListReveals(supervisor_, "acme"));

  // Another organisation's administrator sees nothing at all: not found.
  for (auto code : {profiles_->Get(other_, "acme").error().code,
                    profiles_->History(other_, "acme").error().code,
                    profiles_->ListReveals(other_, "acme").error().code,
                    profiles_->Reveal(other_, "acme", id, "x").error().code,
                    profiles_->Create(other_, "acme", ProfileKind::kHost, host).error().code,
                    profiles_->Delete(other_, "acme", ProfileKind::kEnvironment, env.entry.id).error().code}) {
    EXPECT_EQ(code, ErrorCode::kNotFound);
  }
  // …and cannot reach acme's secret through its own organisation either.
  auto cross = profiles_->Reveal(other_, "globex", id, "x");
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().code, ErrorCode::kNotFound);
}

TEST_F(ProfileServiceTest, UpdateKeepsAbsentSecretsClearsNullAndRecordsHistory) {
  auto env = Env(agent_);
  ProfileEntryInput in;
  in.parent = env.entry.id;
  in.fields = {{"method", "ssh"}, {"address", "bastion.acme.example.com"}, {"user", "soporte"}};
  in.secrets = {{"password", "pw1"}, {"private_key", "-----BEGIN KEY-----"}};
  auto ra = profiles_->Create(agent_, "acme", ProfileKind::kRemoteAccess, in);
  ASSERT_TRUE(ra) << ra.error().message;
  EXPECT_EQ(ra->secrets.size(), 2u);

  ProfileEntryInput change;
  change.fields = {{"method", "ssh"}, {"address", "bastion2.acme.example.com"}, {"user", "soporte"}};
  change.secrets = {{"private_key", std::nullopt}};
  auto updated = profiles_->Update(agent_, "acme", ProfileKind::kRemoteAccess, ra->entry.id, change);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->secrets.size(), 1u);
  EXPECT_TRUE(updated->secrets.contains("password"));
  EXPECT_EQ(updated->entry.parent, env.entry.id);  // absent parent: kept

  auto history = profiles_->History(agent_, "acme");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().record.action, "updated");
  EXPECT_EQ(history->back().record.detail,
            "address: bastion.acme.example.com -> bastion2.acme.example.com; private_key changed");
}

TEST_F(ProfileServiceTest, ParentsAndReferencesAreChecked) {
  auto env = Env(agent_);
  ProfileEntryInput patch;
  patch.parent = env.entry.id;  // a patch hangs from a component, not an environment
  patch.fields = {{"name", "hotfix-7"}};
  auto bad = profiles_->Create(agent_, "acme", ProfileKind::kPatch, patch);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);

  ProfileEntryInput orphan;
  orphan.fields = {{"address", "10.0.0.1"}};
  EXPECT_FALSE(profiles_->Create(agent_, "acme", ProfileKind::kHost, orphan));

  ProfileEntryInput boss;
  boss.fields = {{"name", "Beatriz Jefe"}};
  auto b = profiles_->Create(agent_, "acme", ProfileKind::kContact, boss);
  ASSERT_TRUE(b);
  ProfileEntryInput worker;
  worker.fields = {{"name", "Walter"}, {"reports_to", std::to_string(b->entry.id.value())}};
  auto w = profiles_->Create(agent_, "acme", ProfileKind::kContact, worker);
  ASSERT_TRUE(w) << w.error().message;
  // A cycle: the boss reporting to her own report.
  ProfileEntryInput cycle;
  cycle.fields = {{"name", "Beatriz Jefe"}, {"reports_to", std::to_string(w->entry.id.value())}};
  auto c = profiles_->Update(agent_, "acme", ProfileKind::kContact, b->entry.id, cycle);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("cycle"), std::string::npos);
  // A reference to an environment is not a contact.
  worker.fields["reports_to"] = std::to_string(env.entry.id.value());
  EXPECT_FALSE(profiles_->Create(agent_, "acme", ProfileKind::kContact, worker));
}

TEST_F(ProfileServiceTest, DeleteRemovesTheSubtreeItsSecretsAndDanglingReports) {
  auto env = Env(agent_);
  OsUser(agent_, env.entry.id, "pw-gone");
  ProfileEntryInput comp;
  comp.parent = env.entry.id;
  comp.fields = {{"name", "FOX"}, {"version", "1.4.2.3"}};
  auto c = profiles_->Create(agent_, "acme", ProfileKind::kComponent, comp);
  ASSERT_TRUE(c);
  ProfileEntryInput patch;
  patch.parent = c->entry.id;
  patch.fields = {{"name", "hotfix-7"}, {"applied_on", "2026-11-02"}};
  ASSERT_TRUE(profiles_->Create(agent_, "acme", ProfileKind::kPatch, patch));
  ProfileEntryInput vpn;
  vpn.parent = env.entry.id;
  vpn.fields = {{"method", "vpn"}, {"address", "vpn.acme.example.com"}};
  auto remote = profiles_->Create(agent_, "acme", ProfileKind::kRemoteAccess, vpn);
  ASSERT_TRUE(remote);
  ProfileEntryInput boss, worker;
  boss.fields = {{"name", "Beatriz"}};
  auto b = profiles_->Create(agent_, "acme", ProfileKind::kContact, boss);
  worker.fields = {{"name", "Walter"}, {"reports_to", std::to_string(b->entry.id.value())}};
  auto w = profiles_->Create(agent_, "acme", ProfileKind::kContact, worker);
  ASSERT_TRUE(w);

  ASSERT_TRUE(profiles_->Delete(agent_, "acme", ProfileKind::kEnvironment, env.entry.id));
  ASSERT_TRUE(profiles_->Delete(agent_, "acme", ProfileKind::kContact, b->entry.id));
  auto view = profiles_->Get(agent_, "acme");
  ASSERT_TRUE(view);
  // Left: the remote access (detached: its environment is optional) and Walter, who no longer
  // reports to anyone.
  ASSERT_EQ(view->entries.size(), 2u);
  EXPECT_EQ(view->entries[0].entry.id, remote->entry.id);
  EXPECT_FALSE(view->entries[0].entry.parent.valid());
  EXPECT_EQ(view->entries[1].entry.id, w->entry.id);
  EXPECT_FALSE(view->entries[1].entry.fields.contains("reports_to"));
  auto secrets =
      ReadValue(store_, [](ReadTx& tx) { return tx.profiles().ListSecrets(std::nullopt); });
  EXPECT_TRUE(secrets->empty());
  // Wrong kind in the path: not found, nothing removed.
  auto again = profiles_->Delete(agent_, "acme", ProfileKind::kHost, env.entry.id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(ProfileServiceTest, ResealMovesEverySecretToTheNewKeyAndIsRestartable) {
  auto env = Env(agent_);
  OsUser(agent_, env.entry.id, "uno");
  OsUser(agent_, env.entry.id, "dos");
  testing::XorSecretBox next('n');
  EXPECT_FALSE(ProfileService::CheckKey(store_, next));
  auto n = ProfileService::Reseal(store_, box_, next, kNow);
  ASSERT_TRUE(n) << n.error().message;
  EXPECT_EQ(*n, 2);
  EXPECT_TRUE(ProfileService::CheckKey(store_, next));
  EXPECT_FALSE(ProfileService::CheckKey(store_, box_));
  auto again = ProfileService::Reseal(store_, box_, next, kNow);  // a rerun after a crash
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0);
  ProfileService moved(store_, next, clock_);
  auto view = moved.Get(agent_, "acme");
  std::set<std::string> values;
  for (const auto& e : view->entries) {
    for (const auto& [field, id] : e.secrets) values.insert(moved.Reveal(agent_, "acme", id, "check")->value);
  }
  EXPECT_EQ(values, (std::set<std::string>{"uno", "dos"}));
}

TEST_F(ProfileServiceTest, ResealWithAWrongKeyChangesNothing) {
  auto env = Env(agent_);
  OsUser(agent_, env.entry.id, "uno");
  testing::XorSecretBox wrong('w'), next('n');
  auto before =
      ReadValue(store_, [](ReadTx& tx) { return tx.profiles().ListSecrets(std::nullopt); });
  auto r = ProfileService::Reseal(store_, wrong, next, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  auto after =
      ReadValue(store_, [](ReadTx& tx) { return tx.profiles().ListSecrets(std::nullopt); });
  ASSERT_EQ(after->size(), before->size());
  EXPECT_EQ(after->front().sealed.ciphertext, before->front().sealed.ciphertext);
  EXPECT_TRUE(ProfileService::CheckKey(store_, box_));
}

}  // namespace
}  // namespace soporte::app
