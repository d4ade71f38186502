// The report extracts in memory: app::ReportReader over the MemoryStore's state
// (memory_state.hpp), with the SQLite one's semantics (the conformance suite checks both).
// Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/report_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryReportRepository final : public app::ReportReader {
 public:
  explicit MemoryReportRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<domain::report::TicketFacts>> ListSlaFacts(OrgId org, Instant from,
                                                                Instant to) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
