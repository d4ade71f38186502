#include "domain/ticket/new_ticket.hpp"

#include <string>
#include <utility>

#include "domain/profile/intake_checklist.hpp"
#include "domain/ticket/ticket_tags.hpp"

namespace soporte::domain {
namespace {

Status CheckText(const NewTicket& in, const TicketLimits& limits) {
  if (in.subject.empty()) return Fail(ErrorCode::kInvalidArgument, "subject is required");
  if (in.subject.size() > limits.max_subject) {
    return Fail(ErrorCode::kInvalidArgument,
                "subject: at most " + std::to_string(limits.max_subject) + " bytes");
  }
  if (in.description.size() > limits.max_description) {
    return Fail(ErrorCode::kInvalidArgument,
                "description: at most " + std::to_string(limits.max_description) + " bytes");
  }
  return ValidateTags(in.tags, limits);
}

Status CheckIntake(const std::map<std::string, std::string>& intake, const TicketLimits& limits) {
  for (const auto& [item, text] : intake) {
    if (!ParseIntakeItem(item)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "intake: unknown item '" + item +
                      "' (environment, steps, screenshots, logs, modifications, versions)");
    }
    if (text.size() > limits.max_description) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "intake." + item + ": at most " + std::to_string(limits.max_description) + " bytes");
    }
  }
  return Ok();
}

// What only support staff may choose: the channel beyond portal and chat, the requester and a
// reception instant in the past. Staff must name the organisation (they have none of their own).
Status CheckWhoMaySet(const NewTicket& in, sla::Channel channel, Actor actor, Instant now) {
  if (actor == Actor::kCustomer) {
    if (channel != sla::Channel::kPortal && channel != sla::Channel::kChat) {
      return Fail(ErrorCode::kInvalidArgument, "channel: customers open tickets by portal or chat");
    }
    if (in.requester_email) {
      return Fail(ErrorCode::kInvalidArgument, "requester: only support staff may set it");
    }
    if (in.received_at) {
      return Fail(ErrorCode::kInvalidArgument, "received_at: only support staff may set it");
    }
    return Ok();
  }
  if (!in.org_slug) return Fail(ErrorCode::kInvalidArgument, "org is required");
  if (in.received_at && *in.received_at > now) {
    return Fail(ErrorCode::kInvalidArgument, "received_at is in the future");
  }
  return Ok();
}

}  // namespace

Result<CheckedNewTicket> CheckNewTicket(NewTicket in, Actor actor, Instant now,
                                        const TicketLimits& limits) {
  in.subject = TrimSpace(std::move(in.subject));
  SOPORTE_TRY_STATUS(CheckText(in, limits));
  SOPORTE_TRY_STATUS(CheckIntake(in.intake, limits));
  const sla::Channel channel = in.channel.value_or(sla::Channel::kPortal);
  SOPORTE_TRY_STATUS(CheckWhoMaySet(in, channel, actor, now));
  // A customer's received_at was refused above, so only staff backdate.
  const Instant received = in.received_at.value_or(now);
  return CheckedNewTicket{std::move(in), channel, received};
}

Ticket TicketFromRequest(const CheckedNewTicket& in, OrgId org, ContractId contract,
                         UserId requester, Instant clock_start, Instant response_due, Instant now) {
  const NewTicket& r = in.request;
  Ticket t;
  t.org_id = org;
  t.contract_id = contract;
  t.requester_id = requester;
  t.type = r.type;
  t.criticality = r.criticality;
  t.status = TicketStatus::kNew;
  t.channel = in.channel;
  t.environment = r.environment;
  t.subject = r.subject;
  t.description = r.description;
  t.tags = r.tags;
  t.received_at = in.received;
  t.clock_start = clock_start;
  t.response_due = response_due;
  t.created_at = now;
  t.updated_at = now;
  return t;
}

TicketEvent CreatedEvent(const Ticket& stored, UserId actor, Instant now) {
  return TicketEvent{
      0, stored.id, actor, now, "created", "", std::string(StatusName(stored.status))};
}

}  // namespace soporte::domain
