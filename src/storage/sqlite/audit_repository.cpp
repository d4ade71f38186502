#include "storage/sqlite/audit_repository.hpp"

#include <string>

#include "storage/sqlite/audit_trail.hpp"
#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

// Built once (the statements' text), shared by every connection.
const AuditTrail& TicketTrail() {
  static const AuditTrail trail("ticket_events", "ticket_id", "tickets", "ticket");
  return trail;
}
const AuditTrail& UserTrail() {
  static const AuditTrail trail("user_events", "user_id", "users", "user");
  return trail;
}

}  // namespace

AuditTrail::AuditTrail(std::string_view table, std::string_view subject, const char* subject_table,
                       std::string_view subject_what)
    : select_sql_(Sql({"SELECT id, ", subject, ", actor_id, at, field, before, after FROM ", table,
                       " WHERE ", subject, " = ? ORDER BY id"})),
      insert_sql_(Sql({"INSERT INTO ", table, "(", subject,
                       ", actor_id, at, field, before, after) VALUES (?, ?, ?, ?, ?, ?)"})),
      subject_table_(subject_table),
      subject_what_(subject_what) {}

Status AuditTrail::Append(Db& db, std::int64_t subject, UserId actor, Instant at,
                          const std::string& field, const std::string& before,
                          const std::string& after) const {
  SOPORTE_TRY_STATUS(CheckExists(db, subject_table_, subject, subject_what_));
  if (actor.valid()) SOPORTE_TRY_STATUS(CheckExists(db, "users", actor.value(), "user"));
  SOPORTE_TRY(s, db.Prepare(insert_sql_));
  s.Bind(1, subject)
      .BindOpt(2, OptId(actor.value()))
      .Bind(3, Secs(at))
      .Bind(4, field)
      .Bind(5, before)
      .Bind(6, after);
  return s.Run();
}

Result<std::vector<domain::TicketEvent>> SqliteAuditRepository::ListEvents(TicketId t) {
  return TicketTrail().List<domain::TicketEvent>(db_, t.value(), [](const Stmt& r) {
    return domain::TicketEvent{r.Int(0),     TicketId{r.Int(1)}, UserId{r.IsNull(2) ? 0 : r.Int(2)},
                               At(r.Int(3)), r.Text(4),          r.Text(5),
                               r.Text(6)};
  });
}

Result<std::vector<app::UserEventRecord>> SqliteAuditRepository::ListUserEvents(UserId user) {
  return UserTrail().List<app::UserEventRecord>(db_, user.value(), [](const Stmt& r) {
    return app::UserEventRecord{r.Int(0),     UserId{r.Int(1)}, UserId{r.IsNull(2) ? 0 : r.Int(2)},
                                At(r.Int(3)), r.Text(4),        r.Text(5),
                                r.Text(6)};
  });
}

Status SqliteAuditRepository::AppendEvent(domain::TicketEvent e) {
  SOPORTE_TRY_STATUS(ValidateEvent(e));
  return TicketTrail().Append(db_, e.ticket_id.value(), e.actor_id, e.at, e.field, e.before,
                              e.after);
}

Status SqliteAuditRepository::AppendUserEvent(app::UserEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateUserEvent(e));
  return UserTrail().Append(db_, e.user_id.value(), e.actor_id, e.at, e.field, e.before, e.after);
}

// --- profile_events: (org, actor, at, entry, kind, action, detail) ----------------------------

Result<std::vector<app::ProfileEventRecord>> SqliteAuditRepository::ListProfileEvents(OrgId org) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, org_id, actor_id, at, entry_id, kind, action, detail "
                             "FROM profile_events WHERE org_id = ? ORDER BY id"));
  s.Bind(1, org.value());
  return Collect<app::ProfileEventRecord>(s, [](const Stmt& r) {
    return app::ProfileEventRecord{r.Int(0),
                                   OrgId{r.Int(1)},
                                   UserId{r.IsNull(2) ? 0 : r.Int(2)},
                                   At(r.Int(3)),
                                   domain::ProfileEntryId{r.Int(4)},
                                   r.Text(5),
                                   r.Text(6),
                                   r.Text(7)};
  });
}

Status SqliteAuditRepository::AppendProfileEvent(app::ProfileEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateProfileEvent(e));
  SOPORTE_TRY(
      s, db_.Prepare(
             "INSERT INTO profile_events(org_id, actor_id, at, entry_id, kind, action, detail) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, e.org_id.value())
      .BindOpt(2, OptId(e.actor_id.value()))
      .Bind(3, Secs(e.at))
      .Bind(4, e.entry_id.value())
      .Bind(5, e.kind)
      .Bind(6, e.action)
      .Bind(7, e.detail);
  return s.Run();
}

// --- audit_log (0009): one table keyed by kind, listed newest first across kinds ----------------

Result<std::vector<app::AuditEntryView>> SqliteAuditRepository::ListAuditEntries(
    const app::AuditQuery& q) {
  SOPORTE_TRY_STATUS(ValidateAuditQuery(q));
  SOPORTE_TRY(
      s, db_.Prepare("SELECT a.id, a.kind, a.subject_id, a.subject, a.actor_id, a.at, a.source, "
                     "a.field, a.before, a.after, COALESCE(u.name, '') "
                     "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id "
                     "WHERE (?1 = '' OR a.kind = ?1) AND (?2 IS NULL OR a.at >= ?2) "
                     "AND (?3 = 0 OR a.id < ?3) ORDER BY a.id DESC LIMIT ?4"));
  s.Bind(1, q.kind).BindOpt(2, OptSecs(q.since)).Bind(3, q.before_id).Bind(4, q.limit);
  return Collect<app::AuditEntryView>(s, [](const Stmt& r) {
    app::AuditEntryRecord e{
        r.Int(0),     r.Text(1), r.Int(2),  r.Text(3), UserId{r.IsNull(4) ? 0 : r.Int(4)},
        At(r.Int(5)), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
    return app::AuditEntryView{std::move(e), r.Text(10)};
  });
}

Status SqliteAuditRepository::AppendAuditEntry(app::AuditEntryRecord e) {
  SOPORTE_TRY_STATUS(ValidateAuditEntry(e));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists(db_, "users", e.actor_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO audit_log(kind, subject_id, subject, actor_id, at, "
                             "source, field, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, e.kind)
      .Bind(2, e.subject_id)
      .Bind(3, e.subject)
      .BindOpt(4, OptId(e.actor_id.value()))
      .Bind(5, Secs(e.at))
      .Bind(6, e.source)
      .Bind(7, e.field)
      .Bind(8, e.before)
      .Bind(9, e.after);
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
