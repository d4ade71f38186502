// The customer profile port: an organisation's profile entries (environments, components,
// contacts, remote access…) with their fields, the sealed secrets and the reveal log. Reached
// as tx.profiles() inside a Store transaction (store.hpp); the profile's history is in
// audit_repository.hpp. Records in profile_records.hpp.
// Implemented by storage/sqlite/profile_repository.* and
// storage/memory/memory_profile_repository.*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/profile_records.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "domain/profile/profile.hpp"

namespace soporte::app {

// Reads; used by one thread inside one Read or Write call.
class ProfileReader {
 public:
  virtual ~ProfileReader() = default;

  // Every entry of an organisation, by id (so parents come before their children).
  virtual Result<std::vector<domain::ProfileEntry>> ListProfileEntries(OrgId org) = 0;
  // kNotFound when absent.
  virtual Result<domain::ProfileEntry> GetProfileEntry(domain::ProfileEntryId id) = 0;
  // Sealed secrets of one organisation, or of every organisation (key rotation), by id.
  virtual Result<std::vector<SecretRecord>> ListSecrets(std::optional<OrgId> org) = 0;
  // kNotFound when absent.
  virtual Result<SecretRecord> GetSecret(std::int64_t id) = 0;
  // The reveals of an organisation's secrets, oldest first.
  virtual Result<std::vector<RevealRecord>> ListReveals(OrgId org) = 0;
};

class ProfileRepository : public ProfileReader {
 public:
  // Returns the entry with its new id. kInvalidArgument for an invalid entry; kFailedPrecondition
  // when the organisation or the parent does not exist.
  virtual Result<domain::ProfileEntry> InsertProfileEntry(domain::ProfileEntry e) = 0;
  // Replaces parent, fields and updated_at of entry e.id. kNotFound when absent;
  // kInvalidArgument when the kind or organisation would change.
  virtual Status UpdateProfileEntry(const domain::ProfileEntry& e) = 0;
  // Removes the entry, its fields and its secrets. kNotFound when absent; kFailedPrecondition
  // while other entries hang from it (the caller removes children first).
  virtual Status DeleteProfileEntry(domain::ProfileEntryId id) = 0;
  // Inserts or replaces the secret of (r.entry_id, r.field); returns it with its id (kept on
  // replace). kNotFound when the entry is absent; kInvalidArgument when the field is not a
  // secret field of the entry's kind or the organisation is not the entry's.
  virtual Result<SecretRecord> PutSecret(SecretRecord r) = 0;
  // Removes the secret of (entry, field); Ok when there was none.
  virtual Status DeleteSecret(domain::ProfileEntryId entry, const std::string& field) = 0;
  // Appends one reveal to the log. kInvalidArgument for an invalid record.
  virtual Status AppendReveal(RevealRecord r) = 0;
};

}  // namespace soporte::app
