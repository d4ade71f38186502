#include "storage/sqlite/alert_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"

namespace soporte::storage::sqlite_internal {

Result<std::optional<domain::AlertPreferences>> SqliteAlertRepository::GetAlertPreferences(
    UserId user) {
  SOPORTE_TRY(s, db_.Prepare("SELECT warning_mail, warning_browser, breach_mail, breach_browser, "
                             "critical_mail, critical_browser, quiet_start, quiet_end, quiet_zone "
                             "FROM alert_preferences WHERE user_id = ?"));
  s.Bind(1, user.value());
  SOPORTE_TRY(row, s.Step());
  if (!row) return std::optional<domain::AlertPreferences>{};
  domain::AlertPreferences p;
  p.sla_warning = {s.Int(0) != 0, s.Int(1) != 0};
  p.sla_breach = {s.Int(2) != 0, s.Int(3) != 0};
  p.new_critical = {s.Int(4) != 0, s.Int(5) != 0};
  if (!s.IsNull(6)) {
    p.quiet = domain::QuietHours{static_cast<int>(s.Int(6)), static_cast<int>(s.Int(7)), s.Text(8)};
  }
  return std::optional<domain::AlertPreferences>(std::move(p));
}

Result<std::vector<app::AlertRecord>> SqliteAlertRepository::ListAlerts(UserId user,
                                                                        std::int64_t after_id,
                                                                        int limit) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, user_id, ticket_id, kind, due, at FROM staff_alerts "
                             "WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?"));
  s.Bind(1, user.value()).Bind(2, after_id).Bind(3, std::int64_t{limit});
  return Collect<app::AlertRecord>(s, [](const Stmt& r) -> Result<app::AlertRecord> {
    SOPORTE_TRY(kind, Decode(domain::ParseAlertKind(r.Text(3)), "alert kind"));
    return app::AlertRecord{r.Int(0), UserId{r.Int(1)}, TicketId{r.Int(2)},
                            kind,     At(r.Int(4)),     At(r.Int(5))};
  });
}

Status SqliteAlertRepository::PutAlertPreferences(UserId user, const domain::AlertPreferences& p,
                                                  Instant at) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", user.value(), "user"));
  SOPORTE_TRY(
      s, db_.Prepare(
             "INSERT INTO alert_preferences(user_id, warning_mail, warning_browser, "
             "breach_mail, breach_browser, critical_mail, critical_browser, quiet_start, "
             "quiet_end, quiet_zone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT(user_id) DO UPDATE SET warning_mail = excluded.warning_mail, "
             "warning_browser = excluded.warning_browser, breach_mail = excluded.breach_mail, "
             "breach_browser = excluded.breach_browser, critical_mail = excluded.critical_mail, "
             "critical_browser = excluded.critical_browser, quiet_start = excluded.quiet_start, "
             "quiet_end = excluded.quiet_end, quiet_zone = excluded.quiet_zone, "
             "updated_at = excluded.updated_at"));
  auto b = [](bool v) { return std::int64_t{v ? 1 : 0}; };
  s.Bind(1, user.value())
      .Bind(2, b(p.sla_warning.mail))
      .Bind(3, b(p.sla_warning.browser))
      .Bind(4, b(p.sla_breach.mail))
      .Bind(5, b(p.sla_breach.browser))
      .Bind(6, b(p.new_critical.mail))
      .Bind(7, b(p.new_critical.browser));
  if (p.quiet) {
    s.Bind(8, std::int64_t{p.quiet->start_minute})
        .Bind(9, std::int64_t{p.quiet->end_minute})
        .Bind(10, p.quiet->zone);
  } else {
    s.BindNull(8).BindNull(9).BindNull(10);
  }
  s.Bind(11, Secs(at));
  return s.Run();
}

Result<app::AlertRecord> SqliteAlertRepository::InsertAlert(app::AlertRecord a) {
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", a.user_id.value(), "user"));
  SOPORTE_TRY_STATUS(CheckExists(db_, "tickets", a.ticket_id.value(), "ticket"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO staff_alerts(user_id, ticket_id, kind, due, at) "
                             "VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, a.user_id.value())
      .Bind(2, a.ticket_id.value())
      .Bind(3, domain::AlertKindName(a.kind))
      .Bind(4, Secs(a.due))
      .Bind(5, Secs(a.at));
  SOPORTE_TRY_STATUS(s.Run());
  a.id = db_.LastInsertId();
  return a;
}

}  // namespace soporte::storage::sqlite_internal
