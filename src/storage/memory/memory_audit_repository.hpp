// The ticket, user and profile histories and the audit log in memory: app::AuditRepository over the
// MemoryStore's state (memory_state.hpp). Same semantics as the SQLite one (the conformance suite
// checks both). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/audit_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryAuditRepository final : public app::AuditRepository {
 public:
  explicit MemoryAuditRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) override;
  Result<std::vector<app::UserEventRecord>> ListUserEvents(UserId user) override;
  Result<std::vector<app::ProfileEventRecord>> ListProfileEvents(OrgId org) override;
  Status AppendEvent(domain::TicketEvent e) override;
  Status AppendUserEvent(app::UserEventRecord e) override;
  Status AppendProfileEvent(app::ProfileEventRecord e) override;
  Result<std::vector<app::AuditEntryView>> ListAuditEntries(const app::AuditQuery& q) override;
  Status AppendAuditEntry(app::AuditEntryRecord e) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
