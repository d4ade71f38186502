#include "storage/sqlite/report_repository.hpp"

#include <unordered_map>

#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {
namespace sla = domain::sla;
using domain::report::StatusChange;
using domain::report::TicketFacts;

namespace {

// A ticket's due is never before its reception (due >= clock start >= reception), so
// `response_due >= from` is implied by `received_at >= from` and lets the read range over
// tickets_by_org(org_id, response_due, number) instead of every ticket of the organisation.
constexpr const char* kInPeriod =
    " WHERE t.org_id = ?1 AND t.response_due >= ?2 AND t.received_at >= ?2 AND t.received_at < ?3";

}  // namespace

Result<std::vector<TicketFacts>> SqliteReportRepository::ListSlaFacts(OrgId org, Instant from,
                                                                      Instant to) {
  std::vector<TicketFacts> out;
  std::unordered_map<std::int64_t, std::size_t> index;  // ticket id → position in out
  {
    SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT t.id, t.number, t.contract_id, t.criticality,"
                                    " t.channel, t.status, t.received_at, t.clock_start,"
                                    " t.response_due, t.first_response_at FROM tickets t",
                                    kInPeriod, " ORDER BY t.received_at, t.number"})));
    s.Bind(1, org.value()).Bind(2, Secs(from)).Bind(3, Secs(to));
    SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) -> Status {
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
      index.emplace(r.Int(0), out.size());
      out.push_back(std::move(f));
      return Ok();
    }));
  }
  if (out.empty()) return out;
  SOPORTE_TRY(s,
              db_.Prepare(Sql({"SELECT e.ticket_id, e.at, e.after FROM tickets t"
                               " JOIN ticket_events e ON e.ticket_id = t.id AND e.field = 'status'",
                               kInPeriod, " ORDER BY e.ticket_id, e.id"})));
  s.Bind(1, org.value()).Bind(2, Secs(from)).Bind(3, Secs(to));
  SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) -> Status {
    const auto it = index.find(r.Int(0));
    if (it == index.end()) return Ok();
    SOPORTE_TRY(to_status, Decode(domain::ParseStatus(r.Text(2)), "status"));
    out[it->second].status_changes.push_back(StatusChange{At(r.Int(1)), to_status});
    return Ok();
  }));
  return out;
}

}  // namespace soporte::storage::sqlite_internal
