#include "app/profiles/profile_transfer.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "app/profiles/profile_service.hpp"

namespace soporte::app {
namespace {

using domain::FieldType;
using domain::ProfileEntry;
using domain::ProfileEntryId;
using domain::ProfileKind;

constexpr std::size_t kMaxKeyChars = 100;
constexpr std::size_t kMaxPassphraseBytes = 1024;
constexpr std::size_t kMaxSecretBytes = 16 * 1024;
constexpr char kCheckContext[] = "soporte-profile/v1 check";
constexpr char kCheckValue[] = "soporte-profile";

// Which fields identify an entry among its siblings when merging (see IdentityFields).
constexpr std::string_view kByKindAndName[] = {"kind", "name"};
constexpr std::string_view kByAddressAndPort[] = {"address", "port"};
constexpr std::string_view kByUser[] = {"user"};
constexpr std::string_view kByComponentAndPath[] = {"component", "path"};
constexpr std::string_view kByComponentAndCommand[] = {"component", "command"};
constexpr std::string_view kByName[] = {"name"};
constexpr std::string_view kByMethodAndAddress[] = {"method", "address"};

// Characters of UTF-8 text (code points; continuation bytes are not counted).
std::size_t CharCount(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Where(std::size_t i, const DocumentEntry& e) {
  return "entries[" + std::to_string(i) + "] (" + e.key + "): ";
}

Error Invalid(std::string message) { return Error{ErrorCode::kInvalidArgument, std::move(message)}; }

// The entries in an order a document can be imported in: an entry after its parent and after
// the entry its reference fields name; otherwise by id. A reference that cannot be honoured
// (a cycle, which the use cases never store) is dropped by the caller.
std::vector<const ProfileEntry*> PortableOrder(const std::vector<ProfileEntry>& all) {
  std::set<std::int64_t> present, placed;
  for (const auto& e : all) present.insert(e.id.value());
  auto ready = [&](const ProfileEntry& e) {
    if (e.parent.valid() && present.contains(e.parent.value()) && !placed.contains(e.parent.value())) return false;
    for (const auto& f : domain::SpecOf(e.kind).fields) {
      if (f.type != FieldType::kRef) continue;
      auto it = e.fields.find(std::string(f.name));
      if (it == e.fields.end()) continue;
      const std::int64_t target = std::stoll(it->second);
      if (target != e.id.value() && present.contains(target) && !placed.contains(target)) return false;
    }
    return true;
  };
  std::vector<const ProfileEntry*> out;
  std::vector<bool> done(all.size(), false);
  for (bool progress = true; progress && out.size() < all.size();) {
    progress = false;
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (done[i] || !ready(all[i])) continue;
      done[i] = true;
      placed.insert(all[i].id.value());
      out.push_back(&all[i]);
      progress = true;
    }
  }
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!done[i]) out.push_back(&all[i]);
  }
  return out;
}

// A document entry checked on its own and against the entries before it.
struct PreparedEntry {
  std::map<std::string, std::string> fields;  // normalized; reference fields hold keys
  std::map<std::string, std::string> secrets;  // plaintext values to seal
};

Status CheckKey(std::size_t i, const DocumentEntry& e) {
  if (e.key.empty() || CharCount(e.key) > kMaxKeyChars) {
    return tl::make_unexpected(Invalid("entries[" + std::to_string(i) + "]: key must have 1 to 100 characters"));
  }
  for (unsigned char c : e.key) {
    if (c < 0x20 || c == 0x7f) {
      return tl::make_unexpected(Invalid("entries[" + std::to_string(i) + "]: key must not contain control characters"));
    }
  }
  return Ok();
}

// Everything about the document that needs no store: keys, kinds, parents, fields, references,
// secret fields and, with `key`, every encrypted value.
Result<std::vector<PreparedEntry>> Prepare(const ProfileDocument& doc, const PassphraseKey* key,
                                           int& skipped) {
  if (doc.version != kProfileDocumentVersion) {
    return tl::make_unexpected(Invalid("version must be " + std::to_string(kProfileDocumentVersion)));
  }
  if (doc.entries.size() > kMaxDocumentEntries) {
    return tl::make_unexpected(Invalid("a document holds at most " + std::to_string(kMaxDocumentEntries) + " entries"));
  }
  std::map<std::string, ProfileKind> earlier;  // key → kind of the entries already checked
  std::vector<PreparedEntry> out;
  out.reserve(doc.entries.size());
  for (std::size_t i = 0; i < doc.entries.size(); ++i) {
    const DocumentEntry& e = doc.entries[i];
    SOPORTE_TRY_STATUS(CheckKey(i, e));
    const std::string at = Where(i, e);
    if (earlier.contains(e.key)) return tl::make_unexpected(Invalid(at + "key is used by an earlier entry"));
    const auto& spec = domain::SpecOf(e.kind);
    if (!e.parent.empty()) {
      if (!spec.parent) return tl::make_unexpected(Invalid(at + "a " + std::string(spec.name) + " hangs from nothing"));
      auto p = earlier.find(e.parent);
      if (p == earlier.end() || p->second != *spec.parent) {
        return tl::make_unexpected(Invalid(at + "parent '" + e.parent + "' is not the key of an earlier " +
                                           std::string(domain::SpecOf(*spec.parent).name)));
      }
    } else if (spec.parent && spec.parent_required) {
      return tl::make_unexpected(Invalid(at + "a " + std::string(spec.name) + " needs a parent " +
                                         std::string(domain::SpecOf(*spec.parent).name)));
    }
    PreparedEntry p;
    p.fields = e.fields;
    std::map<std::string, std::string> refs;
    for (const auto& f : spec.fields) {
      if (f.type != FieldType::kRef) continue;
      auto it = p.fields.find(std::string(f.name));
      if (it == p.fields.end()) continue;
      if (!it->second.empty()) {
        auto target = earlier.find(it->second);
        if (target == earlier.end() || target->second != *f.ref_kind) {
          return tl::make_unexpected(Invalid(at + std::string(f.name) + " '" + it->second +
                                             "' is not the key of an earlier " +
                                             std::string(domain::SpecOf(*f.ref_kind).name)));
        }
        refs[it->first] = it->second;
      }
      p.fields.erase(it);
    }
    if (auto st = domain::NormalizeFields(e.kind, p.fields); !st) {
      return tl::make_unexpected(Invalid(at + st.error().message));
    }
    p.fields.merge(refs);
    for (const auto& [name, secret] : e.secrets) {
      const auto* f = domain::FieldOf(e.kind, name);
      if (f == nullptr || f->type != FieldType::kSecret) {
        return tl::make_unexpected(Invalid(at + "'" + name + "' is not a secret field of a " + std::string(spec.name)));
      }
      if (!secret.value) {
        if (secret.set) ++skipped;
        continue;
      }
      if (key == nullptr) {
        return tl::make_unexpected(Invalid(at + name + " carries an encrypted value, but the document has no encryption block"));
      }
      auto plain = key->Open(*secret.value, DocumentSecretContext(e.key, name));
      if (!plain) return tl::make_unexpected(Invalid(at + name + " " + plain.error().message));
      if (plain->size() > kMaxSecretBytes) {
        return tl::make_unexpected(Invalid(at + name + " must have at most 16384 bytes"));
      }
      if (!plain->empty()) p.secrets[name] = std::move(*plain);
    }
    earlier.emplace(e.key, e.kind);
    out.push_back(std::move(p));
  }
  return out;
}

bool SameIdentity(ProfileKind kind, const std::map<std::string, std::string>& a,
                  const std::map<std::string, std::string>& b) {
  for (std::string_view name : IdentityFields(kind)) {
    const std::string n(name);
    auto x = a.find(n);
    auto y = b.find(n);
    const std::string_view va = x == a.end() ? std::string_view() : std::string_view(x->second);
    const std::string_view vb = y == b.end() ? std::string_view() : std::string_view(y->second);
    if (va != vb) return false;
  }
  return true;
}

std::string ModeName(ImportMode m) { return m == ImportMode::kReplace ? "replace" : "merge"; }

}  // namespace

std::span<const std::string_view> IdentityFields(ProfileKind kind) {
  switch (kind) {
    case ProfileKind::kEnvironment: return kByKindAndName;
    case ProfileKind::kHost: return kByAddressAndPort;
    case ProfileKind::kOsUser: return kByUser;
    case ProfileKind::kComponentPath: return kByComponentAndPath;
    case ProfileKind::kStartCommand: return kByComponentAndCommand;
    case ProfileKind::kAdminConsole: return kByName;
    case ProfileKind::kTestUser: return kByUser;
    case ProfileKind::kComponent: return kByName;
    case ProfileKind::kPatch: return kByName;
    case ProfileKind::kContact: return kByName;
    case ProfileKind::kRemoteAccess: return kByMethodAndAddress;
  }
  return kByName;
}

std::string DocumentSecretContext(std::string_view entry_key, std::string_view field) {
  return "soporte-profile/v1 entry=" + std::string(entry_key) + " field=" + std::string(field);
}

ProfileTransfer::ProfileTransfer(Store& store, const SecretBox& box, const PassphraseCrypto& crypto,
                                 const Clock& clock)
    : store_(store), box_(box), crypto_(crypto), clock_(clock) {}

Result<ProfileDocument> ProfileTransfer::Export(const Principal& who, const std::string& org_slug,
                                                const ExportRequest& in) {
  struct Snapshot {
    domain::Organization org;
    std::vector<ProfileEntry> entries;
    std::vector<SecretRecord> secrets;
    std::map<std::int64_t, std::string> values;  // secret id → plaintext (with secrets only)
  };
  const Instant now = clock_.Now();
  std::unique_ptr<PassphraseKey> key;
  Result<Snapshot> snap;
  if (!in.include_secrets) {
    snap = ReadValue(store_, [&](ReadTx& tx) -> Result<Snapshot> {
      SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
      SOPORTE_TRY(entries, tx.profiles().ListProfileEntries(org.id));
      SOPORTE_TRY(secrets, tx.profiles().ListSecrets(org.id));
      return Snapshot{std::move(org), std::move(entries), std::move(secrets), {}};
    });
  } else {
    SOPORTE_TRY(why, CheckRevealReason(in.reason));
    if (CharCount(in.passphrase) < kMinExportPassphraseChars) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase must have at least " +
                                                   std::to_string(kMinExportPassphraseChars) + " characters");
    }
    if (in.passphrase.size() > kMaxPassphraseBytes) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase must have at most 1024 bytes");
    }
    // Who may export is checked before the costly key derivation, and again in the transaction.
    SOPORTE_TRY_STATUS(store_.Read([&](ReadTx& tx) -> Status {
      SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
      if (!MayRevealSecrets(who, org.id)) {
        return Fail(ErrorCode::kPermissionDenied,
                    "only support staff or the organisation's administrator may export its secrets");
      }
      return Ok();
    }));
    SOPORTE_TRY(k, crypto_.NewKey(in.passphrase));
    key = std::move(k);
    snap = WriteValue(store_, [&](WriteTx& tx) -> Result<Snapshot> {
      SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
      if (!MayRevealSecrets(who, org.id)) {
        return Fail(ErrorCode::kPermissionDenied,
                    "only support staff or the organisation's administrator may export its secrets");
      }
      SOPORTE_TRY(entries, tx.profiles().ListProfileEntries(org.id));
      SOPORTE_TRY(secrets, tx.profiles().ListSecrets(org.id));
      Snapshot s{org, std::move(entries), std::move(secrets), {}};
      // An export with secrets is a reveal of each one: one reveal-log record per secret (so the
      // log answers "who has seen this password?" for every secret), then one history event.
      for (const auto& r : s.secrets) {
        SOPORTE_TRY(value, box_.Open(r.sealed, SecretContext(org.id, r.entry_id, r.field)));
        s.values.emplace(r.id, std::move(value));
        SOPORTE_TRY_STATUS(tx.profiles().AppendReveal(RevealRecord{
            0, org.id, r.id, r.entry_id, r.field, who.user_id, now, "profile export: " + why}));
      }
      SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(
          ProfileEventRecord{0, org.id, who.user_id, now, ProfileEntryId{}, "profile", "exported",
                             std::to_string(s.secrets.size()) +
                                 " secrets exported, encrypted to a passphrase: " + why}));
      return s;
    });
  }
  if (!snap) return tl::make_unexpected(snap.error());

  ProfileDocument doc;
  doc.organisation = snap->org.slug;
  doc.exported_at = now;
  if (key) {
    doc.encryption = key->params();
    SOPORTE_TRY(check, key->Seal(kCheckValue, kCheckContext));
    doc.check = std::move(check);
  }
  const auto order = PortableOrder(snap->entries);
  std::map<std::int64_t, std::string> keys;  // entry id → document key
  std::map<ProfileKind, int> counts;
  for (const ProfileEntry* e : order) {
    DocumentEntry d;
    d.kind = e->kind;
    d.key = std::string(domain::SpecOf(e->kind).name) + "-" + std::to_string(++counts[e->kind]);
    if (e->parent.valid()) {
      auto p = keys.find(e->parent.value());
      if (p != keys.end()) d.parent = p->second;
    }
    for (const auto& [name, value] : e->fields) {
      const auto* f = domain::FieldOf(e->kind, name);
      if (f != nullptr && f->type == FieldType::kRef) {
        auto t = keys.find(std::stoll(value));
        if (t != keys.end()) d.fields[name] = t->second;  // else: a reference that cannot be kept
        continue;
      }
      d.fields[name] = value;
    }
    for (const auto& r : snap->secrets) {
      if (r.entry_id != e->id) continue;
      DocumentSecret s;
      s.set = true;
      if (key) {
        auto& plain = snap->values.at(r.id);
        SOPORTE_TRY(sealed, key->Seal(plain, DocumentSecretContext(d.key, r.field)));
        std::fill(plain.begin(), plain.end(), '\0');
        s.value = std::move(sealed);
      }
      d.secrets[r.field] = std::move(s);
    }
    keys[e->id.value()] = d.key;
    doc.entries.push_back(std::move(d));
  }
  return doc;
}

Result<ImportSummary> ProfileTransfer::Import(const Principal& who, const std::string& org_slug,
                                              const ImportRequest& in) {
  const ProfileDocument& doc = in.document;
  // Who may import, before any costly work (and again in the transaction).
  SOPORTE_TRY_STATUS(store_.Read([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    if (!MayEditProfile(who, org.id)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "only support staff or the organisation's administrator may import its profile");
    }
    return Ok();
  }));
  std::unique_ptr<PassphraseKey> key;
  if (doc.encryption) {
    if (in.passphrase.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase is required: this document carries encrypted secrets");
    }
    if (!doc.check) return Fail(ErrorCode::kInvalidArgument, "encryption.check is missing");
    if (in.passphrase.size() > kMaxPassphraseBytes) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase must have at most 1024 bytes");
    }
    SOPORTE_TRY(k, crypto_.DeriveKey(in.passphrase, *doc.encryption));
    auto check = k->Open(*doc.check, kCheckContext);
    if (!check || *check != kCheckValue) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase is wrong: the document's secrets do not decrypt with it");
    }
    key = std::move(k);
  }
  ImportSummary summary;
  SOPORTE_TRY(prepared, Prepare(doc, key.get(), summary.secrets_skipped));
  key.reset();

  const Instant now = clock_.Now();
  auto applied = WriteValue(store_, [&](WriteTx& tx) -> Result<ImportSummary> {
    ImportSummary s = summary;
    SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
    if (!MayEditProfile(who, org.id)) {
      return Fail(ErrorCode::kPermissionDenied,
                  "only support staff or the organisation's administrator may import its profile");
    }
    SOPORTE_TRY(existing, tx.profiles().ListProfileEntries(org.id));
    if (in.mode == ImportMode::kReplace) {
      // Children (and contacts reporting to others) go before what they hang from.
      const auto order = PortableOrder(existing);
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const ProfileEntry& e = **it;
        SOPORTE_TRY_STATUS(tx.profiles().DeleteProfileEntry(e.id));
        SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
            0, org.id, who.user_id, now, e.id, std::string(domain::SpecOf(e.kind).name), "deleted",
            domain::DescribeChange(e.kind, nullptr, e.fields, {})}));
        ++s.deleted;
      }
      existing.clear();
    }
    SOPORTE_TRY(stored_secrets, tx.profiles().ListSecrets(org.id));
    std::map<std::string, ProfileEntryId> ids;  // document key → entry id here
    std::set<std::int64_t> matched;
    for (std::size_t i = 0; i < doc.entries.size(); ++i) {
      const DocumentEntry& d = doc.entries[i];
      const PreparedEntry& p = prepared[i];
      ProfileEntry e;
      e.org_id = org.id;
      e.kind = d.kind;
      e.parent = d.parent.empty() ? ProfileEntryId{} : ids.at(d.parent);
      e.fields = p.fields;
      for (const auto& f : domain::SpecOf(d.kind).fields) {
        if (f.type != FieldType::kRef) continue;
        auto it = e.fields.find(std::string(f.name));
        if (it != e.fields.end()) it->second = std::to_string(ids.at(it->second).value());
      }
      const ProfileEntry* match = nullptr;
      for (const auto& x : existing) {
        if (x.kind == e.kind && x.parent == e.parent && !matched.contains(x.id.value()) &&
            SameIdentity(e.kind, x.fields, e.fields)) {
          match = &x;
          break;
        }
      }
      // Secrets to write: those whose value differs from the stored one.
      std::vector<std::pair<std::string, const std::string*>> to_seal;
      for (const auto& [name, value] : p.secrets) {
        if (match != nullptr) {
          auto old = std::find_if(stored_secrets.begin(), stored_secrets.end(), [&](const SecretRecord& r) {
            return r.entry_id == match->id && r.field == name;
          });
          if (old != stored_secrets.end()) {
            auto plain = box_.Open(old->sealed, SecretContext(org.id, match->id, name));
            if (plain && *plain == value) continue;
          }
        }
        to_seal.emplace_back(name, &value);
      }
      ProfileEntry stored;
      std::string action;
      if (match != nullptr) {
        matched.insert(match->id.value());
        stored = *match;
        if (stored.fields == e.fields && to_seal.empty()) {
          ++s.unchanged;
          ids[d.key] = stored.id;
          continue;
        }
        stored.fields = e.fields;
        stored.updated_at = now;
        SOPORTE_TRY_STATUS(tx.profiles().UpdateProfileEntry(stored));
        action = "updated";
        ++s.updated;
      } else {
        e.created_at = now;
        e.updated_at = now;
        SOPORTE_TRY(inserted, tx.profiles().InsertProfileEntry(e));
        stored = std::move(inserted);
        action = "created";
        ++s.created;
      }
      ids[d.key] = stored.id;
      std::vector<std::string> changed;
      for (const auto& [name, value] : to_seal) {
        SOPORTE_TRY(sealed, box_.Seal(*value, SecretContext(org.id, stored.id, name)));
        SecretRecord r;
        r.org_id = org.id;
        r.entry_id = stored.id;
        r.field = name;
        r.sealed = std::move(sealed);
        r.updated_at = now;
        r.updated_by = who.user_id;
        SOPORTE_TRY(put, tx.profiles().PutSecret(std::move(r)));
        (void)put;
        changed.push_back(name);
        ++s.secrets_imported;
      }
      SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
          0, org.id, who.user_id, now, stored.id, std::string(domain::SpecOf(stored.kind).name),
          action,
          domain::DescribeChange(stored.kind, match != nullptr ? &match->fields : nullptr,
                                 stored.fields, changed)}));
    }
    SOPORTE_TRY_STATUS(tx.audit().AppendProfileEvent(ProfileEventRecord{
        0, org.id, who.user_id, now, ProfileEntryId{}, "profile", "imported",
        ModeName(in.mode) + " of a document exported from '" + doc.organisation + "': " +
            std::to_string(s.created) + " created, " + std::to_string(s.updated) + " updated, " +
            std::to_string(s.unchanged) + " unchanged, " + std::to_string(s.deleted) +
            " deleted, " + std::to_string(s.secrets_imported) + " secrets imported"}));
    return s;
  });
  for (auto& p : prepared) {
    for (auto& [name, value] : p.secrets) std::fill(value.begin(), value.end(), '\0');
  }
  return applied;
}

}  // namespace soporte::app
