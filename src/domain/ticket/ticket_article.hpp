// What writing on a ticket does: the checks on a reply, note or logged phone call, and the pure
// rule for what an article does to its ticket (the response clock and the status). Attachments
// share the one precondition: nothing is added to a closed ticket.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/account/account.hpp"
#include "domain/ticket/ticket.hpp"
#include "domain/ticket/ticket_limits.hpp"

namespace soporte::domain {

// Ok unless `t` is closed: kFailedPrecondition "ticket #N is closed" (closed is final; nothing is
// added to it, neither articles nor attachments).
Status CheckOpenForAdditions(const Ticket& t);

// Ok when `actor` may write `body` (internal: a note only staff see): kInvalidArgument "body is
// required" for a blank body, "body: at most N bytes" past limits.max_body; kPermissionDenied
// "only support staff may write internal notes" for a customer's note. Checked in that order.
Status CheckArticle(std::string_view body, bool internal, Actor actor, const TicketLimits& limits);

// The phone call a staff member logs (caller trimmed), or, in this order: kPermissionDenied "only
// support staff may log phone calls"; kInvalidArgument "caller is required", "caller: at most 200
// characters", "duration_minutes must be between 0 and 600", "notes is required", "notes: at most
// N bytes" (limits.max_body).
Result<PhoneCall> CheckPhoneCall(std::string caller, std::int64_t duration_minutes,
                                 std::string_view notes, Actor actor, const TicketLimits& limits);

// Ok when a phone call on ticket #`number` may be logged under `contract` at `now`. An outgoing
// call (support calls the customer back) is always allowed: it is not a new channel for the
// customer (issue 12, part 6). An incoming one: kUnprocessable "the contract of ticket #N (8x5)
// has no phone line; record the call as an internal note instead" when the contract has no
// phone line, else CheckContractAccepts' error (not in force).
Status CheckPhoneLine(const Contract& contract, std::int64_t number, Instant now,
                      CallDirection direction = CallDirection::kIncoming);

// The ticket after an article by `by` at `now` and its history entries, in order.
struct ArticleOutcome {
  Ticket ticket;
  std::vector<TicketEvent> events;
};

// What an article (internal: a note) does to `t`, which must not be closed (CheckOpenForAdditions'
// error otherwise):
// - a public article by staff is support's response: the first one sets first_response_at
//   ("first_response" entry, after = EventInstantText(now)) and moves new → open ("status");
// - an article by the customer while support waits on them moves waiting_customer → open;
// - anything else changes only updated_at, which is always set to `now`.
Result<ArticleOutcome> ApplyArticle(const Ticket& t, const ActingUser& by, bool internal,
                                    Instant now);

}  // namespace soporte::domain
