// Time zones by name: the desk's default zone (the vendor's own, named once here) and the one
// lookup every edge uses to show a stored zone's times. Contracts, calendars and the email intake
// window start in kDefaultZone unless told otherwise; their zone names are validated when stored
// (BusinessCalendar), so ZoneOrUtc's fallback only keeps a display from failing.
#pragma once

#include <string_view>

#include <date/tz.h>

namespace soporte::domain::calendar {

// The vendor's zone: the default of a new contract, calendar, intake window and `--tz`.
inline constexpr std::string_view kDefaultZone = "America/Bogota";

// The UTC zone (times the desk shows without a customer's zone: mail queues, audit logs).
// Never null; thread-safe.
const date::time_zone* Utc();

// The zone named `name` (a contract's or a calendar's); an empty name means kDefaultZone, and a
// name date/tz does not know gives UTC (it never fails: it is for showing times, not validating
// zones). Never null; thread-safe.
const date::time_zone* ZoneOrUtc(std::string_view name);

}  // namespace soporte::domain::calendar
