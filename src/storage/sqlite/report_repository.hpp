// The report extracts in SQLite: app::ReportReader on one connection already inside a
// transaction: one ranged read over two covering indexes (0024_report_facts.sql), named with
// SQLite's INDEXED BY.
// Internal to storage/sqlite.
#pragma once

#include "app/ports/report_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteReportRepository final : public app::ReportReader {
 public:
  explicit SqliteReportRepository(Db& db) : db_(db) {}

  Result<std::vector<domain::report::TicketFacts>> ListSlaFacts(OrgId org, Instant from,
                                                                Instant to) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
