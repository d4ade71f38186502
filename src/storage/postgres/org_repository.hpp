// Organisations and their contracts in PostgreSQL (orgs, contracts; the contract's calendar_id;
// postgres/0002_orgs_accounts_calendars.sql): app::OrgRepository on one connection already
// inside a transaction, with the semantics of storage/sqlite/org_repository.*. Also the row
// readers of both tables, for a joined read elsewhere. Internal to storage/postgres.
#pragma once

#include "app/ports/org_repository.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/rows/orgs.hpp"

namespace soporte::storage::pg_internal {

// Row readers of orgs and contracts, shared with the SQLite store (storage/rows/orgs.hpp).
using rows::kContractCols;
using rows::kOrgCols;
inline domain::Organization OrgFrom(const PgRows& r, int row) {
  return rows::OrgFrom(PgRow(r, row));
}
inline Result<domain::Contract> ContractFrom(const PgRows& r, int row) {
  return rows::ContractFrom(PgRow(r, row));
}

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
