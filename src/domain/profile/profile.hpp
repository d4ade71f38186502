// What support must know about a customer (protocol, "Información necesaria para Soporte"):
// environments (dev, qa, prod) with their hosts, OS users, component paths, start commands,
// admin consoles and test users; components with their versions and patches; contacts and who
// reports to whom; remote access. Every item is a ProfileEntry of one ProfileKind; the kinds,
// their parents and their fields are a data table (KindSpec), so validation, storage and the
// API share one description. Secret fields (passwords, keys) are named here but never held in
// an entry: the app layer seals them (app/ports/security.hpp). Pure values; no I/O.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::domain {

using ProfileEntryId = Id<struct ProfileEntryTag>;

enum class ProfileKind {
  kEnvironment,
  kHost,
  kOsUser,
  kComponentPath,
  kStartCommand,
  kAdminConsole,
  kTestUser,
  kComponent,
  kPatch,
  kContact,
  kRemoteAccess,
};

enum class FieldType {
  kText,      // one line, at most 500 characters
  kLongText,  // several lines, at most 10,000 characters
  kPort,      // 1..65535
  kDate,      // YYYY-MM-DD
  kEmail,     // local@domain
  kChoice,    // one of FieldSpec::choices (comma-separated)
  kRef,       // the id of another entry of the same organisation and of `ref_kind`
  kSecret,    // sealed at rest; never in ProfileEntry::fields
};

struct FieldSpec {
  std::string_view name;
  FieldType type = FieldType::kText;
  bool required = false;
  std::string_view choices;  // kChoice: "dev,qa,prod"
  std::optional<ProfileKind> ref_kind;  // kRef
};

struct KindSpec {
  ProfileKind kind;
  std::string_view name;    // "environment": stored, and in history
  std::string_view plural;  // "environments": in URLs and in the profile's JSON
  std::optional<ProfileKind> parent;  // the kind an entry hangs from
  bool parent_required = true;        // when `parent` is set
  std::span<const FieldSpec> fields;
};

// The table of every kind, in display order. Never empty; immutable.
std::span<const KindSpec> ProfileKinds();
const KindSpec& SpecOf(ProfileKind k);
std::optional<ProfileKind> ParseProfileKind(std::string_view name);         // "environment"
std::optional<ProfileKind> ParseProfileKindPlural(std::string_view plural);  // "environments"
// The spec of field `name` of kind `k`; nullptr when the kind has no such field.
const FieldSpec* FieldOf(ProfileKind k, std::string_view name);

struct ProfileEntry {
  ProfileEntryId id;
  OrgId org_id;
  ProfileKind kind = ProfileKind::kEnvironment;
  ProfileEntryId parent;  // invalid for top-level entries
  std::map<std::string, std::string> fields;  // non-secret fields that have a value
  Instant created_at;
  Instant updated_at;
};

// Checks `fields` against the kind's spec: every name known and not secret, required fields
// present and non-empty, each value of its type (port range, date, e-mail, choice), no control
// characters but newline and tab in long text. Empty values are removed (an absent field).
// kInvalidArgument naming the field and the rule. References (kRef) are checked by the caller,
// which can see the other entries.
Status NormalizeFields(ProfileKind k, std::map<std::string, std::string>& fields);

// The secret fields of `k` ("password", "private_key"), in spec order.
std::vector<std::string_view> SecretFields(ProfileKind k);

// A change summary for the history: "created", or "address: 10.0.0.1 → 10.0.0.2; password
// changed". Secret fields are named, never shown. Pure.
std::string DescribeChange(ProfileKind k, const std::map<std::string, std::string>* before,
                           const std::map<std::string, std::string>& after,
                           const std::vector<std::string>& secrets_changed);

}  // namespace soporte::domain
