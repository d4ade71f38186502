#include "storage/memory/memory_calendar_repository.hpp"

#include <string>

#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

Result<domain::calendar::CalendarDefinition> MemoryCalendarRepository::GetCalendar(CalendarId id) {
  return Find(s_.calendars, id.value(), "calendar " + std::to_string(id.value()));
}

Result<std::vector<domain::calendar::CalendarDefinition>>
MemoryCalendarRepository::ListCalendars() {
  auto out = Values(s_.calendars);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

Result<domain::calendar::CalendarDefinition> MemoryCalendarRepository::InsertCalendar(
    domain::calendar::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  SOPORTE_TRY_STATUS(CheckCalendarRefs(c));
  c.id = CalendarId{s_.next_calendar++};
  c.version = 1;
  s_.calendars[c.id.value()] = c;
  return c;
}

Result<domain::calendar::CalendarDefinition> MemoryCalendarRepository::UpdateCalendar(
    domain::calendar::CalendarDefinition c) {
  SOPORTE_TRY_STATUS(ValidateCalendar(c));
  auto it = s_.calendars.find(c.id.value());
  if (it == s_.calendars.end())
    return tl::make_unexpected(NotFound("calendar " + std::to_string(c.id.value())));
  SOPORTE_TRY_STATUS(CheckCalendarRefs(c));
  if (it->second.version != c.version) {
    return Fail(ErrorCode::kAborted, "calendar " + std::to_string(c.id.value()) +
                                         " was changed by someone else (version " +
                                         std::to_string(it->second.version) + ", not " +
                                         std::to_string(c.version) + ")");
  }
  c.version += 1;
  c.created_at = it->second.created_at;  // as the SQL store: created_at is never rewritten
  it->second = c;
  return c;
}

// The unique name and the users named by closure days, as SQLite's constraints check them.
Status MemoryCalendarRepository::CheckCalendarRefs(const domain::calendar::CalendarDefinition& c) {
  for (const auto& [id, other] : s_.calendars) {
    if (id != c.id.value() && other.name == c.name)
      return tl::make_unexpected(CalendarNameTaken(c.name));
  }
  for (const auto& e : c.closures) {
    if (e.created_by.valid())
      SOPORTE_TRY_STATUS(CheckExists(s_.users, e.created_by.value(), "user"));
  }
  return Ok();
}

}  // namespace soporte::storage::memory_internal
