// tx.audit() on every backend: a user's history (and ending a user's API tokens with it), a
// profile's history and the audit log. The ticket history is checked with its articles
// (ticket_repository_conformance_test.cpp), the profile history also with the reveal log
// (profile_repository_conformance_test.cpp).
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

// The audit log (0009): entries of every kind, listed newest first with the actor's name, by
// kind, since an instant and below a cursor; a missing actor and an entry without kind or field
// are refused; the system and unknown logins act without an actor.
TEST_P(AuditRepositoryTest, AuditLogIsListedNewestFirstAndPaged) {
  World();
  auto append = [&](std::string kind, UserId actor, std::int64_t at, std::string field,
                    std::string before, std::string after) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.audit().AppendAuditEntry(app::AuditEntryRecord{0, kind, 7, "Acme", actor, T(at),
                                                               actor.valid() ? "192.0.2.7" : "",
                                                               field, before, after});
    });
  };
  ASSERT_TRUE(append("org", UserId{}, kBase, "created", "", "Acme"));
  ASSERT_TRUE(append("contract", agent_.id, kBase + 10, "zone", "America/Bogota", "UTC"));
  ASSERT_TRUE(append("login", UserId{}, kBase + 20, "login", "", "wrong_password"));
  ASSERT_TRUE(append("login", agent_.id, kBase + 30, "login", "", "ok"));
  EXPECT_EQ(append("org", UserId{999}, kBase, "created", "", "x").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(append("", agent_.id, kBase, "created", "", "x").error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(append("org", agent_.id, kBase, "", "", "x").error().code, ErrorCode::kInvalidArgument);

  auto list = [&](app::AuditQuery q) {
    return R([&](app::ReadTx& tx) { return tx.audit().ListAuditEntries(q); });
  };
  auto all = list({});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].entry.after, "ok");
  EXPECT_EQ((*all)[0].actor_name, agent_.name);
  EXPECT_EQ((*all)[0].entry.source, "192.0.2.7");
  EXPECT_EQ((*all)[3].entry.kind, "org");
  EXPECT_EQ((*all)[3].actor_name, "");
  EXPECT_FALSE((*all)[3].entry.actor_id.valid());
  const app::AuditEntryRecord& zone = (*all)[2].entry;
  EXPECT_EQ(zone.kind, "contract");
  EXPECT_EQ(zone.subject_id, 7);
  EXPECT_EQ(zone.subject, "Acme");
  EXPECT_EQ(zone.at, T(kBase + 10));
  EXPECT_EQ(zone.field, "zone");
  EXPECT_EQ(zone.before, "America/Bogota");
  EXPECT_EQ(zone.after, "UTC");
  EXPECT_GT((*all)[0].entry.id, (*all)[1].entry.id);

  auto logins = list({.kind = "login"});
  ASSERT_EQ(logins->size(), 2u);
  EXPECT_EQ((*logins)[1].entry.after, "wrong_password");
  EXPECT_EQ(list({.since = T(kBase + 10)})->size(), 3u);
  auto first = list({.limit = 2});
  ASSERT_EQ(first->size(), 2u);
  auto second = list({.before_id = first->back().entry.id, .limit = 2});
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].entry.field, "zone");
  EXPECT_TRUE(list({.before_id = second->back().entry.id})->empty());
  EXPECT_EQ(list({.limit = 0}).error().code, ErrorCode::kInvalidArgument);
}

// A profile's history (0005) is per organisation and in order; the system acts without an
// actor; a record without kind or action, a missing organisation or actor are refused.
TEST_P(AuditRepositoryTest, ProfileEventsArePerOrganisationAndInOrder) {
  World();
  const auto other = Org("globex");
  auto append = [&](OrgId org, UserId actor, std::string kind, std::string action) {
    return store_->Write([&](app::WriteTx& tx) {
      return tx.audit().AppendProfileEvent(app::ProfileEventRecord{
          0, org, actor, T(kBase + 5), ProfileEntryId{3}, kind, action, "user: app"});
    });
  };
  ASSERT_TRUE(append(org_.id, UserId{}, "os_user", "created"));
  ASSERT_TRUE(append(other.id, agent_.id, "contact", "created"));
  ASSERT_TRUE(append(org_.id, agent_.id, "secret", "revealed"));
  EXPECT_EQ(append(org_.id, agent_.id, "", "created").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(append(org_.id, agent_.id, "os_user", "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(append(OrgId{999}, agent_.id, "os_user", "created").error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(append(org_.id, UserId{999}, "os_user", "created").error().code,
            ErrorCode::kFailedPrecondition);

  auto events = R([&](app::ReadTx& tx) { return tx.audit().ListProfileEvents(org_.id); });
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].org_id, org_.id);
  EXPECT_FALSE((*events)[0].actor_id.valid());
  EXPECT_EQ((*events)[0].at, T(kBase + 5));
  EXPECT_EQ((*events)[0].entry_id, ProfileEntryId{3});
  EXPECT_EQ((*events)[0].kind, "os_user");
  EXPECT_EQ((*events)[0].action, "created");
  EXPECT_EQ((*events)[0].detail, "user: app");
  EXPECT_EQ((*events)[1].actor_id, agent_.id);
  EXPECT_EQ((*events)[1].action, "revealed");
  EXPECT_GT((*events)[1].id, (*events)[0].id);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.audit().ListProfileEvents(other.id); })->size(), 1u);
}

SOPORTE_ON_EVERY_BACKEND(AuditRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
