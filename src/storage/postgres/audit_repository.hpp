// The histories in PostgreSQL (postgres/0003_tickets_audit.sql): ticket_events and user_events
// (one shape, (subject, actor, at, field, before, after), read and written through one Trail
// each), profile_events, and the audit log (audit_log, one table keyed by kind, listed newest
// first). app::AuditRepository on one connection already inside a transaction; the same rules
// and errors as storage/sqlite/audit_repository.*. Internal to storage/postgres.
#pragma once

#include "app/ports/audit_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgAuditRepository final : public app::AuditRepository {
 public:
  explicit PgAuditRepository(PgConn& conn) : conn_(conn) {}

  Result<std::vector<domain::TicketEvent>> ListEvents(TicketId t) override;
  Result<std::vector<app::UserEventRecord>> ListUserEvents(UserId user) override;
  Result<std::vector<app::ProfileEventRecord>> ListProfileEvents(OrgId org) override;
  Status AppendEvent(domain::TicketEvent e) override;
  Status AppendUserEvent(app::UserEventRecord e) override;
  Status AppendProfileEvent(app::ProfileEventRecord e) override;
  Result<std::vector<app::AuditEntryView>> ListAuditEntries(const app::AuditQuery& q) override;
  Status AppendAuditEntry(app::AuditEntryRecord e) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
