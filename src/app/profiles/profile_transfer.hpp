// Export and import of an organisation's profile as one portable document (issue 6, item 3).
//
// Export: every entry, parents before their parents' children and a contact after the contact it
// reports to, each named by a key that is unique in the document ("host-2"): references (parent,
// reports_to) use those keys, never database ids, so the document can be imported into any
// organisation on any server. Secrets are left out (only whether each was set) unless asked for:
// then exporting is a reveal (same people, a reason, one reveal-log record per secret, and one
// "exported" history event), and every value is encrypted to a passphrase (argon2id + XChaCha20-
// Poly1305, app/ports/passphrase.hpp) bound to its entry key and field.
//
// Import: the whole document is checked before anything is written (kinds, fields, parents,
// references, the passphrase); then it is applied in one store transaction: all or nothing.
// kMerge (default) never removes anything: an entry that matches an existing one of the same
// kind under the same parent by its identifying fields (IdentityFields) is updated, others are
// added. kReplace removes the organisation's whole profile first, then adds the document.
// Secrets are re-sealed under the server's SecretBox. Who may import: whoever may change the
// profile (staff, the organisation's administrator).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/passphrase.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/profile/profile.hpp"

namespace soporte::app {

inline constexpr int kProfileDocumentVersion = 1;
inline constexpr std::size_t kMinExportPassphraseChars = 12;
inline constexpr std::size_t kMaxDocumentEntries = 5000;

// One secret field of an entry in a document: whether it was set, and when the export carried
// secrets, its value encrypted to the document's passphrase.
struct DocumentSecret {
  bool set = false;
  std::optional<PassphraseSealed> value;
};

struct DocumentEntry {
  std::string key;  // unique in the document, at most 100 characters
  domain::ProfileKind kind = domain::ProfileKind::kEnvironment;
  std::string parent;  // the parent's key; empty for none
  // Non-secret fields; a reference field (reports_to) holds the key of the entry it names.
  std::map<std::string, std::string> fields;
  std::map<std::string, DocumentSecret> secrets;
};

struct ProfileDocument {
  int version = kProfileDocumentVersion;
  std::string organisation;  // the slug it was exported from (informative on import)
  Instant exported_at;
  // Present when values are encrypted: the key's derivation, and a known value sealed under it
  // so a wrong passphrase is told apart from a damaged value.
  std::optional<PassphraseParams> encryption;
  std::optional<PassphraseSealed> check;
  std::vector<DocumentEntry> entries;  // parents and referenced contacts first
};

struct ExportRequest {
  bool include_secrets = false;
  std::string passphrase;  // include_secrets: at least kMinExportPassphraseChars characters
  std::string reason;      // include_secrets: required, as for a reveal
};

enum class ImportMode { kMerge, kReplace };

struct ImportRequest {
  ProfileDocument document;
  ImportMode mode = ImportMode::kMerge;
  std::string passphrase;  // required when the document carries encrypted values
};

struct ImportSummary {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int deleted = 0;           // kReplace: the entries removed first
  int secrets_imported = 0;  // encrypted values re-sealed under the server's key
  int secrets_skipped = 0;   // secrets marked "set" without a value (an export without secrets)
};

// The fields that tell an entry apart from its siblings (same kind, same parent) when merging:
// an environment by kind and name, a host by address and port, a contact by name… Never empty.
std::span<const std::string_view> IdentityFields(domain::ProfileKind kind);

// The associated data a document value is bound to: its entry key and field.
std::string DocumentSecretContext(std::string_view entry_key, std::string_view field);

class ProfileTransfer {
 public:
  ProfileTransfer(Store& store, const SecretBox& box, const PassphraseCrypto& crypto, const Clock& clock);

  // The profile of `org_slug` as a document. Without secrets: whoever may read the profile
  // (kNotFound for another organisation's customer). With secrets: kInvalidArgument for a blank
  // or over-long reason or a short passphrase; kPermissionDenied for whoever may not reveal;
  // the reveal records and the history event are committed before the document is returned.
  // Costly with secrets (a key derivation): never call on an io thread.
  Result<ProfileDocument> Export(const Principal& who, const std::string& org_slug, const ExportRequest& in);

  // Applies `in.document` to `org_slug` (see the file comment). kInvalidArgument naming the
  // entry ("entries[3] (host-2): address is required for a host") and nothing written for any
  // bad entry, reference, secret field, a missing or wrong passphrase; kPermissionDenied for a
  // customer who may not change the profile; kNotFound for an invisible organisation.
  Result<ImportSummary> Import(const Principal& who, const std::string& org_slug, const ImportRequest& in);

 private:
  Store& store_;
  const SecretBox& box_;
  const PassphraseCrypto& crypto_;
  const Clock& clock_;
};

}  // namespace soporte::app
