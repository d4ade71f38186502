// Ticket statuses and the lifecycle as a data table: new → open ⇄ waiting_customer → resolved →
// closed, reopen from resolved. Each move says who may make it (support staff, the customer).
// The table is the rule; use cases ask it before any move.
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

// Who acts on a ticket: support staff (any staff role) or the customer's side.
enum class Actor { kStaff, kCustomer };
std::string_view ActorName(Actor a);  // "staff", "customer"

struct StatusTransition {
  TicketStatus from;
  TicketStatus to;
  bool by_staff = true;      // support staff may make this move
  bool by_customer = false;  // the customer may make this move
};

// The allowed moves and who may make each. A move to the same status is not a transition and is
// never listed.
std::span<const StatusTransition> StatusTransitions();

// Ok when `from → to` is in the table (for anyone); kFailedPrecondition "X → Y is not allowed"
// otherwise.
Status CheckTransition(TicketStatus from, TicketStatus to);

// Ok when `actor` may move a ticket `from → to`. A customer asking for a move the table does not
// give the customer (listed or not) is kPermissionDenied "customers may only close or reopen a
// resolved ticket"; a move not in the table is kFailedPrecondition "X → Y is not allowed".
// `from == to` is not a move: callers skip it (it fails like any unlisted move).
Status CheckTransition(TicketStatus from, TicketStatus to, Actor actor);

// True while the ticket still counts as open work (new, open, waiting_customer).
bool IsActive(TicketStatus s);

}  // namespace soporte::domain
