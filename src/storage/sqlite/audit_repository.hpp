// The histories in SQLite: ticket_events and user_events through one AuditTrail each
// (audit_trail.hpp), and profile_events, whose rows name an entry and an action instead of a
// field, and the audit log (audit_log, one table keyed by kind). app::AuditRepository on one
// connection already inside a transaction. Internal to storage/sqlite.
#pragma once

#include "app/ports/audit_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteAuditRepository final : public app::AuditRepository {
 public:
  explicit SqliteAuditRepository(Db& db) : db_(db) {}

  Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) override;
  Result<std::vector<app::UserEventRecord>> ListUserEvents(UserId user) override;
  Result<std::vector<app::ProfileEventRecord>> ListProfileEvents(OrgId org) override;
  Status AppendEvent(domain::TicketEvent e) override;
  Status AppendUserEvent(app::UserEventRecord e) override;
  Status AppendProfileEvent(app::ProfileEventRecord e) override;
  Result<std::vector<app::AuditEntryView>> ListAuditEntries(const app::AuditQuery& q) override;
  Status AppendAuditEntry(app::AuditEntryRecord e) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
