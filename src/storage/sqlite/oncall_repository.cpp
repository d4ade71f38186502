#include "storage/sqlite/oncall_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>

#include "storage/sqlite/rows.hpp"
#include "storage/rows/oncall.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace oc = domain::oncall;

// The row readers and column lists both stores share (storage/rows/oncall.hpp).
using rows::kDeliveryCols;
using rows::kPageCols;
using rows::kRotaSelect;
oc::Rota ReadRotaRow(const Stmt& s) { return rows::RotaFrom(s); }
app::PageRecord ReadPageRow(const Stmt& s) { return rows::PageFrom(s); }
app::PageDeliveryRecord ReadDeliveryRow(const Stmt& s) { return rows::DeliveryFrom(s); }

}  // namespace

Status SqliteOnCallRepository::ReadRotaParts(oc::Rota& r) {
  {
    SOPORTE_TRY(s, db_.Prepare("SELECT weekday, start_s, length_s, primary_id, secondary_id "
                               "FROM oncall_shifts WHERE rota_id = ? ORDER BY position"));
    s.Bind(1, r.id);
    SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& q) {
      r.shifts.push_back(oc::RotaShift{static_cast<unsigned>(q.Int(0)), Seconds{q.Int(1)},
                                       Seconds{q.Int(2)}, UserId{q.Int(3)},
                                       UserId{q.IsNull(4) ? 0 : q.Int(4)}});
    }));
  }
  SOPORTE_TRY(s, db_.Prepare("SELECT from_at, until_at, level, user_id, note "
                             "FROM oncall_overrides WHERE rota_id = ? ORDER BY position"));
  s.Bind(1, r.id);
  return ForEachRow(s, [&](const Stmt& q) {
    r.overrides.push_back(oc::RotaOverride{At(q.Int(0)), At(q.Int(1)), static_cast<int>(q.Int(2)),
                                           UserId{q.Int(3)}, q.Text(4)});
  });
}

Status SqliteOnCallRepository::WriteRotaParts(const oc::Rota& r) {
  for (const char* sql : {"DELETE FROM oncall_shifts WHERE rota_id = ?",
                          "DELETE FROM oncall_overrides WHERE rota_id = ?"}) {
    SOPORTE_TRY(del, db_.Prepare(sql));
    del.Bind(1, r.id);
    SOPORTE_TRY_STATUS(del.Run());
  }
  for (std::size_t i = 0; i < r.shifts.size(); ++i) {
    const oc::RotaShift& s = r.shifts[i];
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", s.primary.value(), "user"));
    if (s.secondary.valid())
      SOPORTE_TRY_STATUS(CheckExists(db_, "users", s.secondary.value(), "user"));
    SOPORTE_TRY(ins,
                db_.Prepare("INSERT INTO oncall_shifts(rota_id, position, weekday, start_s, "
                            "length_s, primary_id, secondary_id) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    ins.Bind(1, r.id)
        .Bind(2, static_cast<std::int64_t>(i))
        .Bind(3, std::int64_t{s.start_day})
        .Bind(4, std::int64_t{s.start.count()})
        .Bind(5, std::int64_t{s.length.count()})
        .Bind(6, s.primary.value())
        .BindOpt(7, OptId(s.secondary.value()));
    SOPORTE_TRY_STATUS(ins.Run());
  }
  for (std::size_t i = 0; i < r.overrides.size(); ++i) {
    const oc::RotaOverride& o = r.overrides[i];
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", o.user.value(), "user"));
    SOPORTE_TRY(ins, db_.Prepare("INSERT INTO oncall_overrides(rota_id, position, from_at, "
                                 "until_at, level, user_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    ins.Bind(1, r.id)
        .Bind(2, static_cast<std::int64_t>(i))
        .Bind(3, Secs(o.from))
        .Bind(4, Secs(o.until))
        .Bind(5, std::int64_t{o.level})
        .Bind(6, o.user.value())
        .Bind(7, o.note);
    SOPORTE_TRY_STATUS(ins.Run());
  }
  return Ok();
}

Result<std::vector<oc::Rota>> SqliteOnCallRepository::ListRotas() {
  std::vector<oc::Rota> out;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string(kRotaSelect) + " ORDER BY id"));
    SOPORTE_TRY(rows, Collect<oc::Rota>(s, ReadRotaRow));
    out = std::move(rows);
  }
  for (auto& r : out) SOPORTE_TRY_STATUS(ReadRotaParts(r));
  return out;
}

Result<oc::Rota> SqliteOnCallRepository::GetRota(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(std::string(kRotaSelect) + " WHERE id = ?"));
  s.Bind(1, id);
  SOPORTE_TRY(r, One<oc::Rota>(s, ReadRotaRow, "rota " + std::to_string(id)));
  SOPORTE_TRY_STATUS(ReadRotaParts(r));
  return r;
}

Result<oc::Rota> SqliteOnCallRepository::InsertRota(oc::Rota r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO oncall_rotas(name, zone, version, created_at, "
                             "updated_at) VALUES (?, ?, 1, ?, ?)"));
  s.Bind(1, r.name).Bind(2, r.zone).Bind(3, Secs(r.created_at)).Bind(4, Secs(r.updated_at));
  SOPORTE_TRY_STATUS(s.Run());
  r.id = db_.LastInsertId();
  r.version = 1;
  SOPORTE_TRY_STATUS(WriteRotaParts(r));
  return r;
}

Result<oc::Rota> SqliteOnCallRepository::UpdateRota(oc::Rota r) {
  SOPORTE_TRY_STATUS(oc::ValidateRota(r));
  SOPORTE_TRY(s, db_.Prepare("UPDATE oncall_rotas SET name = ?, zone = ?, updated_at = ?, "
                             "version = version + 1 WHERE id = ? AND version = ?"));
  s.Bind(1, r.name).Bind(2, r.zone).Bind(3, Secs(r.updated_at)).Bind(4, r.id).Bind(5, r.version);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) {
    SOPORTE_TRY(current, GetRota(r.id));
    return Fail(ErrorCode::kAborted, "rota " + std::to_string(r.id) + " changed (version " +
                                         std::to_string(current.version) + "); reload it");
  }
  SOPORTE_TRY_STATUS(WriteRotaParts(r));
  return GetRota(r.id);
}

Status SqliteOnCallRepository::DeleteRota(std::int64_t id) {
  for (const char* sql : {"DELETE FROM oncall_shifts WHERE rota_id = ?",
                          "DELETE FROM oncall_overrides WHERE rota_id = ?"}) {
    SOPORTE_TRY(del, db_.Prepare(sql));
    del.Bind(1, id);
    SOPORTE_TRY_STATUS(del.Run());
  }
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM oncall_rotas WHERE id = ?"));
  s.Bind(1, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(NotFound("rota " + std::to_string(id)));
  return Ok();
}

Result<app::PageRecord> SqliteOnCallRepository::GetPage(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kPageCols, " FROM pages WHERE id = ?"})));
  s.Bind(1, id);
  return One<app::PageRecord>(s, ReadPageRow, "page " + std::to_string(id));
}

Result<std::vector<app::PageRecord>> SqliteOnCallRepository::ListPages(TicketId t) {
  SOPORTE_TRY(
      s, db_.Prepare(Sql({"SELECT ", kPageCols, " FROM pages WHERE ticket_id = ? ORDER BY id"})));
  s.Bind(1, t.value());
  return Collect<app::PageRecord>(s, ReadPageRow);
}

Result<std::vector<app::PageRecord>> SqliteOnCallRepository::ListOpenPages(int limit) {
  SOPORTE_TRY(
      s, db_.Prepare(Sql({"SELECT ", kPageCols,
                          " FROM pages WHERE acknowledged_at IS NULL ORDER BY id DESC LIMIT ?"})));
  s.Bind(1, std::int64_t{limit});
  return Collect<app::PageRecord>(s, ReadPageRow);
}

Result<std::vector<app::PageDeliveryRecord>> SqliteOnCallRepository::ListPageDeliveries(
    std::int64_t page_id) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kDeliveryCols,
                                  " FROM page_deliveries WHERE page_id = ? ORDER BY id"})));
  s.Bind(1, page_id);
  return Collect<app::PageDeliveryRecord>(s, ReadDeliveryRow);
}

Result<app::PageDeliveryRecord> SqliteOnCallRepository::FindPageDelivery(
    const std::string& ack_hash) {
  SOPORTE_TRY(
      s, db_.Prepare(Sql({"SELECT ", kDeliveryCols, " FROM page_deliveries WHERE ack_hash = ?"})));
  s.Bind(1, ack_hash);
  return One<app::PageDeliveryRecord>(s, ReadDeliveryRow, "page link");
}

Result<app::PageRecord> SqliteOnCallRepository::InsertPage(app::PageRecord p) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", p.ticket_id.value(), "ticket"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO pages(ticket_id, reason, due, level, rota_id, "
                             "created_at, escalate_at, claimed_until, acknowledged_at, "
                             "acknowledged_by, acknowledged_via) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, p.ticket_id.value())
      .Bind(2, p.reason)
      .Bind(3, Secs(p.due))
      .Bind(4, std::int64_t{p.level})
      .BindOpt(5, OptId(p.rota_id))
      .Bind(6, Secs(p.created_at))
      .BindOpt(7, OptSecs(p.escalate_at))
      .BindOpt(8, OptSecs(p.claimed_until))
      .BindOpt(9, OptSecs(p.acknowledged_at))
      .BindOpt(10, OptId(p.acknowledged_by.value()))
      .Bind(11, p.acknowledged_via);
  SOPORTE_TRY_STATUS(s.Run());
  p.id = db_.LastInsertId();
  return p;
}

Status SqliteOnCallRepository::UpdatePage(const app::PageRecord& p) {
  if (p.acknowledged_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", p.acknowledged_by.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("UPDATE pages SET level = ?, escalate_at = ?, claimed_until = ?, "
                             "acknowledged_at = ?, acknowledged_by = ?, acknowledged_via = ? "
                             "WHERE id = ?"));
  s.Bind(1, std::int64_t{p.level})
      .BindOpt(2, OptSecs(p.escalate_at))
      .BindOpt(3, OptSecs(p.claimed_until))
      .BindOpt(4, OptSecs(p.acknowledged_at))
      .BindOpt(5, OptId(p.acknowledged_by.value()))
      .Bind(6, p.acknowledged_via)
      .Bind(7, p.id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(NotFound("page " + std::to_string(p.id)));
  return Ok();
}

Result<std::vector<app::PageRecord>> SqliteOnCallRepository::ClaimEscalations(Instant now,
                                                                              Instant lease_until,
                                                                              int limit) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"UPDATE pages SET claimed_until = ? WHERE id IN (SELECT id FROM "
                                  "pages WHERE acknowledged_at IS NULL AND escalate_at IS NOT NULL "
                                  "AND escalate_at <= ? AND (claimed_until IS NULL OR "
                                  "claimed_until < ?) ORDER BY escalate_at, id LIMIT ?) RETURNING ",
                                  kPageCols})));
  s.Bind(1, Secs(lease_until)).Bind(2, Secs(now)).Bind(3, Secs(now)).Bind(4, std::int64_t{limit});
  SOPORTE_TRY(rows, Collect<app::PageRecord>(s, ReadPageRow));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(*a.escalate_at, a.id) < std::tie(*b.escalate_at, b.id);
  });
  return rows;
}

Result<app::PageDeliveryRecord> SqliteOnCallRepository::InsertPageDelivery(
    app::PageDeliveryRecord d) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", d.user_id.value(), "user"));
  SOPORTE_TRY(
      s, db_.Prepare(
             "INSERT INTO page_deliveries(page_id, level, user_id, ack_hash, "
             "ack_expires_at, attempts, next_attempt_at, claimed_until, sent_at, "
             "last_error, skipped_at, pending_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, d.page_id)
      .Bind(2, std::int64_t{d.level})
      .Bind(3, d.user_id.value())
      .Bind(4, d.ack_hash)
      .Bind(5, Secs(d.ack_expires_at))
      .Bind(6, std::int64_t{d.attempts})
      .Bind(7, Secs(d.next_attempt_at))
      .BindOpt(8, OptSecs(d.claimed_until))
      .BindOpt(9, OptSecs(d.sent_at))
      .Bind(10, d.last_error)
      .BindOpt(11, OptSecs(d.skipped_at))
      .Bind(12, d.pending_token);
  SOPORTE_TRY_STATUS(s.Run());
  d.id = db_.LastInsertId();
  return d;
}

Status SqliteOnCallRepository::UpdatePageDelivery(const app::PageDeliveryRecord& d) {
  SOPORTE_TRY(s, db_.Prepare("UPDATE page_deliveries SET attempts = ?, next_attempt_at = ?, "
                             "claimed_until = ?, sent_at = ?, last_error = ?, skipped_at = ?, "
                             "pending_token = ? WHERE id = ?"));
  s.Bind(1, std::int64_t{d.attempts})
      .Bind(2, Secs(d.next_attempt_at))
      .BindOpt(3, OptSecs(d.claimed_until))
      .BindOpt(4, OptSecs(d.sent_at))
      .Bind(5, d.last_error)
      .BindOpt(6, OptSecs(d.skipped_at))
      .Bind(7, d.pending_token)
      .Bind(8, d.id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) {
    return tl::make_unexpected(NotFound("page delivery " + std::to_string(d.id)));
  }
  return Ok();
}

Result<std::vector<app::PageDeliveryRecord>> SqliteOnCallRepository::ClaimPageDeliveries(
    Instant now, Instant lease_until, int limit) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"UPDATE page_deliveries SET claimed_until = ? WHERE id IN "
                                  "(SELECT id FROM page_deliveries WHERE sent_at IS NULL AND "
                                  "skipped_at IS NULL AND next_attempt_at <= ? AND (claimed_until "
                                  "IS NULL OR claimed_until < ?) ORDER BY next_attempt_at, id "
                                  "LIMIT ?) RETURNING ",
                                  kDeliveryCols})));
  s.Bind(1, Secs(lease_until)).Bind(2, Secs(now)).Bind(3, Secs(now)).Bind(4, std::int64_t{limit});
  SOPORTE_TRY(rows, Collect<app::PageDeliveryRecord>(s, ReadDeliveryRow));
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
  });
  return rows;
}

}  // namespace soporte::storage::sqlite_internal
