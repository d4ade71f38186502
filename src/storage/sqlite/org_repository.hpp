// Organisations and their contracts in SQLite (orgs, contracts; the contract's calendar_id):
// app::OrgRepository on one connection already inside a transaction. Also the row readers of
// both tables, which the ticket repository reuses inside its joined read. Internal to
// storage/sqlite.
#pragma once

#include "app/ports/org_repository.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/rows/orgs.hpp"
#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {

// Row readers of orgs and contracts, shared with the PostgreSQL store (storage/rows/orgs.hpp).
using rows::ContractFrom;
using rows::kContractCols;
using rows::kOrgCols;
using rows::OrgFrom;
inline domain::Organization ReadOrg(const Stmt& s) { return OrgFrom(s); }
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
