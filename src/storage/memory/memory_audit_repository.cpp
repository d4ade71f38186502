#include "storage/memory/memory_audit_repository.hpp"

#include <string>

#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::memory_internal {

Result<std::vector<domain::TicketEvent>> MemoryAuditRepository::ListEvents(TicketId t) {
  std::vector<domain::TicketEvent> out;
  for (const auto& [id, e] : s_.events) {
    if (e.ticket_id == t) out.push_back(e);
  }
  return out;
}

Result<std::vector<app::UserEventRecord>> MemoryAuditRepository::ListUserEvents(UserId user) {
  std::vector<app::UserEventRecord> out;
  for (const auto& e : s_.user_events) {
    if (e.user_id == user) out.push_back(e);
  }
  return out;
}

Result<std::vector<app::ProfileEventRecord>> MemoryAuditRepository::ListProfileEvents(OrgId org) {
  std::vector<app::ProfileEventRecord> out;
  for (const auto& e : s_.profile_events) {
    if (e.org_id == org) out.push_back(e);
  }
  return out;
}

Status MemoryAuditRepository::AppendEvent(domain::TicketEvent e) {
  SOPORTE_TRY_STATUS(ValidateEvent(e));
  SOPORTE_TRY_STATUS(CheckExists(s_.tickets, e.ticket_id.value(), "ticket"));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.actor_id.value(), "user"));
  e.id = s_.next_event++;
  s_.events[e.id] = e;
  return Ok();
}

Status MemoryAuditRepository::AppendUserEvent(app::UserEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateUserEvent(e));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, e.user_id.value(), "user"));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.actor_id.value(), "user"));
  e.id = s_.next_user_event++;
  s_.user_events.push_back(std::move(e));
  return Ok();
}

Status MemoryAuditRepository::AppendProfileEvent(app::ProfileEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateProfileEvent(e));
  // As SQLite's foreign keys: the organisation and a given actor must exist.
  SOPORTE_TRY_STATUS(CheckExists(s_.orgs, e.org_id.value(), "organisation"));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.actor_id.value(), "user"));
  e.id = s_.next_profile_event++;
  s_.profile_events.push_back(std::move(e));
  return Ok();
}

Result<std::vector<app::AuditEntryView>> MemoryAuditRepository::ListAuditEntries(
    const app::AuditQuery& q) {
  SOPORTE_TRY_STATUS(ValidateAuditQuery(q));
  std::vector<app::AuditEntryView> out;
  for (auto it = s_.audit_log.rbegin(); it != s_.audit_log.rend(); ++it) {
    if (static_cast<int>(out.size()) >= q.limit) break;
    const app::AuditEntryRecord& e = *it;
    if (!q.kind.empty() && e.kind != q.kind) continue;
    if (q.since && e.at < *q.since) continue;
    if (q.before_id != 0 && e.id >= q.before_id) continue;
    std::string actor;
    if (auto u = s_.users.find(e.actor_id.value()); u != s_.users.end()) actor = u->second.name;
    out.push_back(app::AuditEntryView{e, std::move(actor)});
  }
  return out;
}

Status MemoryAuditRepository::AppendAuditEntry(app::AuditEntryRecord e) {
  SOPORTE_TRY_STATUS(ValidateAuditEntry(e));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, e.actor_id.value(), "user"));
  e.id = s_.next_audit_entry++;
  s_.audit_log.push_back(std::move(e));
  return Ok();
}

}  // namespace soporte::storage::memory_internal
