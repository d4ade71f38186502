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
  e.id = s_.next_profile_event++;
  s_.profile_events.push_back(std::move(e));
  return Ok();
}

}  // namespace soporte::storage::memory_internal
