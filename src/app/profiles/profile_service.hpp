// Use cases of a customer's profile (issue 6; protocol "Información necesaria para Soporte"):
// read the profile, add, change and remove its entries, reveal a secret with a reason, read the
// reveal log and the history, and re-seal every secret under a new key.
//
// Who may do what: staff and the organisation's customers read the profile (secrets only as
// "set"); staff and the organisation's administrator (a customer with org_admin) change it;
// staff and that administrator reveal a secret, always with a reason, which is logged before
// the value is returned; supervisors, admins and the organisation's administrator read the
// reveal log. Another organisation's customer gets kNotFound for everything (no existence leak).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/admin_service.hpp"  // VisibleOrg
#include "app/accounts/principal.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/profile/profile.hpp"

namespace soporte::app {

// An entry as callers see it: its fields and which secret fields are set (field → secret id).
struct ProfileEntryView {
  domain::ProfileEntry entry;
  std::map<std::string, std::int64_t> secrets;
};

struct ProfileView {
  domain::Organization org;
  std::vector<ProfileEntryView> entries;  // by id: parents before children
  bool can_edit = false;    // the caller may change the profile
  bool can_reveal = false;  // the caller may reveal its secrets
};

// What a client sends to create or replace an entry.
struct ProfileEntryInput {
  std::optional<domain::ProfileEntryId> parent;  // update: absent keeps the current parent
  std::map<std::string, std::string> fields;     // every non-secret field (replaces all on update)
  // Secret fields: a value sets it, nullopt clears it, absent keeps it.
  std::map<std::string, std::optional<std::string>> secrets;
};

struct RevealedSecret {
  std::int64_t secret_id = 0;
  domain::ProfileEntryId entry_id;
  std::string field;
  std::string value;
  Instant revealed_at;
};

struct PersonName {
  UserId id;
  std::string name;
  std::string email;
};

struct RevealView {
  RevealRecord record;
  PersonName actor;
};

struct ProfileEventView {
  ProfileEventRecord record;
  std::optional<PersonName> actor;  // none: the system
};

class ProfileService {
 public:
  ProfileService(Store& store, const SecretBox& box, const Clock& clock);

  Result<ProfileView> Get(const Principal& who, const std::string& org_slug);
  // kInvalidArgument for bad fields, an unknown secret field, a missing or wrong parent or a
  // bad reports_to; kPermissionDenied for a customer who is not its organisation's
  // administrator. Secrets are sealed before the transaction and stored only sealed.
  Result<ProfileEntryView> Create(const Principal& who, const std::string& org_slug,
                                  domain::ProfileKind kind, ProfileEntryInput in);
  // kNotFound when the entry is not of `kind` in that organisation.
  Result<ProfileEntryView> Update(const Principal& who, const std::string& org_slug,
                                  domain::ProfileKind kind, domain::ProfileEntryId id, ProfileEntryInput in);
  // Removes the entry with everything that hangs from it (and their secrets); contacts that
  // reported to a removed contact no longer do.
  Status Delete(const Principal& who, const std::string& org_slug, domain::ProfileKind kind,
                domain::ProfileEntryId id);

  // The plaintext of secret `secret_id`, after the reveal (who, when, reason) is committed to
  // the reveal log and the history. kInvalidArgument without a reason (blank) or with one over
  // 500 characters; kPermissionDenied for a customer who is not the administrator;
  // kFailedPrecondition when the key cannot open it.
  Result<RevealedSecret> Reveal(const Principal& who, const std::string& org_slug,
                                std::int64_t secret_id, const std::string& reason);
  Result<std::vector<RevealView>> ListReveals(const Principal& who, const std::string& org_slug);
  Result<std::vector<ProfileEventView>> History(const Principal& who, const std::string& org_slug);

  // Ok when every stored secret was sealed under `box`'s key; kFailedPrecondition naming the
  // foreign key id otherwise (a wrong DATA/secret.key, or an unfinished rotation).
  static Status CheckKey(Store& store, const SecretBox& box);
  // Re-seals, in one transaction, every secret not yet under `to` (opened with `from`), and
  // records a "rotated" event per organisation. Restartable: values already under `to` are
  // skipped. Returns how many were re-sealed. kFailedPrecondition when a value opens under
  // neither key; nothing is changed then.
  static Result<int> Reseal(Store& store, const SecretBox& from, const SecretBox& to, Instant now);

 private:
  Store& store_;
  const SecretBox& box_;
  const Clock& clock_;
};

// The context a secret is sealed under: binds it to its organisation, entry and field.
std::string SecretContext(OrgId org, domain::ProfileEntryId entry, std::string_view field);

// The rules above, shared with the profile's export and import (profile_transfer.hpp).
bool MayEditProfile(const Principal& who, OrgId org);     // staff, the org's administrator
bool MayRevealSecrets(const Principal& who, OrgId org);   // staff, the org's administrator
// `reason` trimmed; kInvalidArgument when blank or over 500 characters.
Result<std::string> CheckRevealReason(const std::string& reason);

}  // namespace soporte::app
