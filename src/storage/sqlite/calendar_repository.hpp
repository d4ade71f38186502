// Business calendars in SQLite (0006_calendars.sql): the calendars row, its weekly opening
// intervals (calendar_hours) and its extra closure days (calendar_closures), always read and
// written together. app::CalendarRepository on one connection already inside a transaction.
// Internal to storage/sqlite.
#pragma once

#include "app/ports/calendar_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteCalendarRepository final : public app::CalendarRepository {
 public:
  explicit SqliteCalendarRepository(Db& db) : db_(db) {}

  Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) override;
  Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() override;
  Result<domain::calendar::CalendarDefinition> InsertCalendar(
      domain::calendar::CalendarDefinition c) override;
  Result<domain::calendar::CalendarDefinition> UpdateCalendar(
      domain::calendar::CalendarDefinition c) override;

 private:
  // Reads the hours and closure days of `c` (whose calendars row is already read).
  Status ReadCalendarParts(domain::calendar::CalendarDefinition& c);
  // Replaces the hours and closure days of calendar c.id with those of `c`.
  Status WriteCalendarParts(const domain::calendar::CalendarDefinition& c);
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
