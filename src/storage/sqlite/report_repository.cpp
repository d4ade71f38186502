#include "storage/sqlite/report_repository.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {
namespace sla = domain::sla;
using domain::report::StatusChange;
using domain::report::TicketFacts;

namespace {

// Each ticket of the period with its status entries (none: one row of NULLs), read from the two
// covering indexes of 0024_report_facts.sql and never from the table rows: the organisation's
// tickets as one range of tickets_sla_facts in (received_at, number) order, and for each one a
// seek into ticket_events_status, whose entries come in id order. INDEXED BY keeps the plan from
// depending on the planner's statistics. No ORDER BY: SQLite does not prove that this nested loop
// already yields (received_at, number, e.id) and would sort every joined row in a temporary
// b-tree; ListSlaFacts checks the order instead (kFacts rows must not be read in any other way).
constexpr const char* kFacts =
    "SELECT t.id, t.number, t.contract_id, t.criticality, t.channel, t.status, t.received_at,"
    " t.clock_start, t.response_due, t.first_response_at, e.id, e.at, e.after"
    " FROM tickets t INDEXED BY tickets_sla_facts"
    " LEFT JOIN ticket_events e INDEXED BY ticket_events_status"
    " ON e.ticket_id = t.id AND e.field = 'status'"
    " WHERE t.org_id = ?1 AND t.received_at >= ?2 AND t.received_at < ?3";

// The ticket columns (0–9) of a kFacts row, without its status entries. The names are parsed in
// place (Stmt::TextView): no string is made per row.
Result<TicketFacts> TicketOf(const Stmt& r) {
  TicketFacts f;
  f.number = r.Int(1);
  f.contract_id = ContractId{r.Int(2)};
  SOPORTE_TRY(crit, Decode(sla::ParseCriticality(r.TextView(3)), "criticality"));
  SOPORTE_TRY(channel, Decode(sla::ParseChannel(r.TextView(4)), "channel"));
  SOPORTE_TRY(status, Decode(domain::ParseStatus(r.TextView(5)), "status"));
  f.criticality = crit;
  f.channel = channel;
  f.status = status;
  f.received_at = At(r.Int(6));
  f.clock_start = At(r.Int(7));
  f.response_due = At(r.Int(8));
  if (!r.IsNull(9)) f.first_response_at = At(r.Int(9));
  return f;
}

// The status entry (columns 11–12) of a kFacts row that has one (column 10 not NULL).
Result<StatusChange> ChangeOf(const Stmt& r) {
  SOPORTE_TRY(to_status, Decode(domain::ParseStatus(r.TextView(12)), "status"));
  return StatusChange{At(r.Int(11)), to_status};
}

bool Before(const TicketFacts& a, const TicketFacts& b) {
  return std::tie(a.received_at, a.number) < std::tie(b.received_at, b.number);
}

// The same facts from rows in any order: tickets looked up by id, each one's entries put in id
// order, the tickets sorted. What ListSlaFacts falls back on if the rows ever come otherwise.
Result<std::vector<TicketFacts>> ReadInAnyOrder(Stmt& s) {
  std::vector<TicketFacts> out;
  std::vector<std::vector<std::pair<std::int64_t, StatusChange>>> changes;  // by position in out
  std::unordered_map<std::int64_t, std::size_t> index;  // ticket id → position in out
  SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) -> Status {
    auto [it, fresh] = index.try_emplace(r.Int(0), out.size());
    if (fresh) {
      SOPORTE_TRY(f, TicketOf(r));
      out.push_back(std::move(f));
      changes.emplace_back();
    }
    if (!r.IsNull(10)) {
      SOPORTE_TRY(change, ChangeOf(r));
      changes[it->second].emplace_back(r.Int(10), change);
    }
    return Ok();
  }));
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& c = changes[i];
    std::sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    out[i].status_changes.clear();
    for (auto& [id, change] : c) out[i].status_changes.push_back(change);
  }
  std::sort(out.begin(), out.end(), Before);
  return out;
}

}  // namespace

Result<std::vector<TicketFacts>> SqliteReportRepository::ListSlaFacts(OrgId org, Instant from,
                                                                      Instant to) {
  // One pass that appends: the rows of one ticket come together, its entries in id order, and
  // the tickets in (received_at, number) order. Checked on the way: an entry whose id does not
  // rise, or tickets not strictly in order (a ticket met twice, apart, repeats its key), and the
  // rows are read again by ReadInAnyOrder.
  std::vector<TicketFacts> out;
  bool in_order = true;
  {
    SOPORTE_TRY(s, db_.Prepare(kFacts));  // reset when this block ends
    s.Bind(1, org.value()).Bind(2, Secs(from)).Bind(3, Secs(to));
    std::int64_t ticket_id = 0;  // of out.back(); ids are positive
    std::int64_t event_id = 0;   // of out.back().status_changes.back()
    SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) -> Status {
      const std::int64_t id = r.Int(0);
      if (out.empty() || id != ticket_id) {
        SOPORTE_TRY(f, TicketOf(r));
        if (!out.empty() && !Before(out.back(), f)) in_order = false;
        out.push_back(std::move(f));
        ticket_id = id;
        event_id = 0;
      }
      if (!r.IsNull(10)) {
        const std::int64_t e = r.Int(10);
        if (e <= event_id) in_order = false;
        event_id = e;
        SOPORTE_TRY(change, ChangeOf(r));
        out.back().status_changes.push_back(change);
      }
      return Ok();
    }));
  }
  if (in_order) return out;
  SOPORTE_TRY(s, db_.Prepare(kFacts));
  s.Bind(1, org.value()).Bind(2, Secs(from)).Bind(3, Secs(to));
  return ReadInAnyOrder(s);
}

}  // namespace soporte::storage::sqlite_internal
