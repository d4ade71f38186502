// tx.accounts() on every backend: users (stored lower-case, unique by email), sessions and API
// tokens, password reset links, and the races a desk on several threads (or nodes) runs.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class AccountRepositoryTest : public StoreTest {};

TEST_P(AccountRepositoryTest, UsersAreStoredLowerCaseAndUniqueByEmail) {
  const auto org = Org("acme");
  const auto ana = User("  Ana@ACME.test ", org.id);
  EXPECT_EQ(ana.email, "ana@acme.test");
  auto got = R([&](app::ReadTx& tx) { return tx.accounts().GetUserByEmail("ana@acme.test"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, ana.id);
  EXPECT_EQ(got->role, domain::Role::kCustomer);
  EXPECT_EQ(got->org_id, org.id);
  EXPECT_EQ(got->password_hash, "hash");

  auto clash = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertUser(domain::User{
        UserId{}, "ANA@acme.test", "Otra", domain::Role::kCustomer, org.id, "", true, T(kBase)});
  });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(clash.error().message, "a user with email 'ana@acme.test' already exists");

  const auto luis = User("luis@vendor.test", OrgId{}, domain::Role::kAgent);
  auto customer_without_org = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertUser(domain::User{UserId{}, "x@y.test", "X", domain::Role::kCustomer,
                                                 OrgId{}, "", true, T(kBase)});
  });
  EXPECT_EQ(customer_without_org.error().code, ErrorCode::kInvalidArgument);

  // UpdateUser: changes stick; taking another's email clashes; an unknown id is kNotFound.
  domain::User renamed = luis;
  renamed.name = "Luis P.";
  renamed.active = false;
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.accounts().UpdateUser(renamed); }));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetUser(luis.id); })->name, "Luis P.");
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetUser(luis.id); })->active);
  renamed.email = "ana@acme.test";
  auto st = store_->Write([&](app::WriteTx& tx) { return tx.accounts().UpdateUser(renamed); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kAlreadyExists);
  renamed.id = UserId{999};
  renamed.email = "nobody@vendor.test";
  EXPECT_EQ(store_->Write([&](app::WriteTx& tx) { return tx.accounts().UpdateUser(renamed); })
                .error()
                .code,
            ErrorCode::kNotFound);

  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().ListUsers(std::nullopt); })->size(), 2u);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().ListUsers(org.id); })->size(), 1u);
}

TEST_P(AccountRepositoryTest, SessionsExpireAndTokensAreUnique) {
  World();
  auto put = [&](const std::string& h, long long expires) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.accounts().InsertSession(
          app::SessionRecord{h, customer_.id, "csrf-" + h, T(kBase), T(expires)});
    });
  };
  ASSERT_TRUE(put("h1", kBase + 10));
  ASSERT_TRUE(put("h2", kBase + 20));
  ASSERT_TRUE(put("h3", kBase + 30));
  EXPECT_EQ(put("h1", kBase + 99).error().code, ErrorCode::kAlreadyExists);
  auto got = R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h2"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->csrf_token, "csrf-h2");
  EXPECT_EQ(got->user_id, customer_.id);
  EXPECT_EQ(got->expires_at, T(kBase + 20));

  // Expired *before* now: h1 (10) goes; h2 expires exactly at now and stays.
  auto removed =
      W([&](app::WriteTx& tx) { return tx.accounts().DeleteExpiredSessions(T(kBase + 20)); });
  ASSERT_TRUE(removed);
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h1"); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h2"); }));
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.accounts().DeleteSession("h2"); }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("h2"); }));

  auto tok = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertApiToken(app::ApiTokenRecord{0, "th", agent_.id, "ci", T(kBase)});
  });
  ASSERT_TRUE(tok);
  EXPECT_GT(tok->id, 0);
  auto tgot = R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("th"); });
  ASSERT_TRUE(tgot);
  EXPECT_EQ(tgot->id, tok->id);
  EXPECT_EQ(tgot->name, "ci");
  EXPECT_EQ(W([&](app::WriteTx& tx) {
              return tx.accounts().InsertApiToken(
                  app::ApiTokenRecord{0, "th", agent_.id, "again", T(kBase)});
            })
                .error()
                .code,
            ErrorCode::kAlreadyExists);

  // First use: recorded once, by one caller; listed; revoked once.
  EXPECT_FALSE(tgot->first_used_at);
  auto first = W(
      [&](app::WriteTx& tx) { return tx.accounts().MarkApiTokenFirstUse(tok->id, T(kBase + 5)); });
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  auto again = W(
      [&](app::WriteTx& tx) { return tx.accounts().MarkApiTokenFirstUse(tok->id, T(kBase + 9)); });
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);
  auto listed = R([&](app::ReadTx& tx) { return tx.accounts().ListUserApiTokens(agent_.id); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().first_used_at, T(kBase + 5));
  auto revoked = W([&](app::WriteTx& tx) { return tx.accounts().DeleteApiToken(tok->id); });
  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->name, "ci");
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.accounts().DeleteApiToken(tok->id); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.accounts().MarkApiTokenFirstUse(tok->id, T(kBase + 9)); })
          .error()
          .code,
      ErrorCode::kNotFound);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("th"); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(AccountRepositoryTest, PasswordResetsOnePerUserAndSessionsEndedPerUser) {
  World();
  auto put = [&](const std::string& h, UserId u) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.accounts().PutPasswordReset(
          app::PasswordResetRecord{h, u, T(kBase), T(kBase + 3600)});
    });
  };
  ASSERT_TRUE(put("r1", customer_.id));
  auto got = R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->user_id, customer_.id);
  EXPECT_EQ(got->expires_at, T(kBase + 3600));
  // A newer link replaces the older one of the same user.
  ASSERT_TRUE(put("r2", customer_.id));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r1"); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r2"); }));
  EXPECT_EQ(put("r2", agent_.id).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(put("r9", UserId{999}).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.accounts().DeletePasswordReset(customer_.id); }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r2"); }));

  for (const char* h : {"s1", "s2"}) {
    ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
      return tx.accounts().InsertSession(
          app::SessionRecord{h, customer_.id, "c", T(kBase), T(kBase + 99)});
    }));
  }
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.accounts().InsertSession(
        app::SessionRecord{"s3", agent_.id, "c", T(kBase), T(kBase + 99)});
  }));
  auto ended = W([&](app::WriteTx& tx) { return tx.accounts().DeleteUserSessions(customer_.id); });
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("s1"); }));
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("s3"); }));
}

// Clashes are answers, not broken transactions (PostgreSQL aborts a transaction on a failed
// statement): a write that meets a taken email, session, token or reset link goes on and commits.
TEST_P(AccountRepositoryTest, ClashesAreAnsweredAndTheWriteGoesOn) {
  World();
  auto expect = [](const auto& r, ErrorCode code, const char* what) -> Status {
    if (r || r.error().code != code) return Fail(ErrorCode::kInternal, what);
    return Ok();
  };
  const Status st = store_->Write([&](app::WriteTx& tx) -> Status {
    auto& a = tx.accounts();
    domain::User dup = customer_;
    dup.id = UserId{};
    dup.email = "ANA@acme.test";
    SOPORTE_TRY_STATUS(expect(a.InsertUser(dup), ErrorCode::kAlreadyExists, "insert user"));
    domain::User moved = agent_;
    moved.email = customer_.email;
    SOPORTE_TRY_STATUS(expect(a.UpdateUser(moved), ErrorCode::kAlreadyExists, "update user"));
    moved.id = UserId{999};
    SOPORTE_TRY_STATUS(expect(a.UpdateUser(moved), ErrorCode::kNotFound, "absent user"));
    SOPORTE_TRY_STATUS(
        a.InsertSession(app::SessionRecord{"s1", agent_.id, "c", T(kBase), T(kBase + 60)}));
    SOPORTE_TRY_STATUS(
        expect(a.InsertSession(app::SessionRecord{"s1", customer_.id, "c", T(kBase), T(kBase)}),
               ErrorCode::kAlreadyExists, "session"));
    SOPORTE_TRY_STATUS(a.InsertApiToken(app::ApiTokenRecord{0, "t1", agent_.id, "ci", T(kBase)}));
    SOPORTE_TRY_STATUS(
        expect(a.InsertApiToken(app::ApiTokenRecord{0, "t1", agent_.id, "ci2", T(kBase)}),
               ErrorCode::kAlreadyExists, "token"));
    SOPORTE_TRY_STATUS(
        expect(a.InsertApiToken(app::ApiTokenRecord{0, "t2", UserId{999}, "ci", T(kBase)}),
               ErrorCode::kFailedPrecondition, "token of nobody"));
    SOPORTE_TRY_STATUS(
        a.PutPasswordReset(app::PasswordResetRecord{"r1", agent_.id, T(kBase), T(kBase + 60)}));
    SOPORTE_TRY_STATUS(expect(
        a.PutPasswordReset(app::PasswordResetRecord{"r1", customer_.id, T(kBase), T(kBase + 60)}),
        ErrorCode::kAlreadyExists, "reset link"));
    moved = agent_;
    moved.name = "Luis M.";
    return a.UpdateUser(moved);
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetUser(agent_.id); })->name, "Luis M.");
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetSession("s1"); }));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t1"); })->name, "ci");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetPasswordReset("r1"); })->user_id,
            agent_.id);
}

// Callers racing on one store: of several first uses of a token exactly one records it, and of
// several sign-ups with one email exactly one succeeds while the others are told kAlreadyExists
// (on PostgreSQL, without a failed statement that would abort their transactions).
TEST_P(AccountRepositoryTest, RacingFirstUsesAndSignUpsHaveOneWinner) {
  World();
  auto tok = W([&](app::WriteTx& tx) {
    return tx.accounts().InsertApiToken(app::ApiTokenRecord{0, "race", agent_.id, "ci", T(kBase)});
  });
  ASSERT_TRUE(tok);
  constexpr int kThreads = 6;
  std::atomic<int> recorded{0}, created{0}, taken{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      auto first = W([&](app::WriteTx& tx) {
        return tx.accounts().MarkApiTokenFirstUse(tok->id, T(kBase + 10 + i));
      });
      if (!first) {
        ++other;
      } else if (*first) {
        ++recorded;
      }
      domain::User u{UserId{},
                     "Race@Acme.test",
                     "Racer " + std::to_string(i),
                     domain::Role::kCustomer,
                     org_.id,
                     "hash",
                     true,
                     T(kBase)};
      auto r = W([&](app::WriteTx& tx) { return tx.accounts().InsertUser(u); });
      if (r) {
        ++created;
      } else if (r.error().code == ErrorCode::kAlreadyExists) {
        ++taken;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(recorded.load(), 1);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(taken.load(), kThreads - 1);
  auto listed = R([&](app::ReadTx& tx) { return tx.accounts().ListUserApiTokens(agent_.id); });
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE(listed->front().first_used_at.has_value());
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetUserByEmail("race@acme.test"); }));
}

SOPORTE_ON_EVERY_BACKEND(AccountRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
