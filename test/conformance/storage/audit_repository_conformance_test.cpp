// tx.audit() on every backend: a user's history (and ending a user's API tokens with it). The
// ticket history is checked with its articles (ticket_repository_conformance_test.cpp), the
// profile history with the reveal log (profile_repository_conformance_test.cpp).
#include <string>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class AuditRepositoryTest : public StoreTest {};

// A user's history (0007) is per user and in order; the system acts without an actor; a
// missing user or actor is refused. A deactivated account's API tokens end, and only theirs.
TEST_P(AuditRepositoryTest, UserEventsAndEndingAUsersApiTokens) {
  World();
  auto append = [&](UserId user, UserId actor, const std::string& field, const std::string& before,
                    const std::string& after) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.audit().AppendUserEvent(
          app::UserEventRecord{0, user, actor, T(kBase + 5), field, before, after});
    });
  };
  ASSERT_TRUE(append(customer_.id, UserId{}, "created", "", "customer"));
  ASSERT_TRUE(append(customer_.id, agent_.id, "org_admin", "false", "true"));
  ASSERT_TRUE(append(agent_.id, agent_.id, "lang", "", "en"));
  EXPECT_EQ(append(UserId{999}, agent_.id, "lang", "", "en").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(append(customer_.id, UserId{999}, "lang", "", "en").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(append(customer_.id, agent_.id, "", "", "en").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(append(UserId{}, agent_.id, "lang", "", "en").error().code,
            ErrorCode::kInvalidArgument);
  auto events = R([&](app::ReadTx& tx) { return tx.audit().ListUserEvents(customer_.id); });
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].field, "created");
  EXPECT_FALSE((*events)[0].actor_id.valid());
  EXPECT_EQ((*events)[1].field, "org_admin");
  EXPECT_EQ((*events)[1].actor_id, agent_.id);
  EXPECT_EQ((*events)[1].before, "false");
  EXPECT_EQ((*events)[1].after, "true");
  EXPECT_EQ((*events)[1].at, T(kBase + 5));
  EXPECT_GT((*events)[1].id, (*events)[0].id);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.audit().ListUserEvents(agent_.id); })->size(), 1u);

  for (const auto& [hash, user] : std::vector<std::pair<std::string, UserId>>{
           {"t1", customer_.id}, {"t2", customer_.id}, {"t3", agent_.id}}) {
    ASSERT_TRUE(W([&](app::WriteTx& tx) {
      return tx.accounts().InsertApiToken(app::ApiTokenRecord{0, hash, user, "ci", T(kBase)});
    }));
  }
  auto ended = W([&](app::WriteTx& tx) { return tx.accounts().DeleteUserApiTokens(customer_.id); });
  ASSERT_TRUE(ended);
  EXPECT_EQ(*ended, 2);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t1"); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t2"); }));
  EXPECT_TRUE(R([&](app::ReadTx& tx) { return tx.accounts().GetApiToken("t3"); }));
  EXPECT_EQ(*W([&](app::WriteTx& tx) { return tx.accounts().DeleteUserApiTokens(customer_.id); }),
            0);
}

SOPORTE_ON_EVERY_BACKEND(AuditRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
