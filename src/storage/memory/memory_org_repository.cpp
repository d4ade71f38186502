#include "storage/memory/memory_org_repository.hpp"

#include <string>

#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

Result<domain::Organization> MemoryOrgRepository::GetOrg(OrgId id) {
  return Find(s_.orgs, id.value(), "organisation " + std::to_string(id.value()));
}

Result<domain::Organization> MemoryOrgRepository::GetOrgBySlug(const std::string& slug) {
  for (const auto& [id, o] : s_.orgs) {
    if (o.slug == slug) return o;
  }
  return tl::make_unexpected(NotFound("organisation '" + slug + "'"));
}

Result<std::vector<domain::Organization>> MemoryOrgRepository::ListOrgs() {
  return Values(s_.orgs);
}

Result<domain::Contract> MemoryOrgRepository::GetContract(ContractId id) {
  return Find(s_.contracts, id.value(), "contract " + std::to_string(id.value()));
}

Result<std::vector<domain::Contract>> MemoryOrgRepository::ListContracts(OrgId org) {
  std::vector<domain::Contract> out;
  for (const auto& [id, c] : s_.contracts) {
    if (c.org_id == org) out.push_back(c);
  }
  return out;
}

Result<domain::Organization> MemoryOrgRepository::InsertOrg(domain::Organization o) {
  SOPORTE_TRY_STATUS(ValidateOrg(o));
  if (GetOrgBySlug(o.slug)) return tl::make_unexpected(OrgSlugTaken(o.slug));
  o.id = OrgId{s_.next_org++};
  s_.orgs[o.id.value()] = o;
  return o;
}

Result<domain::Contract> MemoryOrgRepository::InsertContract(domain::Contract c) {
  SOPORTE_TRY_STATUS(ValidateContract(c));
  SOPORTE_TRY_STATUS(CheckExists(s_.orgs, c.org_id.value(), "organisation"));
  if (c.calendar_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.calendars, c.calendar_id.value(), "calendar"));
  c.id = ContractId{s_.next_contract++};
  s_.contracts[c.id.value()] = c;
  return c;
}

Status MemoryOrgRepository::SetContractCalendar(ContractId contract, CalendarId calendar) {
  auto it = s_.contracts.find(contract.value());
  if (it == s_.contracts.end())
    return tl::make_unexpected(NotFound("contract " + std::to_string(contract.value())));
  domain::Contract c = it->second;
  c.calendar_id = calendar;
  SOPORTE_TRY_STATUS(ValidateContract(c));
  if (calendar.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.calendars, calendar.value(), "calendar"));
  it->second = c;
  return Ok();
}

}  // namespace soporte::storage::memory_internal
