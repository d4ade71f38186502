// Checks every store runs before writing profile rows (0005_profile.sql), so SQLite and memory
// refuse the same bad values the same way. Pure functions; thread-safe.
#pragma once

#include "app/ports/profile_records.hpp"
#include "common/result.hpp"
#include "domain/profile/profile.hpp"

namespace soporte::storage {

// kInvalidArgument naming the rule: an entry needs an organisation, a parent exactly when its
// kind has one (optional for remote access), and valid fields (domain::NormalizeFields).
Status ValidateProfileEntry(const domain::ProfileEntry& e);
// A sealed secret needs its organisation, entry, a secret field name, key id, nonce and ciphertext.
Status ValidateSecret(const app::SecretRecord& r);
// A reveal needs who (a user), which secret and a non-empty reason.
Status ValidateReveal(const app::RevealRecord& r);
Status ValidateProfileEvent(const app::ProfileEventRecord& e);

// kFailedPrecondition when `parent` is not of the kind `child` hangs from, or of another org.
Status CheckParent(const domain::ProfileEntry& child, const domain::ProfileEntry& parent);

}  // namespace soporte::storage
