// The reports port: read-only extracts for the SLA reports (domain/report), one per report, so
// a store can answer them with its own indexes (SQLite: one ranged read of the organisation's
// tickets and one of their status history). Reached as tx.reports() inside a Store transaction
// (store.hpp). Implemented by storage/sqlite/report_repository.* and
// storage/memory/memory_report_repository.*; checked by the conformance suite.
#pragma once

#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/report/sla_report.hpp"

namespace soporte::app {

// Reads; used by one thread inside one Read or Write call.
class ReportReader {
 public:
  virtual ~ReportReader() = default;

  // The SLA facts of every ticket of organisation `org` received in [from, to): ordered by
  // (received_at, number), each with its "status" history entries oldest first (TicketFacts).
  // Empty when none (also for an unknown organisation). Cost follows the organisation's tickets
  // due from `from` on, never the whole table.
  virtual Result<std::vector<domain::report::TicketFacts>> ListSlaFacts(OrgId org, Instant from,
                                                                        Instant to) = 0;
};

}  // namespace soporte::app
