#include "storage/postgres/alert_repository.hpp"

#include <string>

#include "storage/postgres/rows.hpp"

namespace soporte::storage::pg_internal {

Result<std::optional<domain::AlertPreferences>> PgAlertRepository::GetAlertPreferences(
    UserId user) {
  PgParams p;
  p.Add(user.value());
  SOPORTE_TRY(rows,
              conn_.Query("SELECT warning_mail, warning_browser, breach_mail, breach_browser, "
                          "critical_mail, critical_browser, quiet_start, quiet_end, quiet_zone "
                          "FROM alert_preferences WHERE user_id = $1",
                          p));
  if (rows.empty()) return std::optional<domain::AlertPreferences>{};
  domain::AlertPreferences out;
  out.sla_warning = {rows.Bool(0, 0), rows.Bool(0, 1)};
  out.sla_breach = {rows.Bool(0, 2), rows.Bool(0, 3)};
  out.new_critical = {rows.Bool(0, 4), rows.Bool(0, 5)};
  if (!rows.IsNull(0, 6)) {
    out.quiet = domain::QuietHours{static_cast<int>(rows.Int(0, 6)),
                                   static_cast<int>(rows.Int(0, 7)), rows.Text(0, 8)};
  }
  return std::optional<domain::AlertPreferences>(std::move(out));
}

Result<std::vector<app::AlertRecord>> PgAlertRepository::ListAlerts(UserId user,
                                                                    std::int64_t after_id,
                                                                    int limit) {
  PgParams p;
  p.Add(user.value()).Add(after_id).Add(std::int64_t{limit});
  SOPORTE_TRY(rows, conn_.Query("SELECT id, user_id, ticket_id, kind, due, at FROM staff_alerts "
                                "WHERE user_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                                p));
  std::vector<app::AlertRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    SOPORTE_TRY(kind, Decode(domain::ParseAlertKind(rows.Text(i, 3)), "alert kind"));
    out.push_back(app::AlertRecord{rows.Int(i, 0), UserId{rows.Int(i, 1)}, TicketId{rows.Int(i, 2)},
                                   kind, At(rows.Int(i, 4)), At(rows.Int(i, 5))});
  }
  return out;
}

Status PgAlertRepository::PutAlertPreferences(UserId user, const domain::AlertPreferences& prefs,
                                              Instant at) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", user.value(), "user"));
  PgParams p;
  p.Add(user.value())
      .Add(prefs.sla_warning.mail)
      .Add(prefs.sla_warning.browser)
      .Add(prefs.sla_breach.mail)
      .Add(prefs.sla_breach.browser)
      .Add(prefs.new_critical.mail)
      .Add(prefs.new_critical.browser);
  if (prefs.quiet) {
    p.Add(std::int64_t{prefs.quiet->start_minute})
        .Add(std::int64_t{prefs.quiet->end_minute})
        .Add(prefs.quiet->zone);
  } else {
    p.AddNull().AddNull().AddNull();
  }
  p.Add(Secs(at));
  SOPORTE_TRY_STATUS(conn_.Query(
      "INSERT INTO alert_preferences(user_id, warning_mail, warning_browser, breach_mail, "
      "breach_browser, critical_mail, critical_browser, quiet_start, quiet_end, quiet_zone, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
      "ON CONFLICT (user_id) DO UPDATE SET warning_mail = excluded.warning_mail, "
      "warning_browser = excluded.warning_browser, breach_mail = excluded.breach_mail, "
      "breach_browser = excluded.breach_browser, critical_mail = excluded.critical_mail, "
      "critical_browser = excluded.critical_browser, quiet_start = excluded.quiet_start, "
      "quiet_end = excluded.quiet_end, quiet_zone = excluded.quiet_zone, "
      "updated_at = excluded.updated_at",
      p));
  return Ok();
}

Result<app::AlertRecord> PgAlertRepository::InsertAlert(app::AlertRecord a) {
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", a.user_id.value(), "user"));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", a.ticket_id.value(), "ticket"));
  PgParams p;
  p.Add(a.user_id.value())
      .Add(a.ticket_id.value())
      .Add(domain::AlertKindName(a.kind))
      .Add(Secs(a.due))
      .Add(Secs(a.at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO staff_alerts(user_id, ticket_id, kind, due, at) "
                                "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                p));
  a.id = rows.Int(0, 0);
  return a;
}

}  // namespace soporte::storage::pg_internal
