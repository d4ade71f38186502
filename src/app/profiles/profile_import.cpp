// ProfileTransfer::Import: a profile document checked whole before anything is written (Prepare),
// then merged into or replacing the organisation's profile in one transaction.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/profiles/profile_service.hpp"
#include "app/profiles/profile_transfer.hpp"
#include "app/profiles/profile_transfer_common.hpp"

namespace soporte::app {
namespace {

using domain::FieldType;
using domain::ProfileEntry;
using domain::ProfileEntryId;
using domain::ProfileKind;
using profile_transfer_detail::CharCount;
using profile_transfer_detail::kCheckContext;
using profile_transfer_detail::kCheckValue;
using profile_transfer_detail::kMaxPassphraseBytes;
using profile_transfer_detail::PortableOrder;

constexpr std::size_t kMaxKeyChars = 100;
constexpr std::size_t kMaxSecretBytes = 16 * 1024;

std::string Where(std::size_t i, const DocumentEntry& e) {
  return "entries[" + std::to_string(i) + "] (" + e.key + "): ";
}

Error Invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

// A document entry checked on its own and against the entries before it.
struct PreparedEntry {
  std::map<std::string, std::string> fields;   // normalized; reference fields hold keys
  std::map<std::string, std::string> secrets;  // plaintext values to seal
};

Status CheckKey(std::size_t i, const DocumentEntry& e) {
  if (e.key.empty() || CharCount(e.key) > kMaxKeyChars) {
    return tl::make_unexpected(
        Invalid("entries[" + std::to_string(i) + "]: key must have 1 to 100 characters"));
  }
  for (unsigned char c : e.key) {
    if (c < 0x20 || c == 0x7f) {
      return tl::make_unexpected(
          Invalid("entries[" + std::to_string(i) + "]: key must not contain control characters"));
    }
  }
  return Ok();
}

// Everything about the document that needs no store: keys, kinds, parents, fields, references,
// secret fields and, with `key`, every encrypted value.
Result<std::vector<PreparedEntry>> Prepare(const ProfileDocument& doc, const PassphraseKey* key,
                                           int& skipped) {
  if (doc.version != kProfileDocumentVersion) {
    return tl::make_unexpected(
        Invalid("version must be " + std::to_string(kProfileDocumentVersion)));
  }
  if (doc.entries.size() > kMaxDocumentEntries) {
    return tl::make_unexpected(
        Invalid("a document holds at most " + std::to_string(kMaxDocumentEntries) + " entries"));
  }
  std::map<std::string, ProfileKind> earlier;  // key → kind of the entries already checked
  std::vector<PreparedEntry> out;
  out.reserve(doc.entries.size());
  for (std::size_t i = 0; i < doc.entries.size(); ++i) {
    const DocumentEntry& e = doc.entries[i];
    SOPORTE_TRY_STATUS(CheckKey(i, e));
    const std::string at = Where(i, e);
    if (earlier.contains(e.key))
      return tl::make_unexpected(Invalid(at + "key is used by an earlier entry"));
    const auto& spec = domain::SpecOf(e.kind);
    if (!e.parent.empty()) {
      if (!spec.parent)
        return tl::make_unexpected(
            Invalid(at + "a " + std::string(spec.name) + " hangs from nothing"));
      auto p = earlier.find(e.parent);
      if (p == earlier.end() || p->second != *spec.parent) {
        return tl::make_unexpected(Invalid(at + "parent '" + e.parent +
                                           "' is not the key of an earlier " +
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
        return tl::make_unexpected(
            Invalid(at + "'" + name + "' is not a secret field of a " + std::string(spec.name)));
      }
      if (!secret.value) {
        if (secret.set) ++skipped;
        continue;
      }
      if (key == nullptr) {
        return tl::make_unexpected(Invalid(
            at + name + " carries an encrypted value, but the document has no encryption block"));
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
      return Fail(ErrorCode::kInvalidArgument,
                  "passphrase is required: this document carries encrypted secrets");
    }
    if (!doc.check) return Fail(ErrorCode::kInvalidArgument, "encryption.check is missing");
    if (in.passphrase.size() > kMaxPassphraseBytes) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase must have at most 1024 bytes");
    }
    SOPORTE_TRY(k, crypto_.DeriveKey(in.passphrase, *doc.encryption));
    auto check = k->Open(*doc.check, kCheckContext);
    if (!check || *check != kCheckValue) {
      return FailField(ErrorCode::kInvalidArgument, "passphrase", "wrong_passphrase",
                       "passphrase is wrong: the document's secrets do not decrypt with it");
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
          auto old = std::find_if(
              stored_secrets.begin(), stored_secrets.end(),
              [&](const SecretRecord& r) { return r.entry_id == match->id && r.field == name; });
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
