// Business calendars in memory: app::CalendarRepository over the MemoryStore's state
// (memory_state.hpp). Same semantics as the SQLite one (the conformance suite checks both).
// Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/calendar_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryCalendarRepository final : public app::CalendarRepository {
 public:
  explicit MemoryCalendarRepository(MemoryState& s) : s_(s) {}

  Result<domain::calendar::CalendarDefinition> GetCalendar(CalendarId id) override;
  Result<std::vector<domain::calendar::CalendarDefinition>> ListCalendars() override;
  Result<domain::calendar::CalendarDefinition> InsertCalendar(
      domain::calendar::CalendarDefinition c) override;
  Result<domain::calendar::CalendarDefinition> UpdateCalendar(
      domain::calendar::CalendarDefinition c) override;

 private:
  // The unique name and the users named by closure days, as SQLite's constraints check them.
  Status CheckCalendarRefs(const domain::calendar::CalendarDefinition& c);
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
