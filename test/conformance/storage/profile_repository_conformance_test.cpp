// tx.profiles() on every backend (0005_profile.sql): entries with their fields and parents, sealed
// secrets (upsert by entry and field, removed with their entry), the append-only reveal log and
// the profile's history, and the org_admin flag on users.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class ProfileRepositoryTest : public ProfileStoreTest {};

TEST_P(ProfileRepositoryTest, EntriesRoundTripWithFieldsAndParents) {
  auto env = Insert(ProfileKind::kEnvironment, {}, {{"kind", "qa"}, {"name", "Calidad"}});
  ASSERT_TRUE(env) << env.error().message;
  auto host = Insert(ProfileKind::kHost, env->id, {{"address", "10.0.0.1"}, {"port", "22"}});
  ASSERT_TRUE(host) << host.error().message;
  auto got =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().GetProfileEntry(host->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->kind, ProfileKind::kHost);
  EXPECT_EQ(got->parent, env->id);
  EXPECT_EQ(got->fields,
            (std::map<std::string, std::string>{{"address", "10.0.0.1"}, {"port", "22"}}));
  auto list =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().ListProfileEntries(acme_); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, env->id);
  EXPECT_EQ((*list)[1].fields.at("address"), "10.0.0.1");
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) {
                return tx.profiles().ListProfileEntries(globex_);
              })->empty());

  // Update replaces the fields.
  ProfileEntry changed = *got;
  changed.fields = {{"address", "10.0.0.2"}};
  changed.updated_at = T(kBase + 5);
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.profiles().UpdateProfileEntry(changed); }));
  got =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().GetProfileEntry(host->id); });
  EXPECT_EQ(got->fields, (std::map<std::string, std::string>{{"address", "10.0.0.2"}}));
  EXPECT_EQ(got->updated_at, T(kBase + 5));
  EXPECT_EQ(got->created_at, T(kBase));
}

TEST_P(ProfileRepositoryTest, BadEntriesAreRefusedTheSameWay) {
  auto env = Insert(ProfileKind::kEnvironment, {}, {{"kind", "qa"}, {"name", "Calidad"}});
  ASSERT_TRUE(env);
  auto no_parent = Insert(ProfileKind::kHost, {}, {{"address", "h"}});
  ASSERT_FALSE(no_parent);
  EXPECT_EQ(no_parent.error().code, ErrorCode::kInvalidArgument);
  auto missing_parent = Insert(ProfileKind::kHost, ProfileEntryId{999}, {{"address", "h"}});
  ASSERT_FALSE(missing_parent);
  EXPECT_EQ(missing_parent.error().code, ErrorCode::kFailedPrecondition);
  auto wrong_kind = Insert(ProfileKind::kPatch, env->id, {{"name", "p"}});
  ASSERT_FALSE(wrong_kind);
  EXPECT_EQ(wrong_kind.error().code, ErrorCode::kFailedPrecondition);
  auto other_org = Insert(ProfileKind::kHost, env->id, {{"address", "h"}}, globex_);
  ASSERT_FALSE(other_org);
  EXPECT_EQ(other_org.error().code, ErrorCode::kFailedPrecondition);
  auto bad_field = Insert(ProfileKind::kHost, env->id, {{"address", "h"}, {"port", "0"}});
  ASSERT_FALSE(bad_field);
  EXPECT_EQ(bad_field.error().code, ErrorCode::kInvalidArgument);
  // A parent with children cannot go first.
  ASSERT_TRUE(Insert(ProfileKind::kHost, env->id, {{"address", "h"}}));
  auto del =
      store_->Write([&](app::WriteTx& tx) { return tx.profiles().DeleteProfileEntry(env->id); });
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(ProfileRepositoryTest, SecretsUpsertByFieldAndGoWithTheirEntry) {
  auto env = Insert(ProfileKind::kEnvironment, {}, {{"kind", "prod"}, {"name", "P"}});
  auto user = Insert(ProfileKind::kOsUser, env->id, {{"user", "app"}});
  ASSERT_TRUE(user);
  auto first = WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.profiles().PutSecret(Secret(user->id, "c1")); });
  ASSERT_TRUE(first) << first.error().message;
  auto second = WriteValue(
      *store_, [&](app::WriteTx& tx) { return tx.profiles().PutSecret(Secret(user->id, "c2")); });
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, first->id) << "same entry and field: replaced, same id";
  auto got =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().GetSecret(first->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->sealed.ciphertext, "c2");
  EXPECT_EQ(got->sealed.key_id, "k1");
  EXPECT_EQ(got->updated_by, user_);
  // Only secret fields of the entry's kind; only sealed values.
  auto wrong_field = Secret(user->id, "c3");
  wrong_field.field = "user";
  EXPECT_FALSE(
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.profiles().PutSecret(wrong_field); }));
  auto unsealed = Secret(user->id, "");
  EXPECT_FALSE(
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.profiles().PutSecret(unsealed); }));
  EXPECT_EQ(
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().ListSecrets(acme_); })->size(),
      1u);
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) {
                return tx.profiles().ListSecrets(globex_);
              })->empty());
  // Removing the entry removes its secret.
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.profiles().DeleteProfileEntry(user->id); }));
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) {
                return tx.profiles().ListSecrets(std::nullopt);
              })->empty());
  auto gone =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().GetProfileEntry(user->id); });
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_P(ProfileRepositoryTest, RevealsAndEventsAppendInOrderAndUsersKeepOrgAdmin) {
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.profiles().AppendReveal(
        app::RevealRecord{0, acme_, 7, ProfileEntryId{3}, "password", user_, T(kBase), "r1"}));
    SOPORTE_TRY_STATUS(tx.profiles().AppendReveal(
        app::RevealRecord{0, acme_, 8, ProfileEntryId{3}, "password", user_, T(kBase + 1), "r2"}));
    return tx.audit().AppendProfileEvent(app::ProfileEventRecord{
        0, acme_, UserId{}, T(kBase), ProfileEntryId{3}, "os_user", "created", "user: app"});
  }));
  auto no_reason = store_->Write([&](app::WriteTx& tx) {
    return tx.profiles().AppendReveal(
        app::RevealRecord{0, acme_, 7, ProfileEntryId{3}, "password", user_, T(kBase), ""});
  });
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, ErrorCode::kInvalidArgument);
  auto reveals =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().ListReveals(acme_); });
  ASSERT_EQ(reveals->size(), 2u);
  EXPECT_EQ((*reveals)[0].reason, "r1");
  EXPECT_EQ((*reveals)[1].secret_id, 8);
  EXPECT_TRUE(ReadValue(*store_, [&](app::ReadTx& tx) {
                return tx.profiles().ListReveals(globex_);
              })->empty());
  auto events =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.audit().ListProfileEvents(acme_); });
  ASSERT_EQ(events->size(), 1u);
  EXPECT_FALSE((*events)[0].actor_id.valid());
  EXPECT_EQ((*events)[0].detail, "user: app");
  auto olga = ReadValue(*store_, [&](app::ReadTx& tx) { return tx.accounts().GetUser(user_); });
  EXPECT_TRUE(olga->org_admin);
  // Staff are never an organisation's administrator.
  domain::User staff{UserId{}, "a@example.test", "A", domain::Role::kAgent, OrgId{}, "",
                     true,     T(kBase)};
  staff.org_admin = true;
  EXPECT_FALSE(
      WriteValue(*store_, [&](app::WriteTx& tx) { return tx.accounts().InsertUser(staff); }));
}

// Refusals are answers, not broken transactions (PostgreSQL aborts a transaction on a failed
// statement): a write that meets a missing organisation or parent, an entry that still holds
// others or a secret for no entry goes on and commits.
TEST_P(ProfileRepositoryTest, RefusalsAreAnsweredAndTheWriteGoesOn) {
  auto env = Insert(ProfileKind::kEnvironment, {}, {{"kind", "qa"}, {"name", "Calidad"}});
  ASSERT_TRUE(env);
  auto host = Insert(ProfileKind::kHost, env->id, {{"address", "h"}});
  ASSERT_TRUE(host);
  auto expect = [](const auto& r, ErrorCode code, const char* what) -> Status {
    if (r || r.error().code != code) return Fail(ErrorCode::kInternal, what);
    return Ok();
  };
  const Status st = store_->Write([&](app::WriteTx& tx) -> Status {
    auto& p = tx.profiles();
    ProfileEntry e = *env;
    e.id = ProfileEntryId{};
    e.org_id = OrgId{999};
    SOPORTE_TRY_STATUS(expect(p.InsertProfileEntry(e), ErrorCode::kFailedPrecondition, "org"));
    ProfileEntry orphan = *host;
    orphan.id = ProfileEntryId{};
    orphan.parent = ProfileEntryId{999};
    SOPORTE_TRY_STATUS(
        expect(p.InsertProfileEntry(orphan), ErrorCode::kFailedPrecondition, "parent"));
    SOPORTE_TRY_STATUS(
        expect(p.DeleteProfileEntry(env->id), ErrorCode::kFailedPrecondition, "children"));
    SOPORTE_TRY_STATUS(
        expect(p.DeleteProfileEntry(ProfileEntryId{999}), ErrorCode::kNotFound, "absent"));
    SOPORTE_TRY_STATUS(expect(p.PutSecret(Secret(ProfileEntryId{999}, "c2VjcmV0")),
                              ErrorCode::kNotFound, "secret of nothing"));
    ProfileEntry moved = *host;
    moved.fields = {{"address", "h2"}};
    return p.UpdateProfileEntry(moved);
  });
  ASSERT_TRUE(st) << st.error().message;
  auto got =
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().GetProfileEntry(host->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->fields.at("address"), "h2");
  EXPECT_EQ(
      ReadValue(*store_, [&](app::ReadTx& tx) { return tx.profiles().ListProfileEntries(acme_); })
          ->size(),
      2u);
}

SOPORTE_ON_EVERY_BACKEND(ProfileRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
