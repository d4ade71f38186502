#include "app/audit/audit_log.hpp"

#include <algorithm>
#include <map>

#include <date/date.h>

namespace soporte::app {
namespace {

std::string Day(std::chrono::sys_days d) { return date::format("%F", d); }

// "8h" for whole hours, "90m" otherwise.
std::string Span(Seconds s) {
  if (s.count() % 3600 == 0) return std::to_string(s.count() / 3600) + "h";
  return std::to_string(s.count() / 60) + "m";
}

}  // namespace

AuditFields ContractAuditFields(const domain::Contract& c, const std::string& calendar_name) {
  std::string channels;
  for (auto ch :
       {sla::Channel::kPortal, sla::Channel::kEmail, sla::Channel::kPhone, sla::Channel::kChat}) {
    if (!c.channels.Has(ch)) continue;
    if (!channels.empty()) channels += ",";
    channels += sla::Name(ch);
  }
  const std::string targets = "normal=" + Span(c.targets.normal) +
                              ",important=" + Span(c.targets.important) +
                              ",critical=" + Span(c.targets.critical);
  return {{"modality", std::string(sla::Name(c.modality))},
          {"zone", c.zone},
          {"valid_from", Day(c.valid_from)},
          {"valid_to", c.valid_to ? Day(*c.valid_to) : ""},
          {"channels", channels},
          {"targets", targets},
          {"calendar", calendar_name}};
}

Status AppendAudit(WriteTx& tx, const Principal& who, Instant at, const AuditSubject& subject,
                   std::string field, std::string before, std::string after) {
  return tx.audit().AppendAuditEntry(
      AuditEntryRecord{0, subject.kind, subject.id, subject.name, who.user_id, at, who.address,
                       std::move(field), std::move(before), std::move(after)});
}

Status AppendAuditChanges(WriteTx& tx, const Principal& who, Instant at,
                          const AuditSubject& subject, const AuditFields& before,
                          const AuditFields& after) {
  std::map<std::string, std::string> old(before.begin(), before.end());
  for (const auto& [field, value] : after) {
    std::string was = old.count(field) ? old[field] : "";
    if (was == value) continue;
    SOPORTE_TRY_STATUS(AppendAudit(tx, who, at, subject, field, std::move(was), value));
  }
  return Ok();
}

const std::vector<std::string>& AuditKinds() {
  static const std::vector<std::string> kinds{"org",   "contract", "calendar", "settings",
                                              "token", "login",    "webhook"};
  return kinds;
}

Result<std::vector<AuditEntryView>> AuditService::List(const Principal& who, const AuditQuery& q) {
  if (!who.manager()) {
    return Fail(ErrorCode::kPermissionDenied,
                "only a supervisor or an administrator may read the audit log");
  }
  if (!q.kind.empty() &&
      std::find(AuditKinds().begin(), AuditKinds().end(), q.kind) == AuditKinds().end()) {
    return Fail(ErrorCode::kInvalidArgument, "unknown kind '" + q.kind + "'");
  }
  if (q.limit < 1 || q.limit > 200) {
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  }
  return ReadValue(store_, [&](ReadTx& tx) { return tx.audit().ListAuditEntries(q); });
}

}  // namespace soporte::app
