// The customer profile in PostgreSQL (profile_entries, profile_fields, secret_values,
// secret_reveals; postgres/0004_profiles_mail_alerts_sla.sql): entries and their fields, sealed
// secrets and the reveal log. app::ProfileRepository on one connection already inside a
// transaction, with the semantics and errors of storage/sqlite/profile_repository.*. Internal to
// storage/postgres.
#pragma once

#include "app/ports/profile_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgProfileRepository final : public app::ProfileRepository {
 public:
  explicit PgProfileRepository(PgConn& conn) : conn_(conn) {}

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
  // Replaces the stored fields of entry e.id by e.fields.
  Status WriteFields(const domain::ProfileEntry& e);
  // Ok when e has no parent, or its parent exists and may hold e (CheckParent);
  // MissingReference (kFailedPrecondition) when the parent is absent.
  Status CheckEntryParent(const domain::ProfileEntry& e);

  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
