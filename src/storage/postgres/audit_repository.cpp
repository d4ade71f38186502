#include "storage/postgres/audit_repository.hpp"

#include <string>

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"
#include "storage/validate_profile.hpp"

namespace soporte::storage::pg_internal {
namespace {

// One append-only history of the shape (id, <subject>, actor_id, at, field, before, after):
// ticket_events and user_events. Immutable once built (shared by every connection).
class Trail {
 public:
  Trail(std::string_view table, std::string_view subject, const char* subject_table,
        const char* subject_what)
      : select_sql_("SELECT id, " + std::string(subject) +
                    ", actor_id, at, field, before, after FROM " + std::string(table) + " WHERE " +
                    std::string(subject) + " = $1 ORDER BY id"),
        insert_sql_("INSERT INTO " + std::string(table) + "(" + std::string(subject) +
                    ", actor_id, at, field, before, after) VALUES ($1, $2, $3, $4, $5, $6)"),
        subject_table_(subject_table),
        subject_what_(subject_what) {}

  // The rows of one subject, oldest first, each made by `make(PgRow)` from the columns id,
  // subject, actor_id, at, field, before, after (in that order). Empty when none.
  template <class T, class F>
  Result<std::vector<T>> List(PgConn& conn, std::int64_t subject, F make) const {
    SOPORTE_TRY(rows, conn.Query(select_sql_, PgParams().Add(subject)));
    std::vector<T> out;
    out.reserve(static_cast<std::size_t>(rows.size()));
    for (int i = 0; i < rows.size(); ++i) out.push_back(make(PgRow(rows, i)));
    return out;
  }

  // Appends one row. A missing subject (or given actor, a user) is a MissingReference
  // (kFailedPrecondition), found before the insert. The caller validates the record first.
  Status Append(PgConn& conn, std::int64_t subject, UserId actor, Instant at,
                const std::string& field, const std::string& before,
                const std::string& after) const {
    SOPORTE_TRY_STATUS(CheckExists(conn, subject_table_, subject, subject_what_));
    if (actor.valid()) SOPORTE_TRY_STATUS(CheckExists(conn, "users", actor.value(), "user"));
    PgParams p;
    p.Add(subject).AddOpt(OptId(actor.value())).Add(Secs(at)).Add(field).Add(before).Add(after);
    SOPORTE_TRY_STATUS(conn.Query(insert_sql_, p));
    return Ok();
  }

 private:
  std::string select_sql_;
  std::string insert_sql_;
  const char* subject_table_;
  const char* subject_what_;
};

const Trail& TicketTrail() {
  static const Trail trail("ticket_events", "ticket_id", "tickets", "ticket");
  return trail;
}
const Trail& UserTrail() {
  static const Trail trail("user_events", "user_id", "users", "user");
  return trail;
}

UserId ActorAt(const PgRow& r, int col) { return UserId{r.IsNull(col) ? 0 : r.Int(col)}; }

}  // namespace

Result<std::vector<domain::TicketEvent>> PgAuditRepository::ListEvents(TicketId t) {
  return TicketTrail().List<domain::TicketEvent>(conn_, t.value(), [](const PgRow& r) {
    return domain::TicketEvent{r.Int(0),  TicketId{r.Int(1)}, ActorAt(r, 2), At(r.Int(3)),
                               r.Text(4), r.Text(5),          r.Text(6)};
  });
}

Result<std::vector<app::UserEventRecord>> PgAuditRepository::ListUserEvents(UserId user) {
  return UserTrail().List<app::UserEventRecord>(conn_, user.value(), [](const PgRow& r) {
    return app::UserEventRecord{r.Int(0),  UserId{r.Int(1)}, ActorAt(r, 2), At(r.Int(3)),
                                r.Text(4), r.Text(5),        r.Text(6)};
  });
}

Status PgAuditRepository::AppendEvent(domain::TicketEvent e) {
  SOPORTE_TRY_STATUS(ValidateEvent(e));
  return TicketTrail().Append(conn_, e.ticket_id.value(), e.actor_id, e.at, e.field, e.before,
                              e.after);
}

Status PgAuditRepository::AppendUserEvent(app::UserEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateUserEvent(e));
  return UserTrail().Append(conn_, e.user_id.value(), e.actor_id, e.at, e.field, e.before, e.after);
}

// --- profile_events: (org, actor, at, entry, kind, action, detail) ----------------------------

Result<std::vector<app::ProfileEventRecord>> PgAuditRepository::ListProfileEvents(OrgId org) {
  SOPORTE_TRY(rows, conn_.Query("SELECT id, org_id, actor_id, at, entry_id, kind, action, detail "
                                "FROM profile_events WHERE org_id = $1 ORDER BY id",
                                PgParams().Add(org.value())));
  std::vector<app::ProfileEventRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    const PgRow r(rows, i);
    out.push_back(app::ProfileEventRecord{r.Int(0), OrgId{r.Int(1)}, ActorAt(r, 2), At(r.Int(3)),
                                          domain::ProfileEntryId{r.Int(4)}, r.Text(5), r.Text(6),
                                          r.Text(7)});
  }
  return out;
}

Status PgAuditRepository::AppendProfileEvent(app::ProfileEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateProfileEvent(e));
  // SQLite's foreign keys refuse a missing organisation or actor (kFailedPrecondition); here they
  // are looked up first, since a failed foreign key would abort the whole transaction.
  SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", e.org_id.value(), "organisation"));
  if (e.actor_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", e.actor_id.value(), "user"));
  PgParams p;
  p.Add(e.org_id.value())
      .AddOpt(OptId(e.actor_id.value()))
      .Add(Secs(e.at))
      .Add(e.entry_id.value())
      .Add(e.kind)
      .Add(e.action)
      .Add(e.detail);
  SOPORTE_TRY_STATUS(conn_.Query(
      "INSERT INTO profile_events(org_id, actor_id, at, entry_id, kind, action, detail) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      p));
  return Ok();
}

// --- audit_log: one table keyed by kind, listed newest first across kinds ----------------------

Result<std::vector<app::AuditEntryView>> PgAuditRepository::ListAuditEntries(
    const app::AuditQuery& q) {
  SOPORTE_TRY_STATUS(ValidateAuditQuery(q));
  // Only the filters present are in the statement (one text per combination, each prepared once
  // per connection): a page is then a backward range of the primary key, or of audit_log_by_kind
  // when a kind is asked for, and stops after `limit` rows.
  PgParams p;
  std::string sql =
      "SELECT a.id, a.kind, a.subject_id, a.subject, a.actor_id, a.at, a.source, a.field, "
      "a.before, a.after, COALESCE(u.name, '') "
      "FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE TRUE";
  if (!q.kind.empty()) sql += " AND a.kind = " + Param(p, q.kind);
  if (q.since) sql += " AND a.at >= " + Param(p, Secs(*q.since));
  if (q.before_id != 0) sql += " AND a.id < " + Param(p, q.before_id);
  sql += " ORDER BY a.id DESC LIMIT " + Param(p, q.limit);
  SOPORTE_TRY(rows, conn_.Query(sql, p));
  std::vector<app::AuditEntryView> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    const PgRow r(rows, i);
    app::AuditEntryRecord e{r.Int(0),     r.Text(1), r.Int(2),  r.Text(3), ActorAt(r, 4),
                            At(r.Int(5)), r.Text(6), r.Text(7), r.Text(8), r.Text(9)};
    out.push_back(app::AuditEntryView{std::move(e), r.Text(10)});
  }
  return out;
}

Status PgAuditRepository::AppendAuditEntry(app::AuditEntryRecord e) {
  SOPORTE_TRY_STATUS(ValidateAuditEntry(e));
  if (e.actor_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", e.actor_id.value(), "user"));
  PgParams p;
  p.Add(e.kind)
      .Add(e.subject_id)
      .Add(e.subject)
      .AddOpt(OptId(e.actor_id.value()))
      .Add(Secs(e.at))
      .Add(e.source)
      .Add(e.field)
      .Add(e.before)
      .Add(e.after);
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO audit_log(kind, subject_id, subject, actor_id, at, source, field, "
                  "before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                  p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
