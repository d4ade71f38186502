// The report extracts in PostgreSQL: app::ReportReader on one connection already inside a
// transaction. The SLA facts are one ranged read of the covering indexes tickets_sla_facts and
// ticket_events_status (postgres/0003_tickets_audit.sql, SQLite's 0024), with the semantics of
// storage/sqlite/report_repository.*. Internal to storage/postgres.
#pragma once

#include "app/ports/report_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgReportRepository final : public app::ReportReader {
 public:
  explicit PgReportRepository(PgConn& conn) : conn_(conn) {}

  Result<std::vector<domain::report::TicketFacts>> ListSlaFacts(OrgId org, Instant from,
                                                                Instant to) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
