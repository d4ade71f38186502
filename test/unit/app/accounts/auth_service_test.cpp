#include "app/accounts/auth_service.hpp"

#include <gtest/gtest.h>

#include "app/accounts/admin_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

constexpr Instant kT0{Seconds{1796418000}};

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    auth_ = std::make_unique<AuthService>(store_, hasher_, tokens_, throttle_, clock_, AuthOptions{Seconds{3600}});
    ASSERT_TRUE(admin_->CreateUser(SystemPrincipal(),
                                   NewUser{"Andrea@Example.com", "Andrea", domain::Role::kAgent, std::nullopt, "password123"}));
  }

  FakeClock clock_{kT0};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::CountingTokens tokens_;
  LoginThrottle throttle_{store_, clock_, ThrottleLimits{3, 5, Seconds{900}}};
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, LoginCreatesASessionThatExpires) {
  auto login = auth_->Login("  ANDREA@example.com ", "password123", "10.0.0.1");
  ASSERT_TRUE(login) << login.error().message;
  EXPECT_EQ(login->principal.email, "andrea@example.com");
  auto who = auth_->FromSession(login->session_token);
  ASSERT_TRUE(who);
  EXPECT_TRUE(who->via_session);
  EXPECT_EQ(who->csrf_token, login->csrf_token);
  clock_.Advance(Seconds{3600});
  EXPECT_EQ(auth_->FromSession(login->session_token).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(AuthServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  auto wrong = auth_->Login("andrea@example.com", "nope-nope", "10.0.0.1");
  auto unknown = auth_->Login("nadie@example.com", "nope-nope", "10.0.0.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

// Failing on purpose cannot lock a person out: the pair that failed waits, the right password
// from an address that has not been failing gets in at once.
TEST_F(AuthServiceTest, ThrottlesThePairThatFailsNeverTheAccount) {
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  auto blocked = auth_->Login("andrea@example.com", "password123", "10.0.0.1");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kResourceExhausted);
  EXPECT_EQ(blocked.error().retry_after, Seconds{900});
  EXPECT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.2"));
  clock_.Advance(Seconds{300});
  EXPECT_EQ(auth_->Login("andrea@example.com", "password123", "10.0.0.1").error().retry_after,
            Seconds{600});
  clock_.Advance(Seconds{600});
  EXPECT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.1"));
}

// A success clears its own pair only: the next failures from there count from zero.
TEST_F(AuthServiceTest, ASuccessClearsItsPair) {
  for (int i = 0; i < 2; ++i)
    EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.1"));
  for (int i = 0; i < 2; ++i)
    EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.1"));
}

TEST_F(AuthServiceTest, ThrottlesPerAddressAcrossAccounts) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(auth_->Login("user" + std::to_string(i) + "@example.com", "bad-pass", "10.9.9.9"));
  }
  EXPECT_EQ(auth_->Login("andrea@example.com", "password123", "10.9.9.9").error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.3"));
}

// Two nodes on one store (two throttles, two services) count the same failures: failing on
// one and then on the other does not double the allowance.
TEST_F(AuthServiceTest, NodesOnOneStoreShareTheWindows) {
  LoginThrottle other_throttle{store_, clock_, ThrottleLimits{3, 5, Seconds{900}}};
  AuthService other(store_, hasher_, tokens_, other_throttle, clock_, AuthOptions{Seconds{3600}});
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_FALSE(other.Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_EQ(other.Login("andrea@example.com", "password123", "10.0.0.1").error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(auth_->Login("andrea@example.com", "password123", "10.0.0.1").error().code,
            ErrorCode::kResourceExhausted);
  EXPECT_TRUE(other.Login("andrea@example.com", "password123", "10.0.0.2"));
}

// The prune job removes what left every window, and only that.
TEST_F(AuthServiceTest, PruneRemovesOnlyFailuresOlderThanTheWindow) {
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  clock_.Advance(Seconds{600});
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  clock_.Advance(Seconds{400});  // the first failure is 1000 s old, the second 400 s
  // Each failure is two rows (the pair's and the address's); batches of one row.
  auto pruned = PruneThrottleWindows(store_, clock_, Seconds{900}, 1, 10);
  ASSERT_TRUE(pruned) << pruned.error().message;
  EXPECT_EQ(*pruned, 2);
  pruned = PruneThrottleWindows(store_, clock_, Seconds{900}, 1, 10);
  EXPECT_EQ(*pruned, 0);
  // The younger failure still counts: two more fill the pair's limit of 3.
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_EQ(auth_->Login("andrea@example.com", "password123", "10.0.0.1").error().code,
            ErrorCode::kResourceExhausted);
  // A bounded run: one batch of one row at most.
  clock_.Advance(Seconds{3600});
  EXPECT_EQ(*PruneThrottleWindows(store_, clock_, Seconds{900}, 1, 1), 1);
}

// The happy path writes no throttle row and a success leaves none for its pair.
TEST_F(AuthServiceTest, ASuccessLeavesNoRowOfItsPair) {
  EXPECT_FALSE(auth_->Login("andrea@example.com", "bad-pass", "10.0.0.1"));
  EXPECT_TRUE(auth_->Login("andrea@example.com", "password123", "10.0.0.1"));
  auto pair = ReadValue(store_, [](ReadTx& tx) {
    return tx.throttle().CountFailures("login.pair:andrea@example.com\n10.0.0.1", kT0);
  });
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->count, 0);
  auto address = ReadValue(store_, [](ReadTx& tx) {
    return tx.throttle().CountFailures("login.address:10.0.0.1", kT0);
  });
  EXPECT_EQ(address->count, 1);
}

TEST_F(AuthServiceTest, LogoutEndsTheSessionAndTokensAuthenticate) {
  auto login = auth_->Login("andrea@example.com", "password123", "10.0.0.1");
  ASSERT_TRUE(login);
  ASSERT_TRUE(auth_->Logout(login->session_token));
  EXPECT_FALSE(auth_->FromSession(login->session_token));
  auto token = auth_->CreateApiToken("andrea@example.com", "ci");
  ASSERT_TRUE(token);
  auto who = auth_->FromBearer(*token);
  ASSERT_TRUE(who);
  EXPECT_FALSE(who->via_session);
  EXPECT_EQ(who->principal.role, domain::Role::kAgent);
  EXPECT_FALSE(auth_->FromBearer("tok-unknown"));
  EXPECT_EQ(auth_->CreateApiToken("nadie@example.com", "x").error().code, ErrorCode::kNotFound);
}

TEST_F(AuthServiceTest, ATokensFirstUseIsAuditedOnceAndARevokedTokenIsRefused) {
  auto token = auth_->CreateApiToken("andrea@example.com", "crm");
  ASSERT_TRUE(token);
  auto listed = auth_->ListApiTokens("andrea@example.com");
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_FALSE(listed->front().first_used_at);
  EXPECT_TRUE(listed->front().token_hash.empty());  // the hash stays in the store
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(auth_->FromBearer(*token, "10.1.2.3"));
    auth_->ForgetUser(listed->front().user_id);  // not from the cache: the store each time
  }
  listed = auth_->ListApiTokens("andrea@example.com");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->front().first_used_at);
  app::AuditQuery q;
  q.kind = "token";
  auto entries =
      app::ReadValue(store_, [&](app::ReadTx& tx) { return tx.audit().ListAuditEntries(q); });
  ASSERT_TRUE(entries);
  int first_uses = 0, revokes = 0;
  for (const auto& e : *entries) {
    if (e.entry.field == "first_used") {
      ++first_uses;
      EXPECT_EQ(e.entry.source, "10.1.2.3");
      EXPECT_EQ(e.entry.after, "crm");
    }
  }
  EXPECT_EQ(first_uses, 1);

  ASSERT_TRUE(auth_->RevokeApiToken(listed->front().id));
  EXPECT_EQ(auth_->FromBearer(*token).error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(auth_->RevokeApiToken(listed->front().id).error().code, ErrorCode::kNotFound);
  entries = app::ReadValue(store_, [&](app::ReadTx& tx) { return tx.audit().ListAuditEntries(q); });
  ASSERT_TRUE(entries);
  for (const auto& e : *entries) revokes += e.entry.field == "revoked" ? 1 : 0;
  EXPECT_EQ(revokes, 1);
  EXPECT_EQ(auth_->ListApiTokens("nadie@example.com").error().code, ErrorCode::kNotFound);
}

TEST(AdminServiceTest, OnlyManagersCreateAndSupervisorsCannotCreateAdmins) {
  FakeClock clock{kT0};
  storage::MemoryStore store;
  testing::PlainHasher hasher;
  auto sla = *sla::SlaEngine::Create();
  AdminService admin(store, hasher, sla, clock);
  auto sup = admin.CreateUser(SystemPrincipal(), NewUser{"s@example.com", "S", domain::Role::kSupervisor, std::nullopt, ""});
  auto agent = admin.CreateUser(SystemPrincipal(), NewUser{"a@example.com", "A", domain::Role::kAgent, std::nullopt, ""});
  ASSERT_TRUE(sup);
  ASSERT_TRUE(agent);
  EXPECT_EQ(admin.CreateOrg(PrincipalOf(*agent), "acme", "ACME").error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(admin.CreateOrg(PrincipalOf(*sup), "acme", "ACME"));
  EXPECT_EQ(admin.CreateOrg(PrincipalOf(*sup), "acme", "Otra").error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(admin.CreateOrg(PrincipalOf(*sup), "Bad Slug", "x").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(admin.CreateUser(PrincipalOf(*sup), NewUser{"x@example.com", "X", domain::Role::kAdmin, std::nullopt, ""})
                .error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(admin.CreateUser(SystemPrincipal(), NewUser{"c@example.com", "C", domain::Role::kCustomer, std::nullopt, ""})
                .error().code, ErrorCode::kInvalidArgument) << "a customer needs an organisation";
  EXPECT_EQ(admin.CreateUser(SystemPrincipal(), NewUser{"c@example.com", "C", domain::Role::kCustomer, "acme", "short"})
                .error().code, ErrorCode::kInvalidArgument) << "password too short";
  NewContract bad;
  bad.modality = sla::Modality::k8x5;
  bad.zone = "Mars/Olympus";
  EXPECT_EQ(admin.CreateContract(SystemPrincipal(), "acme", bad).error().code, ErrorCode::kInvalidArgument);
  bad.zone = "America/Bogota";
  domain::ChannelSet phone;
  phone.Add(sla::Channel::kPhone);
  bad.channels = phone;
  EXPECT_EQ(admin.CreateContract(SystemPrincipal(), "acme", bad).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace soporte::app
