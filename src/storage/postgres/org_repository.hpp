// Organisations and their contracts in PostgreSQL (orgs, contracts; the contract's calendar_id;
// postgres/0002_orgs_accounts_calendars.sql): app::OrgRepository on one connection already
// inside a transaction, with the semantics of storage/sqlite/org_repository.*. Also the row
// readers of both tables, for a joined read elsewhere. Internal to storage/postgres.
#pragma once

#include "app/ports/org_repository.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/postgres/rows.hpp"

namespace soporte::storage::pg_internal {

// Row readers of orgs and contracts: the columns start at `col` in the order of these lists.
inline constexpr const char* kOrgCols = "id, slug, name, created_at";
inline domain::Organization OrgFrom(const PgRows& r, int row, int col = 0) {
  return domain::Organization{OrgId{r.Int(row, col)}, r.Text(row, col + 1), r.Text(row, col + 2),
                              At(r.Int(row, col + 3))};
}

inline constexpr const char* kContractCols =
    "id, org_id, modality, zone, valid_from_day, valid_to_day, channels, target_critical_s, "
    "target_important_s, target_normal_s, created_at, calendar_id";
Result<domain::Contract> ContractFrom(const PgRows& r, int row, int col = 0);

class PgOrgRepository final : public app::OrgRepository {
 public:
  explicit PgOrgRepository(PgConn& conn) : conn_(conn) {}

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
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
