// Export and import of a profile (app/profiles/profile_transfer): round trip into another
// organisation, merge by identity (idempotent) and replace, secrets left out or carried
// encrypted (a reveal, logged), and bad documents refused with the entry named and nothing
// written. MemoryStore, FakeClock, a fake secret box and a fake passphrase cipher.
#include "app/profiles/profile_transfer.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "app/profiles/profile_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::ProfileEntryId;
using domain::ProfileKind;
using domain::Role;

constexpr Instant kNow{Seconds{1796418000}};

// "Encrypts" by prefixing the passphrase and context: opens only with both. Not secure; the real
// cipher is tested in test/unit/transport/security/passphrase_box_test.cpp.
class FakePassphraseKey final : public PassphraseKey {
 public:
  FakePassphraseKey(std::string pass, PassphraseParams p) : pass_(std::move(pass)), params_(std::move(p)) {}
  const PassphraseParams& params() const override { return params_; }
  Result<PassphraseSealed> Seal(std::string_view plain, std::string_view context) const override {
    std::string hidden;
    for (char c : plain) hidden.push_back(static_cast<char>(c ^ 0x5a));
    return PassphraseSealed{pass_ + "|" + std::string(context), hidden};
  }
  Result<std::string> Open(const PassphraseSealed& v, std::string_view context) const override {
    if (v.nonce != pass_ + "|" + std::string(context)) {
      return Fail(ErrorCode::kInvalidArgument, "does not decrypt: a wrong passphrase, or the document was altered");
    }
    std::string out;
    for (char c : v.ciphertext) out.push_back(static_cast<char>(c ^ 0x5a));
    return out;
  }

 private:
  std::string pass_;
  PassphraseParams params_;
};

class FakePassphraseCrypto final : public PassphraseCrypto {
 public:
  Result<std::unique_ptr<PassphraseKey>> NewKey(std::string_view pass) const override {
    return std::unique_ptr<PassphraseKey>(
        new FakePassphraseKey(std::string(pass), PassphraseParams{"fake", "fake", "salt", 1, 1}));
  }
  Result<std::unique_ptr<PassphraseKey>> DeriveKey(std::string_view pass, const PassphraseParams& p) const override {
    return std::unique_ptr<PassphraseKey>(new FakePassphraseKey(std::string(pass), p));
  }
};

class ProfileTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    profiles_ = std::make_unique<ProfileService>(store_, box_, clock_);
    transfer_ = std::make_unique<ProfileTransfer>(store_, box_, crypto_, clock_);
    ASSERT_TRUE(admin_->CreateOrg(SystemPrincipal(), "acme", "ACME"));
    ASSERT_TRUE(admin_->CreateOrg(SystemPrincipal(), "globex", "Globex"));
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt, false);
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme", false);
    globex_admin_ = Make("gloria@globex.example.com", Role::kCustomer, "globex", true);
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org, bool org_admin) {
    NewUser in{email, "N " + email, role, org, "password123"};
    in.org_admin = org_admin;
    auto u = admin_->CreateUser(SystemPrincipal(), in);
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  ProfileEntryId Add(const std::string& org, ProfileKind kind, std::optional<ProfileEntryId> parent,
                     std::map<std::string, std::string> fields,
                     std::map<std::string, std::optional<std::string>> secrets = {}) {
    ProfileEntryInput in;
    in.parent = parent;
    in.fields = std::move(fields);
    in.secrets = std::move(secrets);
    auto r = profiles_->Create(agent_, org, kind, in);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->entry.id : ProfileEntryId{};
  }

  // acme: an environment with a host and an OS user (with a password), a component with a
  // patch, and a contact who reports to one created after her (so id order is not enough).
  void Populate() {
    const auto env = Add("acme", ProfileKind::kEnvironment, std::nullopt, {{"kind", "prod"}, {"name", "Producción"}});
    Add("acme", ProfileKind::kHost, env, {{"address", "app01.acme.example.com"}, {"port", "8443"}});
    Add("acme", ProfileKind::kOsUser, env, {{"user", "foxsvc"}}, {{"password", "Clave-Secreta-1"}});
    const auto comp = Add("acme", ProfileKind::kComponent, env, {{"name", "FOX"}, {"version", "1.4"}});
    Add("acme", ProfileKind::kPatch, comp, {{"name", "hotfix-12"}, {"applied_on", "2026-10-01"}});
    const auto walter = Add("acme", ProfileKind::kContact, std::nullopt, {{"name", "Walter"}});
    const auto boss = Add("acme", ProfileKind::kContact, std::nullopt, {{"name", "Beatriz"}});
    ProfileEntryInput up;
    up.fields = {{"name", "Walter"}, {"reports_to", std::to_string(boss.value())}};
    ASSERT_TRUE(profiles_->Update(agent_, "acme", ProfileKind::kContact, walter, up));
  }

  // The profile of `org` as comparable text: kinds, fields (references by name), parents by
  // their fields, and which secrets are set, in a stable order.
  std::multiset<std::string> Shape(const std::string& org) {
    auto v = profiles_->Get(agent_, org);
    EXPECT_TRUE(v);
    std::map<std::int64_t, std::string> names;
    for (const auto& e : v->entries) {
      std::string s = std::string(domain::SpecOf(e.entry.kind).name);
      for (const auto& [k, val] : e.entry.fields) {
        if (k != "reports_to") s += " " + k + "=" + val;
      }
      names[e.entry.id.value()] = s;
    }
    std::multiset<std::string> out;
    for (const auto& e : v->entries) {
      std::string s = names[e.entry.id.value()];
      if (e.entry.parent.valid()) s += " <- " + names[e.entry.parent.value()];
      auto r = e.entry.fields.find("reports_to");
      if (r != e.entry.fields.end()) s += " reports_to " + names[std::stoll(r->second)];
      for (const auto& [f, id] : e.secrets) s += " secret:" + f;
      out.insert(s);
    }
    return out;
  }

  std::string RevealFirst(const std::string& org) {
    auto v = profiles_->Get(agent_, org);
    for (const auto& e : v->entries) {
      for (const auto& [f, id] : e.secrets) {
        auto r = profiles_->Reveal(agent_, org, id, "test");
        EXPECT_TRUE(r);
        return r ? r->value : "";
      }
    }
    return "";
  }

  FakeClock clock_{kNow};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::XorSecretBox box_{'k'};
  FakePassphraseCrypto crypto_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<ProfileService> profiles_;
  std::unique_ptr<ProfileTransfer> transfer_;
  Principal agent_, customer_, globex_admin_;
};

TEST_F(ProfileTransferTest, ExportOrdersParentsAndBossesFirstWithPortableKeys) {
  Populate();
  auto doc = transfer_->Export(customer_, "acme", {});
  ASSERT_TRUE(doc) << doc.error().message;
  EXPECT_EQ(doc->organisation, "acme");
  EXPECT_FALSE(doc->encryption);
  ASSERT_EQ(doc->entries.size(), 7u);
  std::set<std::string> seen;
  for (const auto& e : doc->entries) {
    if (!e.parent.empty()) {
      EXPECT_TRUE(seen.contains(e.parent)) << e.key;
    }
    if (e.fields.contains("reports_to")) {
      EXPECT_TRUE(seen.contains(e.fields.at("reports_to"))) << e.key;
    }
    seen.insert(e.key);
    for (const auto& [f, s] : e.secrets) {
      EXPECT_TRUE(s.set);
      EXPECT_FALSE(s.value);  // left out by default
    }
  }
  EXPECT_TRUE(seen.contains("contact-2"));
}

TEST_F(ProfileTransferTest, RoundTripIntoAnotherOrganisationAndMergeIsIdempotent) {
  Populate();
  auto doc = transfer_->Export(agent_, "acme", {true, "una frase muy larga", "migración a globex"});
  ASSERT_TRUE(doc) << doc.error().message;
  ASSERT_TRUE(doc->encryption);
  auto r = transfer_->Import(globex_admin_, "globex", {*doc, ImportMode::kMerge, "una frase muy larga"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 7);
  EXPECT_EQ(r->secrets_imported, 1);
  EXPECT_EQ(Shape("globex"), Shape("acme"));
  EXPECT_EQ(RevealFirst("globex"), "Clave-Secreta-1");

  // Again: everything matches by identity; nothing is added or changed.
  r = transfer_->Import(globex_admin_, "globex", {*doc, ImportMode::kMerge, "una frase muy larga"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->created, 0);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(r->unchanged, 7);
  EXPECT_EQ(Shape("globex"), Shape("acme"));
}

TEST_F(ProfileTransferTest, ExportingSecretsIsARevealForTheSamePeopleAndIsLogged) {
  Populate();
  auto denied = transfer_->Export(customer_, "acme", {true, "una frase muy larga", "quiero verlas"});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto no_reason = transfer_->Export(agent_, "acme", {true, "una frase muy larga", "  "});
  ASSERT_FALSE(no_reason);
  EXPECT_NE(no_reason.error().message.find("reason"), std::string::npos);
  auto short_pass = transfer_->Export(agent_, "acme", {true, "corta", "migración"});
  ASSERT_FALSE(short_pass);
  EXPECT_NE(short_pass.error().message.find("at least 12 characters"), std::string::npos);
  auto other = transfer_->Export(globex_admin_, "acme", {});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  const Principal supervisor = Make("sofia@example.com", Role::kSupervisor, std::nullopt, false);
  auto log = profiles_->ListReveals(supervisor, "acme");
  ASSERT_TRUE(log);
  EXPECT_TRUE(log->empty());

  auto doc = transfer_->Export(agent_, "acme", {true, "una frase muy larga", "migración"});
  ASSERT_TRUE(doc);
  for (const auto& e : doc->entries) {
    for (const auto& [f, s] : e.secrets) {
      ASSERT_TRUE(s.value);
      EXPECT_EQ(s.value->ciphertext.find("Clave-Secreta-1"), std::string::npos);
    }
  }
  log = profiles_->ListReveals(supervisor, "acme");
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->front().record.actor_id, agent_.user_id);
  EXPECT_EQ(log->front().record.reason, "profile export: migración");
  auto history = profiles_->History(agent_, "acme");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().record.action, "exported");
}

TEST_F(ProfileTransferTest, BadDocumentsAreRefusedWholeNamingTheEntry) {
  Populate();
  auto doc = transfer_->Export(agent_, "acme", {true, "una frase muy larga", "copia"});
  ASSERT_TRUE(doc);
  const auto before = Shape("globex");
  auto expect_refused = [&](ProfileDocument d, const std::string& pass, const std::string& named) {
    auto r = transfer_->Import(agent_, "globex", {std::move(d), ImportMode::kMerge, pass});
    ASSERT_FALSE(r) << named;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(named), std::string::npos) << r.error().message;
    EXPECT_EQ(Shape("globex"), before);
  };
  expect_refused(*doc, "otra frase muy larga", "passphrase is wrong");
  expect_refused(*doc, "", "passphrase is required");
  auto d = *doc;
  d.entries[1].parent = "environment-9";
  expect_refused(d, "una frase muy larga", "entries[1] (" + d.entries[1].key + "): parent 'environment-9'");
  d = *doc;
  d.entries.back().fields["name"] = "";
  expect_refused(d, "una frase muy larga", "name is required for a contact");
  d = *doc;
  d.entries[2].key = d.entries[0].key;
  expect_refused(d, "una frase muy larga", "key is used by an earlier entry");
  d = *doc;
  for (auto& e : d.entries) {  // a value moved to another entry does not open there
    if (!e.secrets.empty()) e.secrets.begin()->second.value->nonce = "una frase muy larga|elsewhere";
  }
  expect_refused(d, "una frase muy larga", "does not decrypt");
}

TEST_F(ProfileTransferTest, ReplaceRemovesWhatTheDocumentLacksAndWhoMayImport) {
  Populate();
  Add("globex", ProfileKind::kContact, std::nullopt, {{"name", "Antiguo"}});
  auto doc = transfer_->Export(agent_, "acme", {});
  ASSERT_TRUE(doc);
  auto denied = transfer_->Import(customer_, "acme", {*doc, ImportMode::kMerge, ""});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  auto hidden = transfer_->Import(globex_admin_, "acme", {*doc, ImportMode::kMerge, ""});
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);

  auto merged = transfer_->Import(globex_admin_, "globex", {*doc, ImportMode::kMerge, ""});
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->secrets_skipped, 1);
  EXPECT_EQ(Shape("globex").size(), 8u);  // merge keeps "Antiguo"
  auto replaced = transfer_->Import(globex_admin_, "globex", {*doc, ImportMode::kReplace, ""});
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(replaced->deleted, 8);
  EXPECT_EQ(replaced->created, 7);
  auto acme = Shape("acme");
  auto globex = Shape("globex");
  EXPECT_EQ(globex.size(), 7u);
  // The password was not in the document: the replaced profile has none.
  EXPECT_NE(globex, acme);
  auto history = profiles_->History(globex_admin_, "globex");
  ASSERT_TRUE(history);
  EXPECT_EQ(history->back().record.action, "imported");
  EXPECT_NE(history->back().record.detail.find("replace"), std::string::npos);
}

}  // namespace
}  // namespace soporte::app
