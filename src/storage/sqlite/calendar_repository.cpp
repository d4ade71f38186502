#include "storage/sqlite/calendar_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace cal = domain::calendar;

constexpr const char* kCalendarSelect =
    "SELECT id, name, zone, colombian_holidays, version, created_at, updated_at FROM calendars";

cal::CalendarDefinition ReadCalendarRow(const Stmt& s) {
  cal::CalendarDefinition c;
  c.id = CalendarId{s.Int(0)};
  c.name = s.Text(1);
  c.zone = s.Text(2);
  c.colombian_holidays = s.Int(3) != 0;
  c.version = s.Int(4);
  c.created_at = At(s.Int(5));
  c.updated_at = At(s.Int(6));
  return c;
}

}  // namespace

Status SqliteCalendarRepository::ReadCalendarParts(cal::CalendarDefinition& c) {
  {
    SOPORTE_TRY(s, db_.Prepare("SELECT weekday, begin_s, end_s FROM calendar_hours "
                               "WHERE calendar_id = ? ORDER BY weekday, begin_s"));
    s.Bind(1, c.id.value());
    SOPORTE_TRY_STATUS(ForEachRow(s, [&](const Stmt& r) -> Status {
      const std::int64_t wd = r.Int(0);
      if (wd < 0 || wd > 6)
        return Fail(ErrorCode::kInternal, "corrupt row: calendar_hours.weekday");
      c.hours[static_cast<unsigned>(wd)].push_back(
          cal::DayInterval{Seconds{r.Int(1)}, Seconds{r.Int(2)}});
      return Ok();
    }));
  }
  SOPORTE_TRY(s, db_.Prepare("SELECT day, reason, created_by, created_at FROM calendar_closures "
                             "WHERE calendar_id = ? ORDER BY day"));
  s.Bind(1, c.id.value());
  return ForEachRow(s, [&](const Stmt& r) {
    c.closures.push_back(cal::ClosureEntry{date::sys_days{date::days{r.Int(0)}}, r.Text(1),
                                           UserId{r.IsNull(2) ? 0 : r.Int(2)}, At(r.Int(3))});
  });
}

Status SqliteCalendarRepository::WriteCalendarParts(const cal::CalendarDefinition& c) {
  {
    SOPORTE_TRY(del, db_.Prepare("DELETE FROM calendar_hours WHERE calendar_id = ?"));
    del.Bind(1, c.id.value());
    SOPORTE_TRY_STATUS(del.Run());
    for (unsigned d = 0; d < 7; ++d) {
      for (const cal::DayInterval& iv : c.hours[d]) {
        // Prepared once per connection (cached); the borrowed statement resets when it goes.
        SOPORTE_TRY(ins,
                    db_.Prepare("INSERT INTO calendar_hours(calendar_id, weekday, begin_s, end_s) "
                                "VALUES (?, ?, ?, ?)"));
        ins.Bind(1, c.id.value())
            .Bind(2, std::int64_t{d})
            .Bind(3, std::int64_t{iv.begin.count()})
            .Bind(4, std::int64_t{iv.end.count()});
        SOPORTE_TRY_STATUS(ins.Run());
      }
    }
  }
  SOPORTE_TRY(del, db_.Prepare("DELETE FROM calendar_closures WHERE calendar_id = ?"));
  del.Bind(1, c.id.value());
  SOPORTE_TRY_STATUS(del.Run());
  for (const cal::ClosureEntry& e : c.closures) {
    if (e.created_by.valid())
      SOPORTE_TRY_STATUS(CheckExists(db_, "users", e.created_by.value(), "user"));
    SOPORTE_TRY(ins,
                db_.Prepare("INSERT INTO calendar_closures(calendar_id, day, reason, created_by, "
                            "created_at) VALUES (?, ?, ?, ?, ?)"));
    ins.Bind(1, c.id.value())
        .Bind(2, std::int64_t{e.date.time_since_epoch().count()})
        .Bind(3, e.reason)
        .BindOpt(4, e.created_by.valid() ? std::optional<std::int64_t>(e.created_by.value())
                                         : std::nullopt)
        .Bind(5, Secs(e.created_at));
    SOPORTE_TRY_STATUS(ins.Run());
  }
  return Ok();
}

Result<cal::CalendarDefinition> SqliteCalendarRepository::GetCalendar(CalendarId id) {
  SOPORTE_TRY(s, db_.Prepare(std::string(kCalendarSelect) + " WHERE id = ?"));
  s.Bind(1, id.value());
  SOPORTE_TRY(c, One<cal::CalendarDefinition>(s, ReadCalendarRow,
                                              "calendar " + std::to_string(id.value())));
  SOPORTE_TRY_STATUS(ReadCalendarParts(c));
  return c;
}

Result<std::vector<cal::CalendarDefinition>> SqliteCalendarRepository::ListCalendars() {
  std::vector<cal::CalendarDefinition> out;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string(kCalendarSelect) + " ORDER BY name, id"));
    SOPORTE_TRY(rows, Collect<cal::CalendarDefinition>(s, ReadCalendarRow));
    out = std::move(rows);
  }
  for (auto& c : out) SOPORTE_TRY_STATUS(ReadCalendarParts(c));
  return out;
}

Result<cal::CalendarDefinition> SqliteCalendarRepository::InsertCalendar(
    cal::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO calendars(name, zone, colombian_holidays, version, "
                             "created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"));
  s.Bind(1, c.name)
      .Bind(2, c.zone)
      .Bind(3, std::int64_t{c.colombian_holidays ? 1 : 0})
      .Bind(4, Secs(c.created_at))
      .Bind(5, Secs(c.updated_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists)
      return tl::make_unexpected(CalendarNameTaken(c.name));
    return tl::make_unexpected(st.error());
  }
  c.id = CalendarId{db_.LastInsertId()};
  c.version = 1;
  SOPORTE_TRY_STATUS(WriteCalendarParts(c));
  return c;
}

Result<cal::CalendarDefinition> SqliteCalendarRepository::UpdateCalendar(
    cal::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  SOPORTE_TRY(s, db_.Prepare("UPDATE calendars SET name = ?, zone = ?, colombian_holidays = ?, "
                             "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?"));
  s.Bind(1, c.name)
      .Bind(2, c.zone)
      .Bind(3, std::int64_t{c.colombian_holidays ? 1 : 0})
      .Bind(4, Secs(c.updated_at))
      .Bind(5, c.id.value())
      .Bind(6, c.version);
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists)
      return tl::make_unexpected(CalendarNameTaken(c.name));
    return tl::make_unexpected(st.error());
  }
  if (db_.Changes() == 0) {
    SOPORTE_TRY(current, GetCalendar(c.id));
    return Fail(ErrorCode::kAborted, "calendar " + std::to_string(c.id.value()) +
                                         " was changed by someone else (version " +
                                         std::to_string(current.version) + ", not " +
                                         std::to_string(c.version) + ")");
  }
  c.version += 1;
  SOPORTE_TRY_STATUS(WriteCalendarParts(c));
  return c;
}

}  // namespace soporte::storage::sqlite_internal
