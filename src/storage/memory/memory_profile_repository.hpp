// The customer profile: entries, secrets, reveals in memory: app::ProfileRepository over the
// MemoryStore's state (memory_state.hpp). Same semantics as the SQLite one (the conformance suite
// checks both). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/profile_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryProfileRepository final : public app::ProfileRepository {
 public:
  explicit MemoryProfileRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<domain::ProfileEntry>> ListProfileEntries(OrgId org) override;
  Result<domain::ProfileEntry> GetProfileEntry(domain::ProfileEntryId id) override;
  Result<std::vector<app::SecretRecord>> ListSecrets(std::optional<OrgId> org) override;
  Result<app::SecretRecord> GetSecret(std::int64_t id) override;
  Result<std::vector<app::RevealRecord>> ListReveals(OrgId org) override;
  Result<domain::ProfileEntry> InsertProfileEntry(domain::ProfileEntry e) override;
  Status UpdateProfileEntry(const domain::ProfileEntry& e) override;
  Status DeleteProfileEntry(domain::ProfileEntryId id) override;
  Result<app::SecretRecord> PutSecret(app::SecretRecord r) override;
  Status DeleteSecret(domain::ProfileEntryId entry, const std::string& field) override;
  Status AppendReveal(app::RevealRecord r) override;

 private:
  // Ok when `e` has no parent or its parent exists and may hold it; MissingReference otherwise.
  Status CheckEntryParent(const domain::ProfileEntry& e);
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
