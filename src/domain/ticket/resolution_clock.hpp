// The resolution clock (issue 12, part 7): the second clock of a ticket, from the response clock's
// start until the ticket is resolved, counted on the contract's calendar, PAUSED while the ticket
// waits on the customer (status waiting_customer) and stopped while resolved or closed (a reopened
// ticket counts again). It has no target unless the contract sets one. The response clock is not
// paused by waiting: it stops only at the first response. Built from the ticket's status history,
// so it needs no stored state. Pure; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"
#include "domain/ticket/ticket_status.hpp"

namespace soporte::domain {

struct StatusChange {
  Instant at;
  TicketStatus to;
};

enum class ResolutionClockState { kRunning, kPaused, kStopped };
std::string_view ResolutionClockStateName(
    ResolutionClockState s);  // "running", "paused", "stopped"

struct ResolutionClock {
  Seconds elapsed{0};  // business time counted up to now
  ResolutionClockState state = ResolutionClockState::kRunning;
  std::optional<Seconds> target;
  std::optional<Instant> due;  // with a target, while running (or when it ran out before a pause)
  bool breached = false;       // with a target: elapsed > target
};

// The clock at `now` for a ticket whose clock started at `start` with status `initial`, then moved
// through `changes` (in time order; changes before `start` count from `start`).
ResolutionClock ResolutionClockAt(std::shared_ptr<const calendar::BusinessCalendar> calendar,
                                  Instant start, TicketStatus initial,
                                  const std::vector<StatusChange>& changes,
                                  std::optional<Seconds> target, Instant now);

}  // namespace soporte::domain
