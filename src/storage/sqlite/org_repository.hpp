// Organisations and their contracts in SQLite (orgs, contracts; the contract's calendar_id):
// app::OrgRepository on one connection already inside a transaction. Also the row readers of
// both tables, which the ticket repository reuses inside its joined read. Internal to
// storage/sqlite.
#pragma once

#include "app/ports/org_repository.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {

// Row readers of orgs and contracts: column order matches these column lists.
inline constexpr const char* kOrgCols = "id, slug, name, created_at";
template <class Row>
domain::Organization OrgFrom(const Row& s) {
  return domain::Organization{OrgId{s.Int(0)}, s.Text(1), s.Text(2), At(s.Int(3))};
}
inline domain::Organization ReadOrg(const Stmt& s) { return OrgFrom(s); }

inline constexpr const char* kContractCols =
    "id, org_id, modality, zone, valid_from_day, valid_to_day, channels, target_critical_s, "
    "target_important_s, target_normal_s, created_at, calendar_id";
template <class Row>
Result<domain::Contract> ContractFrom(const Row& s) {
  domain::Contract c;
  c.id = ContractId{s.Int(0)};
  c.org_id = OrgId{s.Int(1)};
  SOPORTE_TRY(modality, Decode(domain::sla::ParseModality(s.Text(2)), "modality"));
  c.modality = modality;
  c.zone = s.Text(3);
  c.valid_from = Day(s.Int(4));
  if (!s.IsNull(5)) c.valid_to = Day(s.Int(5));
  c.channels = domain::ChannelSet(static_cast<unsigned>(s.Int(6)));
  c.targets.critical = Seconds{s.Int(7)};
  c.targets.important = Seconds{s.Int(8)};
  c.targets.normal = Seconds{s.Int(9)};
  c.created_at = At(s.Int(10));
  c.calendar_id = CalendarId{s.IsNull(11) ? 0 : s.Int(11)};
  return c;
}
inline Result<domain::Contract> ReadContract(const Stmt& s) { return ContractFrom(s); }

class SqliteOrgRepository final : public app::OrgRepository {
 public:
  explicit SqliteOrgRepository(Db& db) : db_(db) {}

  Result<domain::Organization> GetOrg(OrgId id) override;
  Result<domain::Organization> GetOrgBySlug(const std::string& slug) override;
  Result<std::vector<domain::Organization>> ListOrgs() override;
  Result<app::OrgDirectoryPage> Directory(const app::OrgDirectoryQuery& q) override;
  Result<domain::Contract> GetContract(ContractId id) override;
  Result<std::vector<domain::Contract>> ListContracts(OrgId org) override;
  Result<domain::Organization> InsertOrg(domain::Organization o) override;
  Result<domain::Contract> InsertContract(domain::Contract c) override;
  Status SetContractCalendar(ContractId contract, CalendarId calendar) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
