#include "storage/postgres/oncall_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>

#include "storage/postgres/read_rows.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/rows/oncall.hpp"

namespace soporte::storage::pg_internal {
namespace {

namespace oc = domain::oncall;

// The row readers and column lists both stores share (storage/rows/oncall.hpp).
using rows::kDeliveryCols;
using rows::kPageCols;
using rows::kRotaSelect;
constexpr auto ReadRotaRow = rows::RotaFrom<PgRow>;
constexpr auto ReadPageRow = rows::PageFrom<PgRow>;
constexpr auto ReadDeliveryRow = rows::DeliveryFrom<PgRow>;

Error PageNotFound(std::int64_t id) { return NotFound("page " + std::to_string(id)); }

}  // namespace

Status PgOnCallRepository::ReadRotaParts(oc::Rota& r) {
  SOPORTE_TRY(shifts, conn_.Query("SELECT weekday, start_s, length_s, primary_id, secondary_id "
                                  "FROM oncall_shifts WHERE rota_id = $1 ORDER BY position",
                                  PgParams().Add(r.id)));
  for (int i = 0; i < shifts.size(); ++i) {
    const PgRow q(shifts, i);
    r.shifts.push_back(oc::RotaShift{static_cast<unsigned>(q.Int(0)), Seconds{q.Int(1)},
                                     Seconds{q.Int(2)}, UserId{q.Int(3)},
                                     UserId{q.IsNull(4) ? 0 : q.Int(4)}});
  }
  SOPORTE_TRY(overrides, conn_.Query("SELECT from_at, until_at, level, user_id, note "
                                     "FROM oncall_overrides WHERE rota_id = $1 ORDER BY position",
                                     PgParams().Add(r.id)));
  for (int i = 0; i < overrides.size(); ++i) {
    const PgRow q(overrides, i);
    r.overrides.push_back(oc::RotaOverride{At(q.Int(0)), At(q.Int(1)), static_cast<int>(q.Int(2)),
                                           UserId{q.Int(3)}, q.Text(4)});
  }
  return Ok();
}

Status PgOnCallRepository::WriteRotaParts(const oc::Rota& r) {
  // Every user is looked up before the first write: a missing one is kFailedPrecondition, as a
  // foreign key is in SQLite, without a failed statement aborting the transaction.
  for (const oc::RotaShift& s : r.shifts) {
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", s.primary.value(), "user"));
    if (s.secondary.valid())
      SOPORTE_TRY_STATUS(CheckExists(conn_, "users", s.secondary.value(), "user"));
  }
  for (const oc::RotaOverride& o : r.overrides)
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", o.user.value(), "user"));
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM oncall_shifts WHERE rota_id = $1", PgParams().Add(r.id)));
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM oncall_overrides WHERE rota_id = $1", PgParams().Add(r.id)));
  for (std::size_t i = 0; i < r.shifts.size(); ++i) {
    const oc::RotaShift& s = r.shifts[i];
    PgParams p;
    p.Add(r.id)
        .Add(static_cast<std::int64_t>(i))
        .Add(static_cast<std::int64_t>(s.start_day))
        .Add(static_cast<std::int64_t>(s.start.count()))
        .Add(static_cast<std::int64_t>(s.length.count()))
        .Add(s.primary.value())
        .AddOpt(OptId(s.secondary.value()));
    SOPORTE_TRY_STATUS(
        conn_.Query("INSERT INTO oncall_shifts(rota_id, position, weekday, "
                    "start_s, length_s, primary_id, secondary_id) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    p));
  }
  for (std::size_t i = 0; i < r.overrides.size(); ++i) {
    const oc::RotaOverride& o = r.overrides[i];
    PgParams p;
    p.Add(r.id)
        .Add(static_cast<std::int64_t>(i))
        .Add(Secs(o.from))
        .Add(Secs(o.until))
        .Add(o.level)
        .Add(o.user.value())
        .Add(o.note);
    SOPORTE_TRY_STATUS(
        conn_.Query("INSERT INTO oncall_overrides(rota_id, position, from_at, "
                    "until_at, level, user_id, note) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    p));
  }
  return Ok();
}

Result<std::vector<oc::Rota>> PgOnCallRepository::ListRotas() {
  SOPORTE_TRY(
      out, QueryAll<oc::Rota>(conn_, std::string(kRotaSelect) + " ORDER BY id", {}, ReadRotaRow));
  for (auto& r : out) SOPORTE_TRY_STATUS(ReadRotaParts(r));
  return out;
}

Result<oc::Rota> PgOnCallRepository::GetRota(std::int64_t id) {
  SOPORTE_TRY(
      r, QueryOne<oc::Rota>(conn_, std::string(kRotaSelect) + " WHERE id = $1", PgParams().Add(id),
                            ReadRotaRow, NotFound("rota " + std::to_string(id))));
  SOPORTE_TRY_STATUS(ReadRotaParts(r));
  return r;
}

Result<oc::Rota> PgOnCallRepository::InsertRota(oc::Rota r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  PgParams p;
  p.Add(r.name).Add(r.zone).Add(Secs(r.created_at)).Add(Secs(r.updated_at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO oncall_rotas(name, zone, version, created_at, "
                                "updated_at) VALUES ($1, $2, 1, $3, $4) RETURNING id",
                                p));
  r.id = rows.Int(0, 0);
  r.version = 1;
  SOPORTE_TRY_STATUS(WriteRotaParts(r));
  return r;
}

Result<oc::Rota> PgOnCallRepository::UpdateRota(oc::Rota r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  PgParams p;
  p.Add(r.name).Add(r.zone).Add(Secs(r.updated_at)).Add(r.id).Add(r.version);
  SOPORTE_TRY(rows, conn_.Query("UPDATE oncall_rotas SET name = $1, zone = $2, updated_at = $3, "
                                "version = version + 1 WHERE id = $4 AND version = $5",
                                p));
  if (rows.affected() == 0) {
    SOPORTE_TRY(current, GetRota(r.id));
    return Fail(ErrorCode::kAborted, "rota " + std::to_string(r.id) + " changed (version " +
                                         std::to_string(current.version) + "); reload it");
  }
  SOPORTE_TRY_STATUS(WriteRotaParts(r));
  return GetRota(r.id);
}

Status PgOnCallRepository::DeleteRota(std::int64_t id) {
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM oncall_shifts WHERE rota_id = $1", PgParams().Add(id)));
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM oncall_overrides WHERE rota_id = $1", PgParams().Add(id)));
  SOPORTE_TRY(rows, conn_.Query("DELETE FROM oncall_rotas WHERE id = $1", PgParams().Add(id)));
  if (rows.affected() == 0) return tl::make_unexpected(NotFound("rota " + std::to_string(id)));
  return Ok();
}

Result<app::PageRecord> PgOnCallRepository::GetPage(std::int64_t id) {
  return QueryOne<app::PageRecord>(conn_, Sql({"SELECT ", kPageCols, " FROM pages WHERE id = $1"}),
                                   PgParams().Add(id), ReadPageRow, PageNotFound(id));
}

Result<std::vector<app::PageRecord>> PgOnCallRepository::ListPages(TicketId t) {
  return QueryAll<app::PageRecord>(
      conn_, Sql({"SELECT ", kPageCols, " FROM pages WHERE ticket_id = $1 ORDER BY id"}),
      PgParams().Add(t.value()), ReadPageRow);
}

Result<std::vector<app::PageRecord>> PgOnCallRepository::ListOpenPages(int limit) {
  // Walks pages_open backwards (its condition repeated).
  return QueryAll<app::PageRecord>(
      conn_,
      Sql({"SELECT ", kPageCols,
           " FROM pages WHERE acknowledged_at IS NULL ORDER BY id DESC LIMIT $1"}),
      PgParams().Add(limit), ReadPageRow);
}

Result<std::vector<app::PageDeliveryRecord>> PgOnCallRepository::ListPageDeliveries(
    std::int64_t page_id) {
  return QueryAll<app::PageDeliveryRecord>(
      conn_,
      Sql({"SELECT ", kDeliveryCols, " FROM page_deliveries WHERE page_id = $1 ORDER BY id"}),
      PgParams().Add(page_id), ReadDeliveryRow);
}

Result<app::PageDeliveryRecord> PgOnCallRepository::FindPageDelivery(const std::string& ack_hash) {
  return QueryOne<app::PageDeliveryRecord>(
      conn_, Sql({"SELECT ", kDeliveryCols, " FROM page_deliveries WHERE ack_hash = $1"}),
      PgParams().Add(ack_hash), ReadDeliveryRow, NotFound("page link"));
}

Result<app::PageRecord> PgOnCallRepository::InsertPage(app::PageRecord p) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", p.ticket_id.value(), "ticket"));
  if (p.acknowledged_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", p.acknowledged_by.value(), "user"));
  PgParams q;
  q.Add(p.ticket_id.value())
      .Add(p.reason)
      .Add(Secs(p.due))
      .Add(p.level)
      .AddOpt(OptId(p.rota_id))
      .Add(Secs(p.created_at))
      .AddOpt(OptSecs(p.escalate_at))
      .AddOpt(OptSecs(p.claimed_until))
      .AddOpt(OptSecs(p.acknowledged_at))
      .AddOpt(OptId(p.acknowledged_by.value()))
      .Add(p.acknowledged_via);
  // One page per (ticket, reason, due): a second is an answer (kAlreadyExists), not a failed
  // statement that would abort the caller's transaction.
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO pages(ticket_id, reason, due, level, rota_id, "
                                "created_at, escalate_at, claimed_until, acknowledged_at, "
                                "acknowledged_by, acknowledged_via) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                                "ON CONFLICT (ticket_id, reason, due) DO NOTHING RETURNING id",
                                q));
  if (rows.empty())
    return Fail(ErrorCode::kAlreadyExists, "ticket " + std::to_string(p.ticket_id.value()) +
                                               " was already paged for " + p.reason);
  p.id = rows.Int(0, 0);
  return p;
}

Status PgOnCallRepository::UpdatePage(const app::PageRecord& p) {
  if (p.acknowledged_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", p.acknowledged_by.value(), "user"));
  PgParams q;
  q.Add(p.level)
      .AddOpt(OptSecs(p.escalate_at))
      .AddOpt(OptSecs(p.claimed_until))
      .AddOpt(OptSecs(p.acknowledged_at))
      .AddOpt(OptId(p.acknowledged_by.value()))
      .Add(p.acknowledged_via)
      .Add(p.id);
  SOPORTE_TRY(rows, conn_.Query("UPDATE pages SET level = $1, escalate_at = $2, "
                                "claimed_until = $3, acknowledged_at = $4, acknowledged_by = $5, "
                                "acknowledged_via = $6 WHERE id = $7",
                                q));
  if (rows.affected() == 0) return tl::make_unexpected(PageNotFound(p.id));
  return Ok();
}

Result<std::vector<app::PageRecord>> PgOnCallRepository::ClaimEscalations(Instant now,
                                                                          Instant lease_until,
                                                                          int limit) {
  // The pick walks pages_escalate (its condition repeated) and locks what it takes, skipping
  // rows another node's claim holds; a row claimed and committed since our snapshot is a
  // serialisation failure, and Write runs the claim again. MATERIALIZED runs the pick once (a
  // subquery joined to the UPDATE could run again per row and lock past the limit).
  PgParams p;
  p.Add(Secs(lease_until)).Add(Secs(now)).Add(limit);
  SOPORTE_TRY(rows, QueryAll<app::PageRecord>(
                        conn_,
                        Sql({"WITH due AS MATERIALIZED (SELECT id AS due_id FROM pages WHERE "
                             "acknowledged_at IS NULL AND escalate_at IS NOT NULL AND "
                             "escalate_at <= $2 AND (claimed_until IS NULL OR claimed_until < "
                             "$2) ORDER BY escalate_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                             "UPDATE pages SET claimed_until = $1 FROM due WHERE id = due_id AND "
                             "(claimed_until IS NULL OR claimed_until < $2) RETURNING ",
                             kPageCols}),
                        p, ReadPageRow));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(*a.escalate_at, a.id) < std::tie(*b.escalate_at, b.id);
  });
  return rows;
}

Result<app::PageDeliveryRecord> PgOnCallRepository::InsertPageDelivery(app::PageDeliveryRecord d) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "pages", d.page_id, "page"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", d.user_id.value(), "user"));
  PgParams p;
  p.Add(d.page_id)
      .Add(d.level)
      .Add(d.user_id.value())
      .Add(d.ack_hash)
      .Add(Secs(d.ack_expires_at))
      .Add(d.attempts)
      .Add(Secs(d.next_attempt_at))
      .AddOpt(OptSecs(d.claimed_until))
      .AddOpt(OptSecs(d.sent_at))
      .Add(d.last_error)
      .AddOpt(OptSecs(d.skipped_at))
      .Add(d.pending_token);
  SOPORTE_TRY(rows,
              conn_.Query("INSERT INTO page_deliveries(page_id, level, user_id, ack_hash, "
                          "ack_expires_at, attempts, next_attempt_at, claimed_until, sent_at, "
                          "last_error, skipped_at, pending_token) VALUES ($1, $2, $3, $4, $5, "
                          "$6, $7, $8, $9, $10, $11, $12) "
                          "ON CONFLICT (ack_hash) DO NOTHING RETURNING id",
                          p));
  if (rows.empty()) return Fail(ErrorCode::kAlreadyExists, "page link already exists");
  d.id = rows.Int(0, 0);
  return d;
}

Status PgOnCallRepository::UpdatePageDelivery(const app::PageDeliveryRecord& d) {
  PgParams p;
  p.Add(d.attempts)
      .Add(Secs(d.next_attempt_at))
      .AddOpt(OptSecs(d.claimed_until))
      .AddOpt(OptSecs(d.sent_at))
      .Add(d.last_error)
      .AddOpt(OptSecs(d.skipped_at))
      .Add(d.pending_token)
      .Add(d.id);
  SOPORTE_TRY(rows, conn_.Query("UPDATE page_deliveries SET attempts = $1, next_attempt_at = $2, "
                                "claimed_until = $3, sent_at = $4, last_error = $5, "
                                "skipped_at = $6, pending_token = $7 WHERE id = $8",
                                p));
  if (rows.affected() == 0)
    return tl::make_unexpected(NotFound("page delivery " + std::to_string(d.id)));
  return Ok();
}

Result<std::vector<app::PageDeliveryRecord>> PgOnCallRepository::ClaimPageDeliveries(
    Instant now, Instant lease_until, int limit) {
  // As ClaimEscalations, over page_deliveries_due.
  PgParams p;
  p.Add(Secs(lease_until)).Add(Secs(now)).Add(limit);
  SOPORTE_TRY(rows, QueryAll<app::PageDeliveryRecord>(
                        conn_,
                        Sql({"WITH due AS MATERIALIZED (SELECT id AS due_id FROM page_deliveries "
                             "WHERE sent_at IS NULL AND skipped_at IS NULL AND next_attempt_at "
                             "<= $2 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY "
                             "next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) "
                             "UPDATE page_deliveries SET claimed_until = $1 FROM due WHERE id = "
                             "due_id AND (claimed_until IS NULL OR claimed_until < $2) RETURNING ",
                             kDeliveryCols}),
                        p, ReadDeliveryRow));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
  });
  return rows;
}

}  // namespace soporte::storage::pg_internal
