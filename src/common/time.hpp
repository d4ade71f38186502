// Instants and durations used across the domain: UTC seconds, no zone. Zones live only inside
// calendars (domain/calendar) and at the edges (parsing and formatting in transport).
#pragma once

#include <chrono>

namespace soporte {

using Seconds = std::chrono::seconds;
// A point in time, UTC, to the second.
using Instant = std::chrono::sys_seconds;

}  // namespace soporte
