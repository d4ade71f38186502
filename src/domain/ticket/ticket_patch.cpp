#include "domain/ticket/ticket_patch.hpp"

#include <string>
#include <utility>

#include "domain/ticket/ticket_tags.hpp"

namespace soporte::domain {
namespace {

// Collects the history entries of one patch, all by the same user at the same instant.
class EventLog {
 public:
  EventLog(const Ticket& t, const ActingUser& by, Instant now) : t_(t), by_(by), now_(now) {}
  void Record(std::string field, std::string before, std::string after) {
    events_.push_back(
        TicketEvent{0, t_.id, by_.id, now_, std::move(field), std::move(before), std::move(after)});
  }
  std::vector<TicketEvent> Take() { return std::move(events_); }

 private:
  const Ticket& t_;
  const ActingUser& by_;
  Instant now_;
  std::vector<TicketEvent> events_;
};

Status ApplyStatus(Ticket& t, TicketStatus to, Actor actor, EventLog& log) {
  if (to == t.status) return Ok();
  SOPORTE_TRY_STATUS(CheckTransition(t.status, to, actor));
  log.Record("status", std::string(StatusName(t.status)), std::string(StatusName(to)));
  t.status = to;
  return Ok();
}

// The new contract must be the ticket's organisation's, in force when the ticket was received and
// open to the channel it came by (the same test as at creation: a phone ticket cannot move to an
// 8x5 contract).
Status ApplyContract(Ticket& t, ContractId to, const std::optional<Contract>& found,
                     EventLog& log) {
  if (to == t.contract_id) return Ok();
  if (!found || found->id != to || found->org_id != t.org_id) {
    return Fail(ErrorCode::kNotFound, "contract: no contract " + std::to_string(to.value()) +
                                          " for this ticket's organisation");
  }
  if (auto accepts = CheckContractAccepts(*found, t.channel, t.received_at); !accepts) {
    return Fail(accepts.error().code, "contract: " + accepts.error().message);
  }
  log.Record("contract", std::to_string(t.contract_id.value()), std::to_string(to.value()));
  t.contract_id = to;
  return Ok();
}

// Only active support staff may be assigned; unassigning is always possible.
Status ApplyAssignee(Ticket& t, UserId to, const PatchLookups& found, EventLog& log) {
  if (to == t.assignee_id) return Ok();
  std::string after;
  if (to.valid()) {
    const std::optional<User>& u = found.assignee;
    if (!u || u->id != to || !IsStaff(u->role) || !u->active) {
      return Fail(ErrorCode::kInvalidArgument,
                  "assignee: no active support staff user " + std::to_string(to.value()));
    }
    after = u->email;
  }
  const std::string before = t.assignee_id.valid() ? found.previous_assignee_email : "";
  log.Record("assignee", before, after);
  t.assignee_id = to;
  return Ok();
}

}  // namespace

PatchNeeds NeedsOf(const Ticket& t, const TicketPatch& patch) {
  PatchNeeds needs;
  if (patch.contract_id && *patch.contract_id != t.contract_id) needs.contract = *patch.contract_id;
  if (patch.assignee) {
    const UserId to = patch.assignee->value_or(UserId{});
    if (to != t.assignee_id) {
      if (to.valid()) needs.assignee = to;
      if (t.assignee_id.valid()) needs.previous_assignee = t.assignee_id;
    }
  }
  return needs;
}

Status CheckPatchRequest(const TicketPatch& patch, Actor actor, const TicketLimits& limits) {
  if (patch.tags) SOPORTE_TRY_STATUS(ValidateTags(*patch.tags, limits));
  if (actor == Actor::kCustomer &&
      (patch.criticality || patch.assignee || patch.tags || patch.contract_id)) {
    return Fail(ErrorCode::kPermissionDenied,
                "customers may only close or reopen a resolved ticket");
  }
  return Ok();
}

Result<PatchOutcome> ApplyPatch(const Ticket& t, const TicketPatch& patch, const ActingUser& by,
                                Instant now, const PatchLookups& found,
                                const TicketLimits& limits) {
  SOPORTE_TRY_STATUS(CheckPatchRequest(patch, by.actor, limits));
  PatchOutcome out{t, {}, false};
  Ticket& next = out.ticket;
  EventLog log(t, by, now);
  if (patch.status) SOPORTE_TRY_STATUS(ApplyStatus(next, *patch.status, by.actor, log));
  if (patch.criticality && *patch.criticality != next.criticality) {
    log.Record("criticality", std::string(sla::Name(next.criticality)),
               std::string(sla::Name(*patch.criticality)));
    next.criticality = *patch.criticality;
    out.recompute_due = true;
  }
  if (patch.contract_id && *patch.contract_id != next.contract_id) {
    SOPORTE_TRY_STATUS(ApplyContract(next, *patch.contract_id, found.contract, log));
    out.recompute_due = true;
  }
  if (patch.assignee) {
    SOPORTE_TRY_STATUS(ApplyAssignee(next, patch.assignee->value_or(UserId{}), found, log));
  }
  if (patch.tags && *patch.tags != next.tags) {
    log.Record("tags", JoinTags(next.tags), JoinTags(*patch.tags));
    next.tags = *patch.tags;
  }
  out.events = log.Take();
  return out;
}

}  // namespace soporte::domain
