#include "storage/sqlite/sla_repository.hpp"

#include <algorithm>
#include <string>

#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace sla = domain::sla;

constexpr std::string_view kColumns =
    "id, ticket_id, kind, due, fire_at, fired_at, claimed_by, lease_until";

Result<app::SlaThresholdRecord> ReadThreshold(const Stmt& r) {
  SOPORTE_TRY(kind, Decode(sla::ParseSlaThreshold(r.Text(2)), "threshold kind"));
  app::SlaThresholdRecord out;
  out.id = r.Int(0);
  out.ticket_id = TicketId{r.Int(1)};
  out.kind = kind;
  out.due = At(r.Int(3));
  out.fire_at = At(r.Int(4));
  if (auto v = r.OptInt(5)) out.fired_at = At(*v);
  out.claimed_by = r.IsNull(6) ? std::string() : r.Text(6);
  if (auto v = r.OptInt(7)) out.lease_until = At(*v);
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

Result<std::vector<app::SlaThresholdRecord>> SqliteSlaRepository::ListThresholds(TicketId ticket) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kColumns,
                                  " FROM sla_thresholds WHERE ticket_id = ? ORDER BY kind DESC"})));
  s.Bind(1, ticket.value());
  return Collect<app::SlaThresholdRecord>(s, ReadThreshold);
}

Result<std::vector<TicketId>> SqliteSlaRepository::ListArmQueue(int limit) {
  SOPORTE_TRY(s, db_.Prepare("SELECT ticket_id FROM sla_arm_queue ORDER BY ticket_id LIMIT ?"));
  s.Bind(1, std::int64_t{limit});
  return Collect<TicketId>(s, [](const Stmt& r) { return TicketId{r.Int(0)}; });
}

Status SqliteSlaRepository::ArmThreshold(TicketId ticket, sla::SlaThresholdKind kind, Instant due,
                                         Instant fire_at) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", ticket.value(), "ticket"));
  // A fired row keeps its instants (the WHERE of the upsert leaves it alone).
  SOPORTE_TRY(
      s,
      db_.Prepare("INSERT INTO sla_thresholds(ticket_id, kind, due, fire_at) VALUES (?, ?, ?, ?) "
                  "ON CONFLICT(ticket_id, kind) DO UPDATE SET due = excluded.due, "
                  "fire_at = excluded.fire_at, claimed_by = NULL, lease_until = NULL "
                  "WHERE sla_thresholds.fired_at IS NULL"));
  s.Bind(1, ticket.value())
      .Bind(2, sla::SlaThresholdName(kind))
      .Bind(3, Secs(due))
      .Bind(4, Secs(fire_at));
  return s.Run();
}

Status SqliteSlaRepository::DisarmThresholds(TicketId ticket,
                                             std::optional<sla::SlaThresholdKind> kind) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sla_thresholds WHERE ticket_id = ? AND fired_at IS NULL "
                             "AND (? IS NULL OR kind = ?)"));
  s.Bind(1, ticket.value());
  if (kind) {
    s.Bind(2, sla::SlaThresholdName(*kind)).Bind(3, sla::SlaThresholdName(*kind));
  } else {
    s.BindNull(2).BindNull(3);
  }
  return s.Run();
}

Result<std::vector<app::SlaThresholdRecord>> SqliteSlaRepository::ClaimThresholds(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  // The inner SELECT walks the partial index sla_thresholds_armed from its start and stops after
  // `limit` free rows due now (PostgreSQL: the same with FOR UPDATE SKIP LOCKED).
  SOPORTE_TRY(s, db_.Prepare(Sql({"UPDATE sla_thresholds SET claimed_by = ?, lease_until = ? "
                                  "WHERE id IN (SELECT id FROM sla_thresholds "
                                  "WHERE fired_at IS NULL AND fire_at <= ? "
                                  "AND (lease_until IS NULL OR lease_until < ?) "
                                  "ORDER BY fire_at LIMIT ?) RETURNING ",
                                  kColumns})));
  s.Bind(1, node)
      .Bind(2, Secs(lease_until))
      .Bind(3, Secs(now))
      .Bind(4, Secs(now))
      .Bind(5, std::int64_t{limit});
  SOPORTE_TRY(rows, Collect<app::SlaThresholdRecord>(s, ReadThreshold));
  InFiringOrder(rows);
  return rows;
}

Result<bool> SqliteSlaRepository::MarkThresholdFired(std::int64_t id, Instant at) {
  SOPORTE_TRY(s, db_.Prepare("UPDATE sla_thresholds SET fired_at = ?, claimed_by = NULL, "
                             "lease_until = NULL WHERE id = ? AND fired_at IS NULL"));
  s.Bind(1, Secs(at)).Bind(2, id);
  SOPORTE_TRY_STATUS(s.Run());
  return db_.Changes() == 1;
}

Status SqliteSlaRepository::QueueArm(TicketId ticket) {
  SOPORTE_TRY(s, db_.Prepare("INSERT OR IGNORE INTO sla_arm_queue(ticket_id) VALUES (?)"));
  s.Bind(1, ticket.value());
  return s.Run();
}

Status SqliteSlaRepository::DequeueArm(TicketId ticket) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sla_arm_queue WHERE ticket_id = ?"));
  s.Bind(1, ticket.value());
  return s.Run();
}

Result<std::optional<Seconds>> SqliteSlaRepository::GetResolutionTarget(ContractId contract) {
  SOPORTE_TRY(
      s,
      db_.Prepare("SELECT target_seconds FROM contract_resolution_targets WHERE contract_id = ?"));
  s.Bind(1, contract.value());
  SOPORTE_TRY(row, s.Step());
  if (!row) return std::optional<Seconds>{};
  return std::optional<Seconds>(Seconds{s.Int(0)});
}

Status SqliteSlaRepository::SetResolutionTarget(ContractId contract,
                                                std::optional<Seconds> target) {
  if (target && target->count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "resolution target must be positive");
  }
  SOPORTE_TRY_STATUS(CheckExists(db_, "contracts", contract.value(), "contract"));
  if (!target) {
    SOPORTE_TRY(s, db_.Prepare("DELETE FROM contract_resolution_targets WHERE contract_id = ?"));
    s.Bind(1, contract.value());
    return s.Run();
  }
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO contract_resolution_targets(contract_id, target_seconds) "
                             "VALUES (?, ?) ON CONFLICT(contract_id) DO UPDATE SET "
                             "target_seconds = excluded.target_seconds"));
  s.Bind(1, contract.value()).Bind(2, std::int64_t{target->count()});
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
