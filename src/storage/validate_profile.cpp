#include "storage/validate_profile.hpp"

namespace soporte::storage {
namespace {

Status Invalid(std::string message) { return Fail(ErrorCode::kInvalidArgument, std::move(message)); }

}  // namespace

Status ValidateProfileEntry(const domain::ProfileEntry& e) {
  if (!e.org_id.valid()) return Invalid("a profile entry needs an organisation");
  const auto& spec = domain::SpecOf(e.kind);
  if (!spec.parent && e.parent.valid()) {
    return Invalid("a " + std::string(spec.name) + " hangs from nothing");
  }
  if (spec.parent && spec.parent_required && !e.parent.valid()) {
    return Invalid("a " + std::string(spec.name) + " needs its " +
                   std::string(domain::SpecOf(*spec.parent).name));
  }
  auto fields = e.fields;
  SOPORTE_TRY_STATUS(domain::NormalizeFields(e.kind, fields));
  if (fields != e.fields) return Invalid("a profile entry's fields must be normalised before storing");
  return Ok();
}

Status ValidateSecret(const app::SecretRecord& r) {
  if (!r.org_id.valid() || !r.entry_id.valid()) return Invalid("a secret needs its organisation and entry");
  if (r.field.empty()) return Invalid("a secret needs its field name");
  if (r.sealed.key_id.empty() || r.sealed.nonce.empty() || r.sealed.ciphertext.empty()) {
    return Invalid("a secret is stored sealed: key id, nonce and ciphertext are required");
  }
  return Ok();
}

Status ValidateReveal(const app::RevealRecord& r) {
  if (!r.org_id.valid() || r.secret_id <= 0 || !r.entry_id.valid()) {
    return Invalid("a reveal names its organisation, secret and entry");
  }
  if (!r.actor_id.valid()) return Invalid("a reveal names who saw the secret");
  if (r.reason.empty()) return Invalid("a reveal needs a reason");
  return Ok();
}

Status ValidateProfileEvent(const app::ProfileEventRecord& e) {
  if (!e.org_id.valid()) return Invalid("a profile event needs an organisation");
  if (e.kind.empty() || e.action.empty()) return Invalid("a profile event needs a kind and an action");
  return Ok();
}

Status CheckParent(const domain::ProfileEntry& child, const domain::ProfileEntry& parent) {
  const auto& spec = domain::SpecOf(child.kind);
  if (!spec.parent || parent.kind != *spec.parent || parent.org_id != child.org_id) {
    return Fail(ErrorCode::kFailedPrecondition,
                "entry " + std::to_string(parent.id.value()) + " cannot hold a " + std::string(spec.name));
  }
  return Ok();
}

}  // namespace soporte::storage
