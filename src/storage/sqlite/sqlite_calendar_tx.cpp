// The SQL of business calendars (0006_calendars.sql): the calendars row, its weekly opening
// intervals (calendar_hours) and its extra closure days (calendar_closures), always read and
// written together; plus the contract's calendar_id. Part of SqliteTx (sqlite_tx.hpp).
#include <string>

#include "storage/sqlite/sqlite_tx.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

namespace cal = domain::calendar;

std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
Instant At(std::int64_t s) { return Instant{Seconds{s}}; }

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

Status SqliteTx::ReadCalendarParts(cal::CalendarDefinition& c) {
  {
    SOPORTE_TRY(s, db_.Prepare("SELECT weekday, begin_s, end_s FROM calendar_hours "
                               "WHERE calendar_id = ? ORDER BY weekday, begin_s"));
    s.Bind(1, c.id.value());
    while (true) {
      SOPORTE_TRY(row, s.Step());
      if (!row) break;
      const std::int64_t wd = s.Int(0);
      if (wd < 0 || wd > 6) return Fail(ErrorCode::kInternal, "corrupt row: calendar_hours.weekday");
      c.hours[static_cast<unsigned>(wd)].push_back(cal::DayInterval{Seconds{s.Int(1)}, Seconds{s.Int(2)}});
    }
  }
  SOPORTE_TRY(s, db_.Prepare("SELECT day, reason, created_by, created_at FROM calendar_closures "
                             "WHERE calendar_id = ? ORDER BY day"));
  s.Bind(1, c.id.value());
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return Ok();
    c.closures.push_back(cal::ClosureEntry{date::sys_days{date::days{s.Int(0)}}, s.Text(1),
                                           UserId{s.IsNull(2) ? 0 : s.Int(2)}, At(s.Int(3))});
  }
}

Status SqliteTx::WriteCalendarParts(const cal::CalendarDefinition& c) {
  {
    SOPORTE_TRY(del, db_.Prepare("DELETE FROM calendar_hours WHERE calendar_id = ?"));
    del.Bind(1, c.id.value());
    SOPORTE_TRY_STATUS(del.Run());
    for (unsigned d = 0; d < 7; ++d) {
      for (const cal::DayInterval& iv : c.hours[d]) {
        // Prepared once per connection (cached); the borrowed statement resets when it goes.
        SOPORTE_TRY(ins, db_.Prepare("INSERT INTO calendar_hours(calendar_id, weekday, begin_s, end_s) "
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
    if (e.created_by.valid()) SOPORTE_TRY_STATUS(CheckExists("users", e.created_by.value(), "user"));
    SOPORTE_TRY(ins, db_.Prepare("INSERT INTO calendar_closures(calendar_id, day, reason, created_by, "
                                 "created_at) VALUES (?, ?, ?, ?, ?)"));
    ins.Bind(1, c.id.value())
        .Bind(2, std::int64_t{e.date.time_since_epoch().count()})
        .Bind(3, e.reason)
        .BindOpt(4, e.created_by.valid() ? std::optional<std::int64_t>(e.created_by.value()) : std::nullopt)
        .Bind(5, Secs(e.created_at));
    SOPORTE_TRY_STATUS(ins.Run());
  }
  return Ok();
}

Result<cal::CalendarDefinition> SqliteTx::GetCalendar(CalendarId id) {
  SOPORTE_TRY(s, db_.Prepare(std::string(kCalendarSelect) + " WHERE id = ?"));
  s.Bind(1, id.value());
  SOPORTE_TRY(row, s.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "calendar " + std::to_string(id.value()) + " not found");
  cal::CalendarDefinition c = ReadCalendarRow(s);
  SOPORTE_TRY_STATUS(ReadCalendarParts(c));
  return c;
}

Result<std::vector<cal::CalendarDefinition>> SqliteTx::ListCalendars() {
  std::vector<cal::CalendarDefinition> out;
  {
    SOPORTE_TRY(s, db_.Prepare(std::string(kCalendarSelect) + " ORDER BY name, id"));
    while (true) {
      SOPORTE_TRY(row, s.Step());
      if (!row) break;
      out.push_back(ReadCalendarRow(s));
    }
  }
  for (auto& c : out) SOPORTE_TRY_STATUS(ReadCalendarParts(c));
  return out;
}

Result<cal::CalendarDefinition> SqliteTx::InsertCalendar(cal::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO calendars(name, zone, colombian_holidays, version, "
                             "created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"));
  s.Bind(1, c.name)
      .Bind(2, c.zone)
      .Bind(3, std::int64_t{c.colombian_holidays ? 1 : 0})
      .Bind(4, Secs(c.created_at))
      .Bind(5, Secs(c.updated_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(CalendarNameTaken(c.name));
    return tl::make_unexpected(st.error());
  }
  c.id = CalendarId{db_.LastInsertId()};
  c.version = 1;
  SOPORTE_TRY_STATUS(WriteCalendarParts(c));
  return c;
}

Result<cal::CalendarDefinition> SqliteTx::UpdateCalendar(cal::CalendarDefinition c) {
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
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(CalendarNameTaken(c.name));
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

Status SqliteTx::SetContractCalendar(ContractId contract, CalendarId calendar) {
  SOPORTE_TRY(current, GetContract(contract));
  current.calendar_id = calendar;
  SOPORTE_TRY_STATUS(ValidateContract(current));
  if (calendar.valid()) SOPORTE_TRY_STATUS(CheckExists("calendars", calendar.value(), "calendar"));
  SOPORTE_TRY(s, db_.Prepare("UPDATE contracts SET calendar_id = ? WHERE id = ?"));
  s.BindOpt(1, calendar.valid() ? std::optional<std::int64_t>(calendar.value()) : std::nullopt)
      .Bind(2, contract.value());
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
