#include "app/profiles/profile_service.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <set>

namespace soporte::app {
namespace {

using domain::ProfileEntry;
using domain::ProfileEntryId;
using domain::ProfileKind;

constexpr std::size_t kMaxSecretBytes = 16 * 1024;
constexpr std::size_t kMaxReasonChars = 500;

bool CanEdit(const Principal& who, OrgId org) { return MayEditProfile(who, org); }
bool CanReveal(const Principal& who, OrgId org) { return MayRevealSecrets(who, org); }

Status RequireEdit(const Principal& who, OrgId org) {
  if (!CanEdit(who, org)) {
    return Fail(ErrorCode::kPermissionDenied,
                "only support staff or the organisation's administrator may change its profile");
  }
  return Ok();
}

Error EntryNotFound(ProfileKind kind, ProfileEntryId id) {
  return Error{ErrorCode::kNotFound,
               "no " + std::string(domain::SpecOf(kind).name) + " " + std::to_string(id.value())};
}

// The entry `id` of `kind` in `org`; kNotFound otherwise (also for another org's entry).
Result<ProfileEntry> OwnEntry(ReadTx& tx, OrgId org, ProfileKind kind, ProfileEntryId id) {
  auto e = tx.profiles().GetProfileEntry(id);
  if (!e) {
    if (e.error().code == ErrorCode::kNotFound) return tl::make_unexpected(EntryNotFound(kind, id));
    return tl::make_unexpected(e.error());
  }
  if (e->org_id != org || e->kind != kind) return tl::make_unexpected(EntryNotFound(kind, id));
  return e;
}

// Checks the parent (of the right kind, same org) and kRef fields (reports_to: a contact of the
// same organisation, without a cycle).
Status CheckLinks(ReadTx& tx, const ProfileEntry& e) {
  const auto& spec = domain::SpecOf(e.kind);
  if (e.parent.valid()) {
    if (!spec.parent) {
      return Fail(ErrorCode::kInvalidArgument, "a " + std::string(spec.name) + " hangs from nothing");
    }
    auto parent = tx.profiles().GetProfileEntry(e.parent);
    if (!parent || parent->org_id != e.org_id || parent->kind != *spec.parent) {
      return Fail(ErrorCode::kInvalidArgument, std::string(domain::SpecOf(*spec.parent).name) + " " +
                                                   std::to_string(e.parent.value()) + " does not exist");
    }
  } else if (spec.parent && spec.parent_required) {
    return Fail(ErrorCode::kInvalidArgument, std::string(domain::SpecOf(*spec.parent).name) +
                                                 " is required for a " + std::string(spec.name));
  }
  for (const auto& f : spec.fields) {
    if (f.type != domain::FieldType::kRef) continue;
    auto it = e.fields.find(std::string(f.name));
    if (it == e.fields.end()) continue;
    ProfileEntryId target{std::stoll(it->second)};
    std::set<std::int64_t> seen{e.id.value()};
    while (target.valid()) {
      if (seen.contains(target.value())) {
        return Fail(ErrorCode::kInvalidArgument, std::string(f.name) + " would make a cycle");
      }
      seen.insert(target.value());
      auto t = tx.profiles().GetProfileEntry(target);
      if (!t || t->org_id != e.org_id || t->kind != *f.ref_kind) {
        return Fail(ErrorCode::kInvalidArgument, std::string(f.name) + ": " +
                                                     std::string(domain::SpecOf(*f.ref_kind).name) + " " +
                                                     it->second + " does not exist");
      }
      auto next = t->fields.find(std::string(f.name));
      target = next == t->fields.end() ? ProfileEntryId{} : ProfileEntryId{std::stoll(next->second)};
    }
  }
  return Ok();
}

Status CheckSecretInput(ProfileKind kind, const ProfileEntryInput& in) {
  for (const auto& [name, value] : in.secrets) {
    const auto* f = domain::FieldOf(kind, name);
    if (f == nullptr || f->type != domain::FieldType::kSecret) {
      return Fail(ErrorCode::kInvalidArgument, "'" + name + "' is not a secret field of a " +
                                                   std::string(domain::SpecOf(kind).name));
    }
    if (value && value->size() > kMaxSecretBytes) {
      return Fail(ErrorCode::kInvalidArgument, name + " must have at most 16384 bytes");
    }
  }
  return Ok();
}

std::map<std::string, std::int64_t> SecretsOf(const std::vector<SecretRecord>& all, ProfileEntryId id) {
  std::map<std::string, std::int64_t> out;
  for (const auto& s : all) {
    if (s.entry_id == id) out[s.field] = s.id;
  }
  return out;
}

// Seals and stores (or clears) the secrets of `in` for entry `e`.
Status WriteSecrets(WriteTx& tx, const SecretBox& box, const ProfileEntry& e, const ProfileEntryInput& in,
                    UserId actor, Instant now, std::vector<std::string>& changed) {
  for (const auto& [name, value] : in.secrets) {
    if (!value || value->empty()) {
      SOPORTE_TRY_STATUS(tx.profiles().DeleteSecret(e.id, name));
    } else {
      SOPORTE_TRY(sealed, box.Seal(*value, SecretContext(e.org_id, e.id, name)));
      SecretRecord r;
      r.org_id = e.org_id;
      r.entry_id = e.id;
      r.field = name;
      r.sealed = std::move(sealed);
      r.updated_at = now;
      r.updated_by = actor;
      SOPORTE_TRY(stored, tx.profiles().PutSecret(std::move(r)));
      (void)stored;
    }
    changed.push_back(name);
  }
  return Ok();
}

Result<PersonName> NameOf(ReadTx& tx, UserId id) {
  SOPORTE_TRY(u, tx.accounts().GetUser(id));
  return PersonName{u.id, u.name, u.email};
}

}  // namespace

bool MayEditProfile(const Principal& who, OrgId org) { return who.staff() || who.AdministersOrg(org); }
bool MayRevealSecrets(const Principal& who, OrgId org) { return who.staff() || who.AdministersOrg(org); }

Result<std::string> CheckRevealReason(const std::string& reason) {
  std::string why = reason;
  while (!why.empty() && std::isspace(static_cast<unsigned char>(why.back()))) why.pop_back();
  why.erase(0, std::min(why.size(), why.find_first_not_of(" \t\r\n")));
  if (why.empty()) return Fail(ErrorCode::kInvalidArgument, "reason is required to reveal a secret");
  if (why.size() > kMaxReasonChars) return Fail(ErrorCode::kInvalidArgument, "reason must have at most 500 characters");
  return why;
}

std::string SecretContext(OrgId org, domain::ProfileEntryId entry, std::string_view field) {
  return "soporte/secret/v1 org=" + std::to_string(org.value()) + " entry=" +
         std::to_string(entry.value()) + " field=" + std::string(field);
}

ProfileService::ProfileService(Store& store, const SecretBox& box, const Clock& clock)
    : store_(store), box_(box), clock_(clock) {}

Result<ProfileView> ProfileService::Get(const Principal& who, const std::string& org_slug) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<ProfileView> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    SOPORTE_TRY(entries, tx.profiles().ListProfileEntries(org.id));
    SOPORTE_TRY(secrets, tx.profiles().ListSecrets(org.id));
    ProfileView v;
    v.org = org;
    v.can_edit = CanEdit(who, org.id);
    v.can_reveal = CanReveal(who, org.id);
    for (auto& e : entries) {
      auto s = SecretsOf(secrets, e.id);
      v.entries.push_back(ProfileEntryView{std::move(e), std::move(s)});
    }
    return v;
  });
}

Result<ProfileEntryView> ProfileService::Create(const Principal& who, const std::string& org_slug,
                                                ProfileKind kind, ProfileEntryInput in) {
  SOPORTE_TRY_STATUS(domain::NormalizeFields(kind, in.fields));
  SOPORTE_TRY_STATUS(CheckSecretInput(kind, in));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<ProfileEntryView> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    SOPORTE_TRY_STATUS(RequireEdit(who, org.id));
    ProfileEntry e;
    e.org_id = org.id;
    e.kind = kind;
    e.parent = in.parent.value_or(ProfileEntryId{});
    e.fields = in.fields;
    e.created_at = now;
    e.updated_at = now;
    SOPORTE_TRY_STATUS(CheckLinks(tx, e));
    SOPORTE_TRY(stored, tx.profiles().InsertProfileEntry(e));
    std::vector<std::string> changed;
    SOPORTE_TRY_STATUS(WriteSecrets(tx, box_, stored, in, who.user_id, now, changed));
    SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
        0, org.id, who.user_id, now, stored.id, std::string(domain::SpecOf(kind).name), "created",
        domain::DescribeChange(kind, nullptr, stored.fields, changed)}));
    SOPORTE_TRY(secrets, tx.profiles().ListSecrets(org.id));
    return ProfileEntryView{stored, SecretsOf(secrets, stored.id)};
  });
}

Result<ProfileEntryView> ProfileService::Update(const Principal& who, const std::string& org_slug,
                                                ProfileKind kind, ProfileEntryId id, ProfileEntryInput in) {
  SOPORTE_TRY_STATUS(domain::NormalizeFields(kind, in.fields));
  SOPORTE_TRY_STATUS(CheckSecretInput(kind, in));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<ProfileEntryView> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    SOPORTE_TRY(before, OwnEntry(tx, org.id, kind, id));
    SOPORTE_TRY_STATUS(RequireEdit(who, org.id));
    ProfileEntry e = before;
    if (in.parent) e.parent = *in.parent;
    e.fields = in.fields;
    e.updated_at = now;
    SOPORTE_TRY_STATUS(CheckLinks(tx, e));
    SOPORTE_TRY_STATUS(tx.profiles().UpdateProfileEntry(e));
    std::vector<std::string> changed;
    SOPORTE_TRY_STATUS(WriteSecrets(tx, box_, e, in, who.user_id, now, changed));
    std::string detail = domain::DescribeChange(kind, &before.fields, e.fields, changed);
    if (before.parent != e.parent) {
      detail += (detail.empty() ? "" : "; ") + std::string("moved to ") + std::to_string(e.parent.value());
    }
    if (!detail.empty()) {
      SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(
          ProfileEventRecord{0, org.id, who.user_id, now, e.id,
                             std::string(domain::SpecOf(kind).name), "updated", detail}));
    }
    SOPORTE_TRY(secrets, tx.profiles().ListSecrets(org.id));
    return ProfileEntryView{e, SecretsOf(secrets, e.id)};
  });
}

Status ProfileService::Delete(const Principal& who, const std::string& org_slug, ProfileKind kind,
                              ProfileEntryId id) {
  const Instant now = clock_.Now();
  return store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    SOPORTE_TRY(root, OwnEntry(tx, org.id, kind, id));
    SOPORTE_TRY_STATUS(RequireEdit(who, org.id));
    SOPORTE_TRY(all, tx.profiles().ListProfileEntries(org.id));
    // Everything under `root`, children after their parents (ids grow down the tree). An entry
    // whose parent is optional (remote access) is detached instead: it outlives the environment.
    std::set<std::int64_t> doomed{root.id.value()};
    std::vector<ProfileEntry> order{root};
    for (auto e : all) {
      if (!e.parent.valid() || !doomed.contains(e.parent.value()) || doomed.contains(e.id.value())) continue;
      if (!domain::SpecOf(e.kind).parent_required) {
        e.parent = ProfileEntryId{};
        e.updated_at = now;
        SOPORTE_TRY_STATUS(tx.profiles().UpdateProfileEntry(e));
        SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
            0, org.id, who.user_id, now, e.id, std::string(domain::SpecOf(e.kind).name), "updated",
            "detached from " + std::string(domain::SpecOf(root.kind).name) + " " +
                std::to_string(root.id.value())}));
        continue;
      }
      doomed.insert(e.id.value());
      order.push_back(e);
    }
    // Contacts that reported to a removed contact no longer do.
    for (auto e : all) {
      auto it = e.fields.find("reports_to");
      if (doomed.contains(e.id.value()) || it == e.fields.end()) continue;
      if (!doomed.contains(std::stoll(it->second))) continue;
      const auto before = e.fields;
      e.fields.erase(it);
      e.updated_at = now;
      SOPORTE_TRY_STATUS(tx.profiles().UpdateProfileEntry(e));
      SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
          0, org.id, who.user_id, now, e.id, std::string(domain::SpecOf(e.kind).name), "updated",
          domain::DescribeChange(e.kind, &before, e.fields, {})}));
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      SOPORTE_TRY_STATUS(tx.profiles().DeleteProfileEntry(it->id));
      SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
          0, org.id, who.user_id, now, it->id, std::string(domain::SpecOf(it->kind).name),
          "deleted", domain::DescribeChange(it->kind, nullptr, it->fields, {})}));
    }
    return Ok();
  });
}

Result<RevealedSecret> ProfileService::Reveal(const Principal& who, const std::string& org_slug,
                                              std::int64_t secret_id, const std::string& reason) {
  SOPORTE_TRY(why, CheckRevealReason(reason));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<RevealedSecret> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    auto secret = tx.profiles().GetSecret(secret_id);
    if (!secret || secret->org_id != org.id) {
      if (secret || secret.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no secret " + std::to_string(secret_id));
      }
      return tl::make_unexpected(secret.error());
    }
    if (!CanReveal(who, org.id)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "only support staff or the organisation's administrator may reveal a secret");
    }
    SOPORTE_TRY(entry, tx.profiles().GetProfileEntry(secret->entry_id));
    SOPORTE_TRY(value, box_.Open(secret->sealed, SecretContext(org.id, secret->entry_id, secret->field)));
    SOPORTE_TRY_STATUS(tx.profiles().AppendReveal(RevealRecord{
        0, org.id, secret->id, secret->entry_id, secret->field, who.user_id, now, why}));
    SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
        0, org.id, who.user_id, now, entry.id, std::string(domain::SpecOf(entry.kind).name),
        "revealed", secret->field + " revealed: " + why}));
    return RevealedSecret{secret->id, secret->entry_id, secret->field, std::move(value), now};
  });
}

Result<std::vector<RevealView>> ProfileService::ListReveals(const Principal& who, const std::string& org_slug) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<RevealView>> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    if (!who.manager() && !who.AdministersOrg(org.id)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "only a supervisor, an administrator or the organisation's administrator may read the reveal log");
    }
    SOPORTE_TRY(list, tx.profiles().ListReveals(org.id));
    std::vector<RevealView> out;
    for (auto& r : list) {
      SOPORTE_TRY(actor, NameOf(tx, r.actor_id));
      out.push_back(RevealView{std::move(r), std::move(actor)});
    }
    return out;
  });
}

Result<std::vector<ProfileEventView>> ProfileService::History(const Principal& who, const std::string& org_slug) {
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<ProfileEventView>> {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    SOPORTE_TRY(list, tx.audit().ListProfileEvents(org.id));
    std::vector<ProfileEventView> out;
    for (auto& e : list) {
      std::optional<PersonName> actor;
      if (e.actor_id.valid()) {
        SOPORTE_TRY(a, NameOf(tx, e.actor_id));
        actor = std::move(a);
      }
      out.push_back(ProfileEventView{std::move(e), std::move(actor)});
    }
    return out;
  });
}

Status ProfileService::CheckKey(Store& store, const SecretBox& box) {
  return store.Read([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(all, tx.profiles().ListSecrets(std::nullopt));
    for (const auto& s : all) {
      if (s.sealed.key_id != box.KeyId()) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "secret " + std::to_string(s.id) + " is sealed under key " + s.sealed.key_id +
                        ", but the key file holds key " + box.KeyId() +
                        ": restore the right secret.key, or finish a rotation with `soporte secrets rotate-key`");
      }
    }
    // The key id matches: check that the key really opens the values (a forged id, a torn file).
    if (!all.empty()) {
      const auto& s = all.front();
      SOPORTE_TRY(v, box.Open(s.sealed, SecretContext(s.org_id, s.entry_id, s.field)));
      (void)v;
    }
    return Ok();
  });
}

Result<int> ProfileService::Reseal(Store& store, const SecretBox& from, const SecretBox& to, Instant now) {
  return WriteValue(store, [&](WriteTx& tx) -> Result<int> {
    SOPORTE_TRY(all, tx.profiles().ListSecrets(std::nullopt));
    std::map<std::int64_t, int> per_org;
    int count = 0;
    for (auto s : all) {
      if (s.sealed.key_id == to.KeyId()) continue;
      if (s.sealed.key_id != from.KeyId()) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "secret " + std::to_string(s.id) + " is sealed under key " + s.sealed.key_id +
                        ", which is neither the current key (" + from.KeyId() + ") nor the new one (" +
                        to.KeyId() + "); nothing was changed");
      }
      const std::string context = SecretContext(s.org_id, s.entry_id, s.field);
      SOPORTE_TRY(value, from.Open(s.sealed, context));
      SOPORTE_TRY(sealed, to.Seal(value, context));
      std::fill(value.begin(), value.end(), '\0');
      s.sealed = std::move(sealed);
      SOPORTE_TRY(stored, tx.profiles().PutSecret(std::move(s)));
      ++per_org[stored.org_id.value()];
      ++count;
    }
    for (const auto& [org, n] : per_org) {
      SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
          0, OrgId{org}, UserId{}, now, domain::ProfileEntryId{}, "secret", "rotated",
          std::to_string(n) + " secrets re-sealed under key " + to.KeyId()}));
    }
    return count;
  });
}

}  // namespace soporte::app
