// Rows of the customer profile that are not domain values: sealed secrets, the reveal log and
// the profile's history (0005_profile.sql). Plain values passed through the storage port.
#pragma once

#include <cstdint>
#include <string>

#include "app/ports/security.hpp"
#include "common/ids.hpp"
#include "common/time.hpp"
#include "domain/profile/profile.hpp"

namespace soporte::app {

// One secret field of one profile entry, sealed. Unique per (entry_id, field).
struct SecretRecord {
  std::int64_t id = 0;
  OrgId org_id;
  domain::ProfileEntryId entry_id;
  std::string field;
  SealedValue sealed;
  Instant updated_at;
  UserId updated_by;  // invalid = the system (CLI)
};

// One reveal of a secret: who, when, why. Append-only; holds no value.
struct RevealRecord {
  std::int64_t id = 0;
  OrgId org_id;
  std::int64_t secret_id = 0;
  domain::ProfileEntryId entry_id;
  std::string field;
  UserId actor_id;
  Instant at;
  std::string reason;
};

// One change of an organisation's profile. Append-only; never holds a secret's value.
struct ProfileEventRecord {
  std::int64_t id = 0;
  OrgId org_id;
  UserId actor_id;  // invalid = the system
  Instant at;
  domain::ProfileEntryId entry_id;
  std::string kind;    // the entry's kind name, or "secret"
  std::string action;  // created, updated, deleted, revealed, rotated
  std::string detail;
};

}  // namespace soporte::app
