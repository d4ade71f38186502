// The organisations port: customer organisations, their support contracts and which business
// calendar a contract runs on. Reached as tx.orgs() inside a Store transaction (store.hpp).
// Implemented by storage/sqlite/org_repository.* and storage/memory/memory_org_repository.*.
#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "domain/account/account.hpp"
#include "domain/profile/completeness.hpp"

namespace soporte::app {

// One page of the organisations directory (staff): filters, and where the page starts.
struct OrgDirectoryQuery {
  // Lower-case text found in the name (ASCII letters compared without case) or in the slug;
  // empty: any organisation.
  std::string text;
  // Only organisations with a contract of this modality in force `today`.
  std::optional<domain::sla::Modality> modality;
  // Only organisations with no contract in force `today` (ignored when `modality` is set).
  bool without_contract = false;
  // Only organisations whose profile lacks this area (completeness.hpp).
  std::optional<domain::ProfileArea> missing;
  // The day that decides which contracts are in force (valid_from <= today <= valid_to).
  std::chrono::sys_days today{};
  int limit = 50;  // 1..200
  // The last organisation of the previous page; the page starts after it in (name, id) order.
  std::optional<OrgId> after;
};

// One organisation of the directory with what staff look for first.
struct OrgDirectoryRow {
  domain::Organization org;
  std::vector<domain::sla::Modality> modalities;  // of its contracts in force, distinct, 24x7 first
  int open_tickets = 0;                           // new, open or waiting on the customer
  // Whether the profile has each area, indexed like domain::kProfileAreas.
  std::array<bool, 4> has{};
};

struct OrgDirectoryPage {
  std::vector<OrgDirectoryRow> rows;  // in (name, id) order, at most `limit`
  bool more = false;                  // another page follows the last row
};

// Reads; used by one thread inside one Read or Write call, like the transaction that hands it out.
class OrgReader {
 public:
  virtual ~OrgReader() = default;

  // The organisation with this id / slug; kNotFound when absent.
  virtual Result<domain::Organization> GetOrg(OrgId id) = 0;
  virtual Result<domain::Organization> GetOrgBySlug(const std::string& slug) = 0;
  // Every organisation, by id (empty when none).
  virtual Result<std::vector<domain::Organization>> ListOrgs() = 0;
  // One page of the directory in (name, id) order, read in one statement whatever the page size
  // (no read per row). An `after` that names no organisation gives an empty page.
  virtual Result<OrgDirectoryPage> Directory(const OrgDirectoryQuery& q) = 0;

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
