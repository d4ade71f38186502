// tx.orgs() on every backend: organisations (slug unique), contracts with every field, and the
// calendar a contract runs on.
#include <array>
#include <map>
#include <string>
#include <vector>

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

// A taken slug is an answer, not a broken transaction (PostgreSQL aborts a transaction on a
// failed statement): the write that met it goes on and commits.
TEST_P(OrgRepositoryTest, ATakenSlugIsAnsweredAndTheWriteGoesOn) {
  const auto acme = Org("acme");
  const auto contract = Contract(acme.id);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) -> Status {
    auto clash = tx.orgs().InsertOrg(domain::Organization{OrgId{}, "acme", "Otra", T(kBase)});
    if (clash || clash.error().code != ErrorCode::kAlreadyExists)
      return Fail(ErrorCode::kInternal, "no clash");
    domain::Contract orphan = contract;
    orphan.org_id = OrgId{999};
    if (tx.orgs().InsertContract(orphan).error().code != ErrorCode::kFailedPrecondition)
      return Fail(ErrorCode::kInternal, "no missing organisation");
    SOPORTE_TRY_STATUS(
        tx.orgs().InsertOrg(domain::Organization{OrgId{}, "globex", "Globex", T(kBase)}));
    return Ok();
  }));
  auto all = R([&](app::ReadTx& tx) { return tx.orgs().ListOrgs(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].slug, "globex");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().ListContracts(acme.id); })->size(),
            1u);  // its own
}

// The directory (issue 19): name order, text in the name or the slug, contracts in force, open
// tickets, the profile areas each organisation lacks, and paging from the last row.
TEST_P(OrgRepositoryTest, DirectoryFiltersCountsAndPages) {
  // The world below has tickets and profile entries.
  if (const auto m = Lacks({"tickets", "profiles"}); !m.empty())
    GTEST_SKIP() << "this store lacks the ports " << m;
  World();  // acme ("Org acme"): a 24x7 contract in force during 2026, a customer
  const auto zeta = Org("zeta");
  const auto beta = Org("beta");
  domain::Contract c8 = contract_;
  c8.id = ContractId{};
  c8.org_id = beta.id;
  c8.modality = sla::Modality::k8x5;
  c8.calendar_id = CalendarId{};
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(c8); }));
  domain::Contract old = contract_;  // zeta's contract ended in 2025: none in force
  old.id = ContractId{};
  old.org_id = zeta.id;
  old.valid_from = std::chrono::sys_days{std::chrono::year{2025} / 1 / 1};
  old.valid_to = std::chrono::sys_days{std::chrono::year{2025} / 12 / 31};
  ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.orgs().InsertContract(old); }));
  Ticket(kBase + 3600);
  const auto done = Ticket(kBase + 7200);
  ASSERT_TRUE(W([&](app::WriteTx& tx) {
    auto t = done;
    t.status = domain::TicketStatus::kClosed;
    return tx.tickets().UpdateTicket(t);
  }));
  Ticket(kBase + 9000);
  auto entry = [&](OrgId org, domain::ProfileKind kind, domain::ProfileEntryId parent,
                   std::map<std::string, std::string> fields) {
    domain::ProfileEntry e;
    e.org_id = org;
    e.kind = kind;
    e.parent = parent;
    e.fields = std::move(fields);
    e.created_at = e.updated_at = T(kBase);
    auto r = W([&](app::WriteTx& tx) { return tx.profiles().InsertProfileEntry(e); });
    SOPORTE_CHECK(r.has_value());
    return r->id;
  };
  const auto env =
      entry(org_.id, domain::ProfileKind::kEnvironment, {}, {{"kind", "prod"}, {"name", "DC"}});
  entry(org_.id, domain::ProfileKind::kComponent, env, {{"name", "FOX"}, {"version", "4.2"}});
  entry(beta.id, domain::ProfileKind::kContact, {}, {{"name", "Bea"}});

  auto page = [&](app::OrgDirectoryQuery q) {
    q.today = std::chrono::sys_days{std::chrono::year{2026} / 6 / 1};
    auto r = R([&](app::ReadTx& tx) { return tx.orgs().Directory(q); });
    SOPORTE_CHECK(r.has_value());
    return *r;
  };
  auto slugs = [](const app::OrgDirectoryPage& p) {
    std::vector<std::string> out;
    for (const auto& r : p.rows) out.push_back(r.org.slug);
    return out;
  };
  const auto all = page({});
  EXPECT_EQ(slugs(all), (std::vector<std::string>{"acme", "beta", "zeta"}));  // by name
  EXPECT_FALSE(all.more);
  const auto& acme = all.rows[0];
  EXPECT_EQ(acme.modalities, std::vector<sla::Modality>{sla::Modality::k24x7});
  EXPECT_EQ(acme.open_tickets, 2);  // the closed one does not count
  EXPECT_EQ(acme.has, (std::array<bool, 4>{true, true, false, false}));
  EXPECT_EQ(all.rows[1].modalities, std::vector<sla::Modality>{sla::Modality::k8x5});
  EXPECT_EQ(all.rows[1].has, (std::array<bool, 4>{false, false, true, false}));
  EXPECT_TRUE(all.rows[2].modalities.empty());
  EXPECT_EQ(all.rows[2].open_tickets, 0);

  app::OrgDirectoryQuery q;
  q.text = "eta";  // in zeta's and beta's slug and name
  EXPECT_EQ(slugs(page(q)), (std::vector<std::string>{"beta", "zeta"}));
  q.text = "org ac";  // in the name ("Org acme"), lower-cased
  EXPECT_EQ(slugs(page(q)), std::vector<std::string>{"acme"});
  q = {};
  q.modality = sla::Modality::k8x5;
  EXPECT_EQ(slugs(page(q)), std::vector<std::string>{"beta"});
  q = {};
  q.without_contract = true;
  EXPECT_EQ(slugs(page(q)), std::vector<std::string>{"zeta"});
  q = {};
  q.missing = domain::ProfileArea::kVersions;
  EXPECT_EQ(slugs(page(q)), (std::vector<std::string>{"beta", "zeta"}));
  q.missing = domain::ProfileArea::kRemoteAccess;
  EXPECT_EQ(slugs(page(q)), (std::vector<std::string>{"acme", "beta", "zeta"}));

  q = {};
  q.limit = 2;
  const auto first = page(q);
  EXPECT_EQ(slugs(first), (std::vector<std::string>{"acme", "beta"}));
  EXPECT_TRUE(first.more);
  q.after = first.rows.back().org.id;
  const auto second = page(q);
  EXPECT_EQ(slugs(second), std::vector<std::string>{"zeta"});
  EXPECT_FALSE(second.more);
  q.after = OrgId{999};
  EXPECT_TRUE(page(q).rows.empty());
}

SOPORTE_ON_EVERY_BACKEND(OrgRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
