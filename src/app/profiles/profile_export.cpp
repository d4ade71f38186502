// ProfileTransfer::Export: an organisation's profile as a portable document, its secrets left
// out or, when asked for, revealed (logged) and encrypted to a passphrase.
#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "app/profiles/profile_service.hpp"
#include "app/profiles/profile_transfer.hpp"
#include "app/profiles/profile_transfer_common.hpp"

namespace soporte::app {

using domain::FieldType;
using domain::ProfileEntry;
using domain::ProfileEntryId;
using domain::ProfileKind;
using profile_transfer_detail::CharCount;
using profile_transfer_detail::kCheckContext;
using profile_transfer_detail::kCheckValue;
using profile_transfer_detail::kMaxPassphraseBytes;
using profile_transfer_detail::PortableOrder;

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
                                                   std::to_string(kMinExportPassphraseChars) +
                                                   " characters");
    }
    if (in.passphrase.size() > kMaxPassphraseBytes) {
      return Fail(ErrorCode::kInvalidArgument, "passphrase must have at most 1024 bytes");
    }
    // Who may export is checked before the costly key derivation, and again in the transaction.
    SOPORTE_TRY_STATUS(store_.Read([&](ReadTx& tx) -> Status {
      SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
      if (!MayRevealSecrets(who, org.id)) {
        return Fail(
            ErrorCode::kPermissionDenied,
            "only support staff or the organisation's administrator may export its secrets");
      }
      return Ok();
    }));
    SOPORTE_TRY(k, crypto_.NewKey(in.passphrase));
    key = std::move(k);
    snap = WriteValue(store_, [&](WriteTx& tx) -> Result<Snapshot> {
      SOPORTE_TRY(org, VisibleOrg(tx, who, org_slug));
      if (!MayRevealSecrets(who, org.id)) {
        return Fail(
            ErrorCode::kPermissionDenied,
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

}  // namespace soporte::app
