// The organisations port: customer organisations, their support contracts and which business
// calendar a contract runs on. Reached as tx.orgs() inside a Store transaction (store.hpp).
// Implemented by storage/sqlite/org_repository.* and storage/memory/memory_org_repository.*.
#pragma once

#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "domain/account/account.hpp"

namespace soporte::app {

// Reads; used by one thread inside one Read or Write call, like the transaction that hands it out.
class OrgReader {
 public:
  virtual ~OrgReader() = default;

  // The organisation with this id / slug; kNotFound when absent.
  virtual Result<domain::Organization> GetOrg(OrgId id) = 0;
  virtual Result<domain::Organization> GetOrgBySlug(const std::string& slug) = 0;
  // Every organisation, by id (empty when none).
  virtual Result<std::vector<domain::Organization>> ListOrgs() = 0;

  // kNotFound when absent.
  virtual Result<domain::Contract> GetContract(ContractId id) = 0;
  // The contracts of one organisation, by id (empty when none, also for an unknown organisation).
  virtual Result<std::vector<domain::Contract>> ListContracts(OrgId org) = 0;
};

class OrgRepository : public OrgReader {
 public:
  // Returns the stored organisation with its new id. kInvalidArgument for an invalid one;
  // kAlreadyExists when the slug is taken.
  virtual Result<domain::Organization> InsertOrg(domain::Organization o) = 0;
  // Returns the stored contract with its new id. kInvalidArgument for an invalid one; a missing
  // organisation or calendar is a MissingReference (kFailedPrecondition).
  virtual Result<domain::Contract> InsertContract(domain::Contract c) = 0;
  // Points the contract at a calendar (an invalid id: back to the built-in one). kNotFound when
  // there is no such contract; kInvalidArgument when the contract would become invalid; a
  // missing calendar is a MissingReference (kFailedPrecondition).
  virtual Status SetContractCalendar(ContractId contract, CalendarId calendar) = 0;
};

}  // namespace soporte::app
