#include "domain/ticket/ticket_article.hpp"

#include <string>
#include <utility>

namespace soporte::domain {

Status CheckOpenForAdditions(const Ticket& t) {
  if (t.status == TicketStatus::kClosed) {
    return Fail(ErrorCode::kFailedPrecondition,
                "ticket #" + std::to_string(t.number) + " is closed");
  }
  return Ok();
}

Status CheckArticle(std::string_view body, bool internal, Actor actor, const TicketLimits& limits) {
  if (IsBlank(body)) return Fail(ErrorCode::kInvalidArgument, "body is required");
  if (body.size() > limits.max_body) {
    return Fail(ErrorCode::kInvalidArgument,
                "body: at most " + std::to_string(limits.max_body) + " bytes");
  }
  if (internal && actor != Actor::kStaff) {
    return Fail(ErrorCode::kPermissionDenied, "only support staff may write internal notes");
  }
  return Ok();
}

Result<PhoneCall> CheckPhoneCall(std::string caller, std::int64_t duration_minutes,
                                 std::string_view notes, Actor actor, const TicketLimits& limits) {
  if (actor != Actor::kStaff) {
    return Fail(ErrorCode::kPermissionDenied, "only support staff may log phone calls");
  }
  caller = TrimSpace(std::move(caller));
  if (caller.empty()) return Fail(ErrorCode::kInvalidArgument, "caller is required");
  if (caller.size() > 200)
    return Fail(ErrorCode::kInvalidArgument, "caller: at most 200 characters");
  if (duration_minutes < 0 || duration_minutes > 600) {
    return Fail(ErrorCode::kInvalidArgument, "duration_minutes must be between 0 and 600");
  }
  if (IsBlank(notes)) return Fail(ErrorCode::kInvalidArgument, "notes is required");
  if (notes.size() > limits.max_body) {
    return Fail(ErrorCode::kInvalidArgument,
                "notes: at most " + std::to_string(limits.max_body) + " bytes");
  }
  return PhoneCall{std::move(caller), duration_minutes};
}

Status CheckPhoneLine(const Contract& contract, std::int64_t number, Instant now,
                      CallDirection direction) {
  if (direction == CallDirection::kOutgoing) return Ok();
  // Protocol: the 24x7 phone line is offered to 24x7 contracts only.
  if (!contract.channels.Has(sla::Channel::kPhone)) {
    return Fail(ErrorCode::kUnprocessable,
                "the contract of ticket #" + std::to_string(number) + " (" +
                    std::string(sla::Name(contract.modality)) +
                    ") has no phone line; record the call as an internal note instead");
  }
  return CheckContractAccepts(contract, sla::Channel::kPhone, now);
}

Result<ArticleOutcome> ApplyArticle(const Ticket& t, const ActingUser& by, bool internal,
                                    Instant now) {
  SOPORTE_TRY_STATUS(CheckOpenForAdditions(t));
  ArticleOutcome out{t, {}};
  Ticket& next = out.ticket;
  auto record = [&](std::string field, std::string before, std::string after) {
    out.events.push_back(
        TicketEvent{0, t.id, by.id, now, std::move(field), std::move(before), std::move(after)});
  };
  if (by.staff() && !internal) {
    // sla: the first public reply by support staff stops the response clock.
    if (!next.first_response_at) {
      next.first_response_at = now;
      record("first_response", "", EventInstantText(now));
    }
    if (next.status == TicketStatus::kNew) {
      record("status", "new", "open");
      next.status = TicketStatus::kOpen;
    }
  } else if (!by.staff() && next.status == TicketStatus::kWaitingCustomer) {
    // The customer answered: the ball is back with support.
    record("status", "waiting_customer", "open");
    next.status = TicketStatus::kOpen;
  }
  next.updated_at = now;
  return out;
}

}  // namespace soporte::domain
