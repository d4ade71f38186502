#include "storage/memory/memory_org_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>

#include "domain/ticket/ticket_status.hpp"
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

namespace {

// ASCII letters lower-cased, like SQLite's lower(): other bytes as they are.
std::string AsciiLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool InForce(const domain::Contract& c, std::chrono::sys_days today) {
  return c.valid_from <= today && (!c.valid_to || *c.valid_to >= today);
}

}  // namespace

Result<app::OrgDirectoryPage> MemoryOrgRepository::Directory(const app::OrgDirectoryQuery& q) {
  std::vector<const domain::Organization*> orgs;
  for (const auto& [id, o] : s_.orgs) orgs.push_back(&o);
  std::sort(orgs.begin(), orgs.end(), [](const auto* a, const auto* b) {
    return std::tie(a->name, a->id) < std::tie(b->name, b->id);
  });
  const domain::Organization* after = nullptr;
  if (q.after) {
    auto it = s_.orgs.find(q.after->value());
    if (it == s_.orgs.end()) return app::OrgDirectoryPage{};
    after = &it->second;
  }
  app::OrgDirectoryPage page;
  for (const auto* o : orgs) {
    if (after && std::tie(o->name, o->id) <= std::tie(after->name, after->id)) continue;
    if (!q.text.empty() && AsciiLower(o->name).find(q.text) == std::string::npos &&
        o->slug.find(q.text) == std::string::npos)
      continue;
    app::OrgDirectoryRow r;
    r.org = *o;
    bool any = false;
    bool of_modality = false;
    for (const auto& [cid, c] : s_.contracts) {
      if (c.org_id != o->id || !InForce(c, q.today)) continue;
      any = true;
      if (q.modality && c.modality == *q.modality) of_modality = true;
      if (std::find(r.modalities.begin(), r.modalities.end(), c.modality) == r.modalities.end())
        r.modalities.push_back(c.modality);
    }
    if (q.modality && !of_modality) continue;
    if (!q.modality && q.without_contract && any) continue;
    std::sort(r.modalities.begin(), r.modalities.end(), [](auto a, auto b) {
      return a == domain::sla::Modality::k24x7 && b != domain::sla::Modality::k24x7;
    });
    for (std::size_t i = 0; i < domain::kProfileAreas.size(); ++i) {
      const auto kind = domain::AreaKind(domain::kProfileAreas[i]);
      r.has[i] = std::any_of(
          s_.profile_entries.begin(), s_.profile_entries.end(),
          [&](const auto& e) { return e.second.org_id == o->id && e.second.kind == kind; });
    }
    if (q.missing) {
      const auto at =
          std::find(domain::kProfileAreas.begin(), domain::kProfileAreas.end(), *q.missing);
      if (r.has[static_cast<std::size_t>(at - domain::kProfileAreas.begin())]) continue;
    }
    for (const auto& [tid, t] : s_.tickets)
      if (t.org_id == o->id && domain::IsActive(t.status)) ++r.open_tickets;
    if (static_cast<int>(page.rows.size()) == q.limit) {
      page.more = true;
      break;
    }
    page.rows.push_back(std::move(r));
  }
  return page;
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
