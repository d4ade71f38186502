// The customer profile in SQLite (0005_profile.sql): entries and their fields, sealed secrets and
// the reveal log. app::ProfileRepository on one connection already inside a transaction.
// Internal to storage/sqlite.
#pragma once

#include "app/ports/profile_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteProfileRepository final : public app::ProfileRepository {
 public:
  explicit SqliteProfileRepository(Db& db) : db_(db) {}

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
  // Replaces the fields of entry e.id with those of `e`.
  Status WriteFields(const domain::ProfileEntry& e);
  // Ok when `e` has no parent or its parent exists and may hold it; MissingReference otherwise.
  Status CheckEntryParent(const domain::ProfileEntry& e);
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
