#include "storage/memory/memory_profile_repository.hpp"

#include <string>

#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::memory_internal {

Result<std::vector<domain::ProfileEntry>> MemoryProfileRepository::ListProfileEntries(OrgId org) {
  std::vector<domain::ProfileEntry> out;
  for (const auto& [id, e] : s_.profile_entries) {
    if (e.org_id == org) out.push_back(e);
  }
  return out;
}

Result<domain::ProfileEntry> MemoryProfileRepository::GetProfileEntry(domain::ProfileEntryId id) {
  return Find(s_.profile_entries, id.value(), "profile entry " + std::to_string(id.value()));
}

Result<std::vector<app::SecretRecord>> MemoryProfileRepository::ListSecrets(
    std::optional<OrgId> org) {
  std::vector<app::SecretRecord> out;
  for (const auto& [id, r] : s_.secrets) {
    if (!org || r.org_id == *org) out.push_back(r);
  }
  return out;
}

Result<app::SecretRecord> MemoryProfileRepository::GetSecret(std::int64_t id) {
  return Find(s_.secrets, id, "secret " + std::to_string(id));
}

Result<std::vector<app::RevealRecord>> MemoryProfileRepository::ListReveals(OrgId org) {
  std::vector<app::RevealRecord> out;
  for (const auto& r : s_.reveals) {
    if (r.org_id == org) out.push_back(r);
  }
  return out;
}

Result<domain::ProfileEntry> MemoryProfileRepository::InsertProfileEntry(domain::ProfileEntry e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  SOPORTE_TRY_STATUS(CheckExists(s_.orgs, e.org_id.value(), "organisation"));
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  e.id = domain::ProfileEntryId{s_.next_profile_entry++};
  s_.profile_entries[e.id.value()] = e;
  return e;
}

Status MemoryProfileRepository::UpdateProfileEntry(const domain::ProfileEntry& e) {
  SOPORTE_TRY_STATUS(ValidateProfileEntry(e));
  auto it = s_.profile_entries.find(e.id.value());
  if (it == s_.profile_entries.end()) {
    return tl::make_unexpected(NotFound("profile entry " + std::to_string(e.id.value())));
  }
  if (it->second.kind != e.kind || it->second.org_id != e.org_id) {
    return Fail(ErrorCode::kInvalidArgument, "a profile entry keeps its kind and organisation");
  }
  SOPORTE_TRY_STATUS(CheckEntryParent(e));
  domain::ProfileEntry updated = e;
  updated.created_at = it->second.created_at;
  it->second = updated;
  return Ok();
}

Status MemoryProfileRepository::DeleteProfileEntry(domain::ProfileEntryId id) {
  if (!s_.profile_entries.count(id.value())) {
    return tl::make_unexpected(NotFound("profile entry " + std::to_string(id.value())));
  }
  for (const auto& [k, e] : s_.profile_entries) {
    if (e.parent == id) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "profile entry " + std::to_string(id.value()) + " still holds other entries");
    }
  }
  std::erase_if(s_.secrets, [id](const auto& kv) { return kv.second.entry_id == id; });
  s_.profile_entries.erase(id.value());
  return Ok();
}

Result<app::SecretRecord> MemoryProfileRepository::PutSecret(app::SecretRecord r) {
  SOPORTE_TRY_STATUS(ValidateSecret(r));
  SOPORTE_TRY(entry, GetProfileEntry(r.entry_id));
  if (entry.org_id != r.org_id) {
    return Fail(ErrorCode::kInvalidArgument, "a secret belongs to its entry's organisation");
  }
  const auto* f = domain::FieldOf(entry.kind, r.field);
  if (f == nullptr || f->type != domain::FieldType::kSecret) {
    return Fail(ErrorCode::kInvalidArgument, "'" + r.field + "' is not a secret field of a " +
                                                 std::string(domain::SpecOf(entry.kind).name));
  }
  for (auto& [id, old] : s_.secrets) {
    if (old.entry_id == r.entry_id && old.field == r.field) {
      r.id = id;
      old = r;
      return r;
    }
  }
  r.id = s_.next_secret++;
  s_.secrets[r.id] = r;
  return r;
}

Status MemoryProfileRepository::DeleteSecret(domain::ProfileEntryId entry,
                                             const std::string& field) {
  std::erase_if(s_.secrets, [&](const auto& kv) {
    return kv.second.entry_id == entry && kv.second.field == field;
  });
  return Ok();
}

Status MemoryProfileRepository::AppendReveal(app::RevealRecord r) {
  SOPORTE_TRY_STATUS(ValidateReveal(r));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, r.actor_id.value(), "user"));
  r.id = s_.next_reveal++;
  s_.reveals.push_back(std::move(r));
  return Ok();
}

Status MemoryProfileRepository::CheckEntryParent(const domain::ProfileEntry& e) {
  if (!e.parent.valid()) return Ok();
  auto it = s_.profile_entries.find(e.parent.value());
  if (it == s_.profile_entries.end()) {
    return tl::make_unexpected(
        MissingReference("profile entry " + std::to_string(e.parent.value())));
  }
  return CheckParent(e, it->second);
}

}  // namespace soporte::storage::memory_internal
