#include "storage/postgres/sla_repository.hpp"

#include <algorithm>
#include <string>

#include "storage/postgres/rows.hpp"

namespace soporte::storage::pg_internal {
namespace {

namespace sla = domain::sla;

constexpr std::string_view kColumns =
    "id, ticket_id, kind, due, fire_at, fired_at, claimed_by, lease_until";

Result<std::vector<app::SlaThresholdRecord>> ThresholdsFrom(const PgRows& r) {
  std::vector<app::SlaThresholdRecord> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) {
    SOPORTE_TRY(kind, Decode(sla::ParseSlaThreshold(r.Text(i, 2)), "threshold kind"));
    app::SlaThresholdRecord t;
    t.id = r.Int(i, 0);
    t.ticket_id = TicketId{r.Int(i, 1)};
    t.kind = kind;
    t.due = At(r.Int(i, 3));
    t.fire_at = At(r.Int(i, 4));
    t.fired_at = OptAt(r.OptInt(i, 5));
    t.claimed_by = r.IsNull(i, 6) ? std::string() : r.Text(i, 6);
    t.lease_until = OptAt(r.OptInt(i, 7));
    out.push_back(std::move(t));
  }
  return out;
}

// By fire_at, a warning before a breach at the same instant (the order the watch fires them in).
void InFiringOrder(std::vector<app::SlaThresholdRecord>& rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.fire_at != b.fire_at) return a.fire_at < b.fire_at;
    if (a.kind != b.kind) return a.kind == sla::SlaThresholdKind::kWarning;
    return a.id < b.id;
  });
}

}  // namespace

Result<std::vector<app::SlaThresholdRecord>> PgSlaRepository::ListThresholds(TicketId ticket) {
  // kind is COLLATE "C": 'warning' before 'breach' by bytes, as in SQLite.
  static const std::string kSql = "SELECT " + std::string(kColumns) +
                                  " FROM sla_thresholds WHERE ticket_id = $1 ORDER BY kind DESC";
  PgParams p;
  p.Add(ticket.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  return ThresholdsFrom(rows);
}

Result<std::vector<TicketId>> PgSlaRepository::ListArmQueue(int limit) {
  PgParams p;
  p.Add(std::int64_t{limit});
  SOPORTE_TRY(rows,
              conn_.Query("SELECT ticket_id FROM sla_arm_queue ORDER BY ticket_id LIMIT $1", p));
  std::vector<TicketId> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(TicketId{rows.Int(i, 0)});
  return out;
}

Status PgSlaRepository::ArmThreshold(TicketId ticket, sla::SlaThresholdKind kind, Instant due,
                                     Instant fire_at) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", ticket.value(), "ticket"));
  PgParams p;
  p.Add(ticket.value()).Add(sla::SlaThresholdName(kind)).Add(Secs(due)).Add(Secs(fire_at));
  // A fired row keeps its instants (the WHERE of the upsert leaves it alone).
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO sla_thresholds(ticket_id, kind, due, fire_at) "
                  "VALUES ($1, $2, $3, $4) ON CONFLICT (ticket_id, kind) DO UPDATE SET "
                  "due = excluded.due, fire_at = excluded.fire_at, claimed_by = NULL, "
                  "lease_until = NULL WHERE sla_thresholds.fired_at IS NULL",
                  p));
  return Ok();
}

Status PgSlaRepository::DisarmThresholds(TicketId ticket,
                                         std::optional<sla::SlaThresholdKind> kind) {
  PgParams p;
  p.Add(ticket.value());
  if (kind) {
    p.Add(sla::SlaThresholdName(*kind));
  } else {
    p.AddNull();
  }
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM sla_thresholds WHERE ticket_id = $1 AND fired_at IS NULL "
                  "AND ($2::text IS NULL OR kind = $2::text)",
                  p));
  return Ok();
}

Result<std::vector<app::SlaThresholdRecord>> PgSlaRepository::ClaimThresholds(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  // The CTE walks the partial index sla_thresholds_armed and locks up to `limit` free rows due
  // now, skipping those another node's claim holds locked; the UPDATE repeats the conditions, so
  // a row is leased only while it is still free. A row another node claimed and committed after
  // this transaction began cannot be taken twice either: locking it is then a serialisation
  // failure, and Write runs the claim again on a fresh snapshot. MATERIALIZED: as a subquery
  // joined to the UPDATE it may be run again for each row, each run skipping the rows this
  // statement already updated and locking more, past the limit.
  static const std::string kSql =
      "WITH due AS MATERIALIZED (SELECT id FROM sla_thresholds WHERE fired_at IS NULL "
      "AND fire_at <= $3 AND (lease_until IS NULL OR lease_until < $3) ORDER BY fire_at "
      "LIMIT $4 FOR UPDATE SKIP LOCKED) "
      "UPDATE sla_thresholds t SET claimed_by = $1, lease_until = $2 FROM due "
      "WHERE t.id = due.id AND t.fired_at IS NULL AND "
      "(t.lease_until IS NULL OR t.lease_until < $3) RETURNING " +
      Qualified("t", kColumns);
  PgParams p;
  p.Add(node).Add(Secs(lease_until)).Add(Secs(now)).Add(std::int64_t{limit});
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  SOPORTE_TRY(out, ThresholdsFrom(rows));
  InFiringOrder(out);
  return out;
}

Result<bool> PgSlaRepository::MarkThresholdFired(std::int64_t id, Instant at) {
  PgParams p;
  p.Add(Secs(at)).Add(id);
  SOPORTE_TRY(rows, conn_.Query("UPDATE sla_thresholds SET fired_at = $1, claimed_by = NULL, "
                                "lease_until = NULL WHERE id = $2 AND fired_at IS NULL",
                                p));
  return rows.affected() == 1;
}

Status PgSlaRepository::QueueArm(TicketId ticket) {
  // A missing ticket is answered before (kFailedPrecondition, as SQLite's foreign key): its
  // reference would fail the statement and with it the transaction.
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", ticket.value(), "ticket"));
  PgParams p;
  p.Add(ticket.value());
  SOPORTE_TRY_STATUS(conn_.Query(
      "INSERT INTO sla_arm_queue(ticket_id) VALUES ($1) ON CONFLICT (ticket_id) DO NOTHING", p));
  return Ok();
}

Status PgSlaRepository::DequeueArm(TicketId ticket) {
  PgParams p;
  p.Add(ticket.value());
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM sla_arm_queue WHERE ticket_id = $1", p));
  return Ok();
}

Result<std::optional<Seconds>> PgSlaRepository::GetResolutionTarget(ContractId contract) {
  PgParams p;
  p.Add(contract.value());
  SOPORTE_TRY(rows, conn_.Query("SELECT target_seconds FROM contract_resolution_targets "
                                "WHERE contract_id = $1",
                                p));
  if (rows.empty()) return std::optional<Seconds>{};
  return std::optional<Seconds>(Seconds{rows.Int(0, 0)});
}

Status PgSlaRepository::SetResolutionTarget(ContractId contract, std::optional<Seconds> target) {
  if (target && target->count() <= 0)
    return Fail(ErrorCode::kInvalidArgument, "resolution target must be positive");
  SOPORTE_TRY_STATUS(CheckExists(conn_, "contracts", contract.value(), "contract"));
  PgParams p;
  p.Add(contract.value());
  if (!target) {
    SOPORTE_TRY_STATUS(
        conn_.Query("DELETE FROM contract_resolution_targets WHERE contract_id = $1", p));
    return Ok();
  }
  p.Add(std::int64_t{target->count()});
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO contract_resolution_targets(contract_id, target_seconds) "
                  "VALUES ($1, $2) ON CONFLICT (contract_id) DO UPDATE SET "
                  "target_seconds = excluded.target_seconds",
                  p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
