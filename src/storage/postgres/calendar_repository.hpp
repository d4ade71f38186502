// Business calendars in PostgreSQL (calendars, calendar_hours, calendar_closures;
// postgres/0002_orgs_accounts_calendars.sql): a calendar's row, its weekly opening intervals and
// its extra closure days, always read and written together. app::CalendarRepository on one
// connection already inside a transaction, with the semantics of
// storage/sqlite/calendar_repository.*. Internal to storage/postgres.
#pragma once

#include <map>

#include "app/ports/calendar_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgCalendarRepository final : public app::CalendarRepository {
 public:
  explicit PgCalendarRepository(PgConn& conn) : conn_(conn) {}

  Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) override;
  Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() override;
  Result<domain::calendar::CalendarDefinition> InsertCalendar(
      domain::calendar::CalendarDefinition c) override;
  Result<domain::calendar::CalendarDefinition> UpdateCalendar(
      domain::calendar::CalendarDefinition c) override;

 private:
  // Fills the hours and closure days of the calendars in `by_id`, reading every calendar's rows
  // when `one` is invalid, else only that one's: two statements whatever the number of calendars.
  Status ReadCalendarParts(std::map<std::int64_t, domain::calendar::CalendarDefinition*>& by_id,
                           CalendarId one);
  // Replaces the stored hours and closure days of calendar c.id by c's.
  Status WriteCalendarParts(const domain::calendar::CalendarDefinition& c);

  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
