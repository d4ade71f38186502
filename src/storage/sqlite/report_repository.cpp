#include "storage/sqlite/report_repository.hpp"

#include <algorithm>
#include <tuple>
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
  // One pass: each ticket of the period with its status entries (none: one row of NULLs). No
  // ORDER BY: SQLite would sort every joined row in a temporary b-tree; the tickets are ordered
  // and each ticket's entries put in id order below, which costs less than the sort did.
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT t.id, t.number, t.contract_id, t.criticality,"
                                  " t.channel, t.status, t.received_at, t.clock_start,"
                                  " t.response_due, t.first_response_at, e.id, e.at, e.after"
                                  " FROM tickets t LEFT JOIN ticket_events e"
                                  " ON e.ticket_id = t.id AND e.field = 'status'",
                                  kInPeriod})));
  s.Bind(1, org.value()).Bind(2, Secs(from)).Bind(3, Secs(to));
  std::vector<TicketFacts> out;
  std::vector<std::vector<std::pair<std::int64_t, StatusChange>>> changes;  // by position in out
  std::unordered_map<std::int64_t, std::size_t> index;  // ticket id → position in out
  SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) -> Status {
    auto [it, fresh] = index.try_emplace(r.Int(0), out.size());
    if (fresh) {
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
      out.push_back(std::move(f));
      changes.emplace_back();
    }
    if (!r.IsNull(10)) {
      SOPORTE_TRY(to_status, Decode(domain::ParseStatus(r.Text(12)), "status"));
      changes[it->second].emplace_back(r.Int(10), StatusChange{At(r.Int(11)), to_status});
    }
    return Ok();
  }));
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& c = changes[i];
    std::sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    out[i].status_changes.reserve(c.size());
    for (auto& [id, change] : c) out[i].status_changes.push_back(change);
  }
  std::sort(out.begin(), out.end(), [](const TicketFacts& a, const TicketFacts& b) {
    return std::tie(a.received_at, a.number) < std::tie(b.received_at, b.number);
  });
  return out;
}

}  // namespace soporte::storage::sqlite_internal
