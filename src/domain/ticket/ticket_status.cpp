#include "domain/ticket/ticket_status.hpp"

#include <string>

namespace soporte::domain {
namespace {

using S = TicketStatus;
// The lifecycle from the ticket-service issue. Resolved may be reopened (→ open) by either
// side; closed is final. Waiting on the customer goes back to open when they answer.
constexpr StatusTransition kTransitions[] = {
    {S::kNew, S::kOpen},          {S::kNew, S::kWaitingCustomer},  {S::kNew, S::kResolved},
    {S::kOpen, S::kWaitingCustomer}, {S::kWaitingCustomer, S::kOpen}, {S::kOpen, S::kResolved},
    {S::kWaitingCustomer, S::kResolved}, {S::kResolved, S::kClosed}, {S::kResolved, S::kOpen},
};

}  // namespace

std::string_view StatusName(TicketStatus s) {
  switch (s) {
    case S::kNew: return "new";
    case S::kOpen: return "open";
    case S::kWaitingCustomer: return "waiting_customer";
    case S::kResolved: return "resolved";
    case S::kClosed: return "closed";
  }
  return "new";
}

std::optional<TicketStatus> ParseStatus(std::string_view s) {
  for (S v : {S::kNew, S::kOpen, S::kWaitingCustomer, S::kResolved, S::kClosed}) {
    if (StatusName(v) == s) return v;
  }
  return std::nullopt;
}

std::span<const StatusTransition> StatusTransitions() { return kTransitions; }

Status CheckTransition(TicketStatus from, TicketStatus to) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.to == to) return Ok();
  }
  return Fail(ErrorCode::kFailedPrecondition, std::string(StatusName(from)) + " → " +
                                                  std::string(StatusName(to)) + " is not allowed");
}

bool IsActive(TicketStatus s) {
  return s == S::kNew || s == S::kOpen || s == S::kWaitingCustomer;
}

}  // namespace soporte::domain
