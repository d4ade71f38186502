// Organisations and their contracts in memory: app::OrgRepository over the MemoryStore's state
// (memory_state.hpp). Same semantics as the SQLite one (the conformance suite checks both).
// Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/org_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryOrgRepository final : public app::OrgRepository {
 public:
  explicit MemoryOrgRepository(MemoryState& s) : s_(s) {}

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
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
