// The calendars port: business calendars of 8x5 contracts, with their weekly hours and closure
// days (0006_calendars.sql). Reached as tx.calendars() inside a Store transaction (store.hpp);
// which calendar a contract runs on is set through tx.orgs() (org_repository.hpp).
// Implemented by storage/sqlite/calendar_repository.* and
// storage/memory/memory_calendar_repository.*.
#pragma once

#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "domain/calendar/calendar_definition.hpp"

namespace soporte::app {

// Reads; used by one thread inside one Read or Write call.
class CalendarReader {
 public:
  virtual ~CalendarReader() = default;

  // The calendar with its hours and closure days; kNotFound when absent.
  virtual Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) = 0;
  // Every calendar, by name.
  virtual Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() = 0;
};

class CalendarRepository : public CalendarReader {
 public:
  // Stores a valid definition (hours and closures too) as version 1 and returns it with its id.
  // kInvalidArgument for an invalid one; kAlreadyExists when the name is taken.
  virtual Result<domain::calendar::CalendarDefinition> InsertCalendar(
      domain::calendar::CalendarDefinition c) = 0;
  // Replaces every field, the hours and the closure days of calendar c.id when the stored version
  // equals c.version, stores version+1 and returns it. kAborted when the stored version differs,
  // kNotFound when there is no such calendar, kAlreadyExists when the name is taken.
  virtual Result<domain::calendar::CalendarDefinition> UpdateCalendar(
      domain::calendar::CalendarDefinition c) = 0;
};

}  // namespace soporte::app
