// Changing a ticket: what a change request says (TicketPatch) and the pure rule that applies it
// (ApplyPatch): who may change which field, the lifecycle check, which contract and assignee are
// acceptable, the history entries, and whether the response due must be recomputed. The use case
// looks up what the patch names (PatchLookups) before, and recomputes the due after.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/account/account.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/ticket/ticket.hpp"
#include "domain/ticket/ticket_limits.hpp"
#include "domain/ticket/ticket_status.hpp"

namespace soporte::domain {

struct TicketPatch {
  std::optional<TicketStatus> status;
  std::optional<sla::Criticality> criticality;
  std::optional<std::optional<UserId>> assignee;  // nullopt inside: unassign
  std::optional<std::vector<std::string>> tags;
  std::optional<ContractId> contract_id;
};

// What the patch names, as the use case found it (a failed lookup is simply absent: the rule
// decides what that means). Only what PatchNeeds asks for need be filled.
struct PatchLookups {
  std::optional<Contract> contract;     // the contract patch.contract_id names
  std::optional<User> assignee;         // the user the patch assigns
  std::string previous_assignee_email;  // the current assignee's email; "" when not known
};

// What a patch asks the use case to look up on ticket `t`: the new contract (when the patch names
// a different one), the new assignee (when it assigns someone else) and the current assignee
// (when the assignee changes and there is one).
struct PatchNeeds {
  std::optional<ContractId> contract;
  std::optional<UserId> assignee;
  std::optional<UserId> previous_assignee;
};
PatchNeeds NeedsOf(const Ticket& t, const TicketPatch& patch);

// The ticket after the patch, its history entries in order (status, criticality, contract,
// assignee, tags) and whether the response due must be recomputed (criticality or contract
// changed). Fields the patch leaves alone or sets to their current value make no entry.
struct PatchOutcome {
  Ticket ticket;
  std::vector<TicketEvent> events;
  bool recompute_due = false;
};

// The checks that need no ticket, in order: tags (ValidateTags, kInvalidArgument), then a
// customer may send nothing but a status (kPermissionDenied "customers may only close or reopen a
// resolved ticket"). ApplyPatch runs them too; the use case runs them first so that a refused
// request is refused before the ticket is read.
Status CheckPatchRequest(const TicketPatch& patch, Actor actor, const TicketLimits& limits);

// Applies `patch` to `t` for `by` at `now`. Fails, at the first problem, with: the errors of
// CheckPatchRequest; CheckTransition(from, to, actor) for a status move; kNotFound "contract: no
// contract N for this ticket's organisation" when the new contract is absent or another
// organisation's; CheckContractAccepts(contract, t.channel, t.received_at)'s error prefixed
// "contract: "; kInvalidArgument "assignee: no active support staff user N" when the assignee is
// absent, not staff or inactive. Does not touch updated_at or the due (the use case does).
Result<PatchOutcome> ApplyPatch(const Ticket& t, const TicketPatch& patch, const ActingUser& by,
                                Instant now, const PatchLookups& found,
                                const TicketLimits& limits = {});

}  // namespace soporte::domain
