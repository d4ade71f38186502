#include "storage/postgres/calendar_repository.hpp"

#include <string>

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {
namespace {

namespace cal = domain::calendar;

constexpr const char* kCalendarSelect =
    "SELECT id, name, zone, colombian_holidays, version, created_at, updated_at FROM calendars";

cal::CalendarDefinition CalendarFrom(const PgRows& r, int i) {
  cal::CalendarDefinition c;
  c.id = CalendarId{r.Int(i, 0)};
  c.name = r.Text(i, 1);
  c.zone = r.Text(i, 2);
  c.colombian_holidays = r.Bool(i, 3);
  c.version = r.Int(i, 4);
  c.created_at = At(r.Int(i, 5));
  c.updated_at = At(r.Int(i, 6));
  return c;
}

}  // namespace

Status PgCalendarRepository::ReadCalendarParts(
    std::map<std::int64_t, cal::CalendarDefinition*>& by_id, CalendarId one) {
  // Every calendar's rows when ListCalendars reads them all (no list of ids to send), else one's.
  const bool all = !one.valid();
  PgParams p;
  if (!all) p.Add(one.value());
  SOPORTE_TRY(hours,
              conn_.Query(all ? "SELECT calendar_id, weekday, begin_s, end_s FROM calendar_hours "
                                "ORDER BY calendar_id, weekday, begin_s"
                              : "SELECT calendar_id, weekday, begin_s, end_s FROM calendar_hours "
                                "WHERE calendar_id = $1 ORDER BY weekday, begin_s",
                          p));
  for (int i = 0; i < hours.size(); ++i) {
    const auto it = by_id.find(hours.Int(i, 0));
    if (it == by_id.end()) continue;  // a calendar inserted since the list was read
    const std::int64_t wd = hours.Int(i, 1);
    if (wd < 0 || wd > 6) return Fail(ErrorCode::kInternal, "corrupt row: calendar_hours.weekday");
    it->second->hours[static_cast<unsigned>(wd)].push_back(
        cal::DayInterval{Seconds{hours.Int(i, 2)}, Seconds{hours.Int(i, 3)}});
  }
  SOPORTE_TRY(closures,
              conn_.Query(all ? "SELECT calendar_id, day, reason, created_by, created_at "
                                "FROM calendar_closures ORDER BY calendar_id, day"
                              : "SELECT calendar_id, day, reason, created_by, created_at "
                                "FROM calendar_closures WHERE calendar_id = $1 ORDER BY day",
                          p));
  for (int i = 0; i < closures.size(); ++i) {
    const auto it = by_id.find(closures.Int(i, 0));
    if (it == by_id.end()) continue;
    it->second->closures.push_back(
        cal::ClosureEntry{date::sys_days{date::days{closures.Int(i, 1)}}, closures.Text(i, 2),
                          UserId{IdOrZero(closures, i, 3)}, At(closures.Int(i, 4))});
  }
  return Ok();
}

Status PgCalendarRepository::WriteCalendarParts(const cal::CalendarDefinition& c) {
  PgParams id;
  id.Add(c.id.value());
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM calendar_hours WHERE calendar_id = $1", id));
  for (unsigned d = 0; d < 7; ++d) {
    for (const cal::DayInterval& iv : c.hours[d]) {
      PgParams p;
      p.Add(c.id.value())
          .Add(std::int64_t{d})
          .Add(std::int64_t{iv.begin.count()})
          .Add(std::int64_t{iv.end.count()});
      SOPORTE_TRY_STATUS(
          conn_.Query("INSERT INTO calendar_hours(calendar_id, weekday, begin_s, "
                      "end_s) VALUES ($1, $2, $3, $4)",
                      p));
    }
  }
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM calendar_closures WHERE calendar_id = $1", id));
  for (const cal::ClosureEntry& e : c.closures) {
    if (e.created_by.valid())
      SOPORTE_TRY_STATUS(CheckExists(conn_, "users", e.created_by.value(), "user"));
    PgParams p;
    p.Add(c.id.value())
        .Add(std::int64_t{e.date.time_since_epoch().count()})
        .Add(e.reason)
        .AddOpt(OptId(e.created_by.value()))
        .Add(Secs(e.created_at));
    SOPORTE_TRY_STATUS(
        conn_.Query("INSERT INTO calendar_closures(calendar_id, day, reason, "
                    "created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
                    p));
  }
  return Ok();
}

Result<cal::CalendarDefinition> PgCalendarRepository::GetCalendar(CalendarId id) {
  static const std::string kSql = std::string(kCalendarSelect) + " WHERE id = $1";
  PgParams p;
  p.Add(id.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return tl::make_unexpected(NotFound("calendar " + std::to_string(id.value())));
  cal::CalendarDefinition c = CalendarFrom(rows, 0);
  std::map<std::int64_t, cal::CalendarDefinition*> by_id{{c.id.value(), &c}};
  SOPORTE_TRY_STATUS(ReadCalendarParts(by_id, c.id));
  return c;
}

Result<std::vector<cal::CalendarDefinition>> PgCalendarRepository::ListCalendars() {
  // name is COLLATE "C": SQLite's byte order.
  static const std::string kSql = std::string(kCalendarSelect) + " ORDER BY name, id";
  SOPORTE_TRY(rows, conn_.Query(kSql));
  std::vector<cal::CalendarDefinition> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(CalendarFrom(rows, i));
  if (out.empty()) return out;
  std::map<std::int64_t, cal::CalendarDefinition*> by_id;
  for (auto& c : out) by_id.emplace(c.id.value(), &c);
  SOPORTE_TRY_STATUS(ReadCalendarParts(by_id, CalendarId{}));
  return out;
}

Result<cal::CalendarDefinition> PgCalendarRepository::InsertCalendar(cal::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  PgParams p;
  p.Add(c.name)
      .Add(c.zone)
      .Add(c.colombian_holidays)
      .Add(Secs(c.created_at))
      .Add(Secs(c.updated_at));
  // A taken name inserts nothing (no failed statement, so the transaction goes on).
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO calendars(name, zone, colombian_holidays, version, "
                                "created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5) "
                                "ON CONFLICT (name) DO NOTHING RETURNING id",
                                p));
  if (rows.empty()) return tl::make_unexpected(CalendarNameTaken(c.name));
  c.id = CalendarId{rows.Int(0, 0)};
  c.version = 1;
  SOPORTE_TRY_STATUS(WriteCalendarParts(c));
  return c;
}

Result<cal::CalendarDefinition> PgCalendarRepository::UpdateCalendar(cal::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  PgParams p;
  p.Add(c.name)
      .Add(c.zone)
      .Add(c.colombian_holidays)
      .Add(Secs(c.updated_at))
      .Add(c.id.value())
      .Add(c.version);
  // Updates nothing when the version moved or another calendar has the name (read in the same
  // statement, so no unique violation aborts the transaction); told apart below in SQLite's
  // order: absent, then changed by someone else, then the name.
  SOPORTE_TRY(rows, conn_.Query("UPDATE calendars SET name = $1, zone = $2, colombian_holidays = "
                                "$3, updated_at = $4, version = version + 1 "
                                "WHERE id = $5 AND version = $6 AND NOT EXISTS (SELECT 1 FROM "
                                "calendars o WHERE o.name = $1 AND o.id <> $5) RETURNING version",
                                p));
  if (rows.empty()) {
    SOPORTE_TRY(current, GetCalendar(c.id));
    if (current.version != c.version)
      return Fail(ErrorCode::kAborted, "calendar " + std::to_string(c.id.value()) +
                                           " was changed by someone else (version " +
                                           std::to_string(current.version) + ", not " +
                                           std::to_string(c.version) + ")");
    return tl::make_unexpected(CalendarNameTaken(c.name));
  }
  c.version += 1;
  SOPORTE_TRY_STATUS(WriteCalendarParts(c));
  return c;
}

}  // namespace soporte::storage::pg_internal
