#include "storage/postgres/report_repository.hpp"

#include <utility>

#include "storage/postgres/rows.hpp"

namespace soporte::storage::pg_internal {
namespace sla = domain::sla;
using domain::report::StatusChange;
using domain::report::TicketFacts;

namespace {

// Each ticket of the period with its status entries (none: one row of NULLs). The tickets are
// one range of tickets_sla_facts (org_id, received_at, …), and each one's entries one probe of the
// partial ticket_events_status (ticket_id, id, at, after, field) WHERE field = 'status', whose
// condition the subquery repeats. PostgreSQL has no INDEXED BY: a plain LEFT JOIN is planned as a
// hash join over every status entry of the desk whenever the statistics make that look cheaper
// (measured: a whole scan of ticket_events on a freshly loaded table). The LATERAL subquery with
// OFFSET 0 cannot be flattened into a join, so the plan is always a nested loop of per-ticket
// seeks: the cost follows the organisation's tickets in the period, as in SQLite. ORDER BY then
// sorts only the rows returned.
constexpr const char* kFacts =
    "SELECT t.id, t.number, t.contract_id, t.criticality, t.channel, t.status, t.received_at,"
    " t.clock_start, t.response_due, t.first_response_at, e.id, e.at, e.after"
    " FROM tickets t LEFT JOIN LATERAL (SELECT s.id, s.at, s.after FROM ticket_events s"
    " WHERE s.ticket_id = t.id AND s.field = 'status' ORDER BY s.id OFFSET 0) e ON TRUE"
    " WHERE t.org_id = $1 AND t.received_at >= $2 AND t.received_at < $3"
    " ORDER BY t.received_at, t.number, e.id";

// The ticket columns (0–9) of a kFacts row, without its status entries.
Result<TicketFacts> TicketOf(const PgRow& r) {
  TicketFacts f;
  f.number = r.Int(1);
  f.contract_id = ContractId{r.Int(2)};
  SOPORTE_TRY(crit, Decode(sla::ParseCriticality(r.Text(3)), "criticality"));
  SOPORTE_TRY(channel, Decode(sla::ParseChannel(r.Text(4)), "channel"));
  SOPORTE_TRY(status, Decode(domain::ParseStatus(r.Text(5)), "status"));
  f.criticality = crit;
  f.channel = channel;
  f.status = status;
  f.received_at = At(r.Int(6));
  f.clock_start = At(r.Int(7));
  f.response_due = At(r.Int(8));
  if (!r.IsNull(9)) f.first_response_at = At(r.Int(9));
  return f;
}

}  // namespace

Result<std::vector<TicketFacts>> PgReportRepository::ListSlaFacts(OrgId org, Instant from,
                                                                  Instant to) {
  PgParams p;
  p.Add(org.value()).Add(Secs(from)).Add(Secs(to));
  SOPORTE_TRY(rows, conn_.Query(kFacts, p));
  std::vector<TicketFacts> out;
  std::int64_t ticket_id = 0;  // of out.back(); ids are positive
  for (int i = 0; i < rows.size(); ++i) {
    const PgRow r(rows, i);
    if (out.empty() || r.Int(0) != ticket_id) {
      SOPORTE_TRY(f, TicketOf(r));
      out.push_back(std::move(f));
      ticket_id = r.Int(0);
    }
    if (!r.IsNull(10)) {
      SOPORTE_TRY(to_status, Decode(domain::ParseStatus(r.Text(12)), "status"));
      out.back().status_changes.push_back(StatusChange{At(r.Int(11)), to_status});
    }
  }
  return out;
}

}  // namespace soporte::storage::pg_internal
