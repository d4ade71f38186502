// tx.orgs() on every backend: organisations (slug unique), contracts with every field, and the
// calendar a contract runs on.
#include <string>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class OrgRepositoryTest : public StoreTest {};

TEST_P(OrgRepositoryTest, OrgsRoundTripAndSlugClashIsNamed) {
  const auto acme = Org("acme");
  EXPECT_TRUE(acme.id.valid());
  auto got = R([&](app::ReadTx& tx) { return tx.orgs().GetOrgBySlug("acme"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, acme.id);
  EXPECT_EQ(got->name, "Org acme");
  EXPECT_EQ(got->created_at, T(kBase));
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetOrg(acme.id); })->slug, "acme");

  auto clash = W([&](app::WriteTx& tx) {
    return tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme", "Other", T(kBase)});
  });
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(clash.error().message, "an organisation with slug 'acme' already exists");

  auto bad = W([&](app::WriteTx& tx) {
    return tx.orgs().InsertOrg(domain::Organization{OrgId{}, "Bad Slug", "x", T(kBase)});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);

  Org("globex");
  auto all = R([&](app::ReadTx& tx) { return tx.orgs().ListOrgs(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].slug, "acme");
  EXPECT_EQ((*all)[1].slug, "globex");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetOrg(OrgId{999}); }).error().code,
            ErrorCode::kNotFound);
}

TEST_P(OrgRepositoryTest, ContractsRoundTripEveryField) {
  const auto org = Org("acme");
  const auto c = Contract(org.id);
  auto got = R([&](app::ReadTx& tx) { return tx.orgs().GetContract(c.id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->org_id, org.id);
  EXPECT_EQ(got->modality, sla::Modality::k24x7);
  EXPECT_EQ(got->zone, "America/Bogota");
  EXPECT_EQ(got->valid_from, c.valid_from);
  EXPECT_EQ(got->valid_to, c.valid_to);
  EXPECT_EQ(got->channels, c.channels);
  EXPECT_EQ(got->targets.critical, Seconds{3600});
  EXPECT_EQ(got->targets.important, Seconds{7200});
  EXPECT_EQ(got->targets.normal, Seconds{28800});

  domain::Contract open_ended = c;
  open_ended.valid_to.reset();
  open_ended.modality = sla::Modality::k8x5;
  auto second = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(open_ended); });
  ASSERT_TRUE(second);
  auto list = R([&](app::ReadTx& tx) { return tx.orgs().ListContracts(org.id); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_FALSE((*list)[1].valid_to.has_value());
  EXPECT_EQ((*list)[1].modality, sla::Modality::k8x5);

  domain::Contract orphan = c;
  orphan.org_id = OrgId{999};
  auto r = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(orphan); });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(OrgRepositoryTest, ContractsPointAtACalendar) {
  World();  // contract_ is 24x7
  auto cal =
      W([&](app::WriteTx& tx) { return tx.calendars().InsertCalendar(OfficeCalendar("Oficina")); });
  ASSERT_TRUE(cal);
  EXPECT_FALSE(contract_.calendar_id.valid());
  // A 24x7 contract takes no calendar.
  EXPECT_EQ(store_
                ->Write([&](app::WriteTx& tx) {
                  return tx.orgs().SetContractCalendar(contract_.id, cal->id);
                })
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  domain::Contract c8 = contract_;
  c8.modality = sla::Modality::k8x5;
  c8.channels = domain::DefaultChannels(sla::Modality::k8x5);
  c8.calendar_id = cal->id;
  auto stored = W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(c8); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetContract(stored->id); })->calendar_id,
            cal->id);
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(stored->id, CalendarId{}); }));
  EXPECT_FALSE(
      R([&](app::ReadTx& tx) { return tx.orgs().GetContract(stored->id); })->calendar_id.valid());
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(stored->id, cal->id); }));
  EXPECT_EQ(
      R([&](app::ReadTx& tx) { return tx.orgs().ListContracts(org_.id); })->back().calendar_id,
      cal->id);
  EXPECT_FALSE(store_->Write(
      [&](app::WriteTx& tx) { return tx.orgs().SetContractCalendar(stored->id, CalendarId{77}); }));
  EXPECT_EQ(store_
                ->Write([&](app::WriteTx& tx) {
                  return tx.orgs().SetContractCalendar(ContractId{999}, cal->id);
                })
                .error()
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetContract(stored->id); })->calendar_id,
            cal->id);
}

SOPORTE_ON_EVERY_BACKEND(OrgRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
