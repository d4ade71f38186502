#include "storage/memory/memory_report_repository.hpp"

#include <algorithm>
#include <unordered_map>

namespace soporte::storage::memory_internal {
using domain::report::StatusChange;
using domain::report::TicketFacts;

Result<std::vector<TicketFacts>> MemoryReportRepository::ListSlaFacts(OrgId org, Instant from,
                                                                      Instant to) {
  std::vector<TicketFacts> out;
  std::unordered_map<std::int64_t, std::size_t> index;
  for (const auto& [id, t] : s_.tickets) {
    if (t.org_id != org || t.received_at < from || t.received_at >= to) continue;
    index.emplace(id, out.size());
    out.push_back(TicketFacts{t.number,
                              t.contract_id,
                              t.criticality,
                              t.channel,
                              t.status,
                              t.received_at,
                              t.clock_start,
                              t.response_due,
                              t.first_response_at,
                              {}});
  }
  for (const auto& [id, e] : s_.events) {  // by id: oldest first
    if (e.field != "status") continue;
    const auto it = index.find(e.ticket_id.value());
    if (it == index.end()) continue;
    auto to_status = domain::ParseStatus(e.after);
    if (!to_status) return Fail(ErrorCode::kInternal, "corrupt row: unknown status");
    out[it->second].status_changes.push_back(StatusChange{e.at, *to_status});
  }
  std::stable_sort(out.begin(), out.end(), [](const TicketFacts& a, const TicketFacts& b) {
    return std::tie(a.received_at, a.number) < std::tie(b.received_at, b.number);
  });
  return out;
}

}  // namespace soporte::storage::memory_internal
