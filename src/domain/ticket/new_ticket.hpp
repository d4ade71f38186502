// Opening a ticket: what a request to open one says (NewTicket), the checks it must pass before
// anything is looked up (sizes, tags, intake answers, who may choose the channel, the requester
// and the reception instant), and the ticket row it becomes once the use case has resolved the
// organisation, contract, requester and due. Pure: no store, no clock.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/sla/channel.hpp"
#include "domain/sla/criticality.hpp"
#include "domain/ticket/ticket.hpp"
#include "domain/ticket/ticket_limits.hpp"

namespace soporte::domain {

struct NewTicket {
  std::optional<std::string> org_slug;    // staff: required; customers: their own or omitted
  std::optional<ContractId> contract_id;  // default: the org's contract in force for the channel
  std::optional<std::string> requester_email;  // staff only; default: the caller
  TicketType type = TicketType::kIncident;
  sla::Criticality criticality = sla::Criticality::kNormal;
  std::optional<sla::Channel> channel;  // customers: portal or chat; default portal
  Environment environment = Environment::kNone;
  std::string subject;
  std::string description;
  std::vector<std::string> tags;
  std::optional<Instant> received_at;  // staff only (a call logged afterwards); not future
  // Answers to the intake checklist's items (domain/profile/intake_checklist): item name → text.
  std::map<std::string, std::string> intake;
};

// A request that passed CheckNewTicket: the request (subject trimmed), the channel it came by
// and the instant it was received.
struct CheckedNewTicket {
  NewTicket request;
  sla::Channel channel = sla::Channel::kPortal;
  Instant received;
};

// Checks `in` as sent by `actor` at `now`, in this order, each failure kInvalidArgument:
// subject (trimmed) required and at most max_subject bytes; description at most max_description;
// tags (ValidateTags); intake answers name known items and are at most max_description bytes;
// then a customer opens by portal or chat only and may set neither requester nor received_at,
// while staff must name the organisation and may backdate received_at but not into the future.
// The channel defaults to portal and the reception to `now`.
Result<CheckedNewTicket> CheckNewTicket(NewTicket in, Actor actor, Instant now,
                                        const TicketLimits& limits);

// The ticket a checked request becomes (status new, number and id left to the store), in
// organisation `org` on contract `contract` for `requester`, with the response clock starting at
// `clock_start` and due at `response_due`, created at `now`.
Ticket TicketFromRequest(const CheckedNewTicket& in, OrgId org, ContractId contract,
                         UserId requester, Instant clock_start, Instant response_due, Instant now);

// The history entry that opens a ticket's history: field "created", after = the status name.
TicketEvent CreatedEvent(const Ticket& stored, UserId actor, Instant now);

}  // namespace soporte::domain
