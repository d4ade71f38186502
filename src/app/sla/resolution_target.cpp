#include "app/sla/resolution_target.hpp"

#include "app/audit/audit_log.hpp"

namespace soporte::app {
namespace {

// The contract `id` when it belongs to organisation `slug`; kNotFound otherwise.
Result<std::pair<domain::Organization, domain::Contract>> ContractOf(ReadTx& tx,
                                                                     const std::string& slug,
                                                                     ContractId id) {
  SOPORTE_TRY(org, tx.orgs().GetOrgBySlug(slug));
  auto c = tx.orgs().GetContract(id);
  if (!c || c->org_id != org.id) {
    if (c || c.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "contract " + std::to_string(id.value()) + " not found");
    }
    return tl::make_unexpected(c.error());
  }
  return std::make_pair(std::move(org), std::move(*c));
}

std::string MinutesText(std::optional<std::int64_t> m) {
  return m ? std::to_string(*m) + " min" : "";
}

std::optional<std::int64_t> MinutesOf(std::optional<Seconds> s) {
  if (!s) return std::nullopt;
  return s->count() / 60;
}

}  // namespace

Result<std::optional<std::int64_t>> ResolutionTargetService::Get(const Principal& who,
                                                                 const std::string& slug,
                                                                 ContractId id) {
  if (!who.staff()) return Fail(ErrorCode::kPermissionDenied, "staff only");
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::optional<std::int64_t>> {
    SOPORTE_TRY(found, ContractOf(tx, slug, id));
    (void)found;
    SOPORTE_TRY(target, tx.sla().GetResolutionTarget(id));
    return MinutesOf(target);
  });
}

Result<std::optional<std::int64_t>> ResolutionTargetService::Set(
    const Principal& who, const std::string& slug, ContractId id,
    std::optional<std::int64_t> minutes) {
  if (!who.manager()) {
    return Fail(ErrorCode::kPermissionDenied, "only supervisors and administrators set targets");
  }
  if (minutes && (*minutes < 1 || *minutes > 525600)) {
    return Fail(ErrorCode::kInvalidArgument,
                "minutes: must be between 1 and 525600 (a year), or null");
  }
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<std::optional<std::int64_t>> {
    SOPORTE_TRY(found, ContractOf(tx, slug, id));
    SOPORTE_TRY(before, tx.sla().GetResolutionTarget(id));
    std::optional<Seconds> target;
    if (minutes) target = Seconds{*minutes * 60};
    SOPORTE_TRY_STATUS(tx.sla().SetResolutionTarget(id, target));
    if (before != target) {
      const AuditSubject subject{"contract", id.value(), found.first.name};
      SOPORTE_TRY_STATUS(AppendAudit(tx, who, now, subject, "resolution_target",
                                     MinutesText(MinutesOf(before)), MinutesText(minutes)));
    }
    return minutes;
  });
}

}  // namespace soporte::app
