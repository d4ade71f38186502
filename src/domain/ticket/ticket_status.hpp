// Ticket statuses and the lifecycle as a data table: new → open ⇄ waiting_customer → resolved →
// closed, reopen from resolved. The table is the rule; use cases ask it before any move.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "common/result.hpp"

namespace soporte::domain {

enum class TicketStatus { kNew, kOpen, kWaitingCustomer, kResolved, kClosed };

// "new", "open", "waiting_customer", "resolved", "closed".
std::string_view StatusName(TicketStatus s);
std::optional<TicketStatus> ParseStatus(std::string_view s);

struct StatusTransition {
  TicketStatus from;
  TicketStatus to;
};

// The allowed moves. A move to the same status is not a transition and is never listed.
std::span<const StatusTransition> StatusTransitions();

// Ok when `from → to` is in the table; kFailedPrecondition naming both otherwise.
Status CheckTransition(TicketStatus from, TicketStatus to);

// True while the ticket still counts as open work (new, open, waiting_customer).
bool IsActive(TicketStatus s);

}  // namespace soporte::domain
