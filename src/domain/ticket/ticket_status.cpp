#include "domain/ticket/ticket_status.hpp"

#include <string>

namespace soporte::domain {
namespace {

using S = TicketStatus;
constexpr bool kYes = true;
constexpr bool kNo = false;
// The lifecycle from the ticket-service issue. Resolved may be closed or reopened (→ open) by
// either side; every other move is support's. Closed is final. Waiting on the customer goes back
// to open when they answer (an article does that: ticket_article).
constexpr StatusTransition kTransitions[] = {
    // from                 to                     staff customer
    {S::kNew, S::kOpen, kYes, kNo},
    {S::kNew, S::kWaitingCustomer, kYes, kNo},
    {S::kNew, S::kResolved, kYes, kNo},
    {S::kOpen, S::kWaitingCustomer, kYes, kNo},
    {S::kOpen, S::kResolved, kYes, kNo},
    {S::kWaitingCustomer, S::kOpen, kYes, kNo},
    {S::kWaitingCustomer, S::kResolved, kYes, kNo},
    {S::kResolved, S::kClosed, kYes, kYes},
    {S::kResolved, S::kOpen, kYes, kYes},
};

const StatusTransition* FindTransition(TicketStatus from, TicketStatus to) {
  for (const auto& t : kTransitions) {
    if (t.from == from && t.to == to) return &t;
  }
  return nullptr;
}

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

std::string_view ActorName(Actor a) { return a == Actor::kStaff ? "staff" : "customer"; }

std::span<const StatusTransition> StatusTransitions() { return kTransitions; }

Status CheckTransition(TicketStatus from, TicketStatus to) {
  if (FindTransition(from, to)) return Ok();
  return Fail(ErrorCode::kFailedPrecondition, std::string(StatusName(from)) + " → " +
                                                  std::string(StatusName(to)) + " is not allowed");
}

Status CheckTransition(TicketStatus from, TicketStatus to, Actor actor) {
  const StatusTransition* move = FindTransition(from, to);
  if (actor == Actor::kCustomer && !(move && move->by_customer)) {
    return Fail(ErrorCode::kPermissionDenied,
                "customers may only close or reopen a resolved ticket");
  }
  if (!move) return CheckTransition(from, to);
  if (actor == Actor::kStaff && !move->by_staff) {
    return Fail(ErrorCode::kPermissionDenied, std::string(StatusName(from)) + " → " +
                                                  std::string(StatusName(to)) +
                                                  " is the customer's to make");
  }
  return Ok();
}

bool IsActive(TicketStatus s) {
  return s == S::kNew || s == S::kOpen || s == S::kWaitingCustomer;
}

}  // namespace soporte::domain
