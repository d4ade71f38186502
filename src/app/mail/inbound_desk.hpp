// InboundDesk: what staff do with inbound mail the intake could not place (app/mail/ingest_message
// keeps it in inbound_unassigned: unknown senders, bounces it could not match, refused tickets).
// Staff list and read it, then decide once: assign it (a new ticket on channel email for a chosen
// organisation and requester, optionally creating that customer, with the SLA clock from the
// original reception), attach it to an existing ticket, or mark it spam/discarded with a reason.
// The decision is recorded with who and when; the message itself is never deleted.
// Staff only: a customer gets kPermissionDenied. Thread-safe; blocks on the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/mail/mail_notifier.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/store.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/clock.hpp"

namespace soporte::app {

// What to do with a kept message: exactly one of the three shapes.
struct AssignInbound {
  std::string org_slug;
  std::string requester_email;                // default: the message's sender
  std::optional<std::string> create_name;     // set: create the customer when absent
  sla::Criticality criticality = sla::Criticality::kNormal;
  domain::TicketType type = domain::TicketType::kIncident;
  std::optional<std::string> subject;         // default: the message's subject
};

// A kept message as staff see it: the record plus the number of the ticket it went to (0 when
// none) and the name of whoever decided.
struct InboundView {
  InboundUnassignedRecord message;
  std::int64_t ticket_number = 0;
  std::string resolved_by_name;
};

struct InboundDecision {
  std::int64_t number = 0;  // the ticket (assigned/attached)
  InboundUnassignedRecord message;
};

struct InboundDeskOptions {
  // Stored when the message gives none (Spanish first, as in IngestOptions).
  std::string no_subject = "(sin asunto)";
  std::string no_text = "(mensaje sin texto; ver adjuntos)";
};

class InboundDesk {
 public:
  // `notifier` may be nullptr (no mail is sent: the desk runs without an outbox).
  InboundDesk(Store& store, TicketService& tickets, MailNotifier* notifier, EventBus& events,
              const Clock& clock, InboundDeskOptions options = {});

  // Kept messages, oldest first; `status` "open" (the default), "all", or one of the decided
  // states. kInvalidArgument for another status.
  Result<std::vector<InboundView>> List(const Principal& who, const std::string& status);
  // One message with its attachments. kNotFound when absent.
  Result<InboundView> Get(const Principal& who, std::int64_t id);

  // A new ticket from an open message. kFailedPrecondition when already decided; kNotFound for
  // an unknown organisation, or a requester who is absent (and create_name unset) or belongs to
  // another organisation; kUnprocessable when the organisation's contract refuses email.
  // The requester gets the usual acknowledgement (in the message's language).
  Result<InboundDecision> Assign(const Principal& who, std::int64_t id, const AssignInbound& in);
  // The message as the requester's public article on ticket `number` (the ticket's clocks move as
  // for a customer's reply; its files are attached). kFailedPrecondition when already decided
  // or the ticket is closed.
  Result<InboundDecision> Attach(const Principal& who, std::int64_t id, std::int64_t number);
  // Marks an open message "spam" or "discarded"; `reason` is required (1..500 characters).
  Result<InboundDecision> Dismiss(const Principal& who, std::int64_t id, const std::string& status,
                                  const std::string& reason);

 private:
  Store& store_;
  TicketService& tickets_;
  MailNotifier* notifier_;
  EventBus& events_;
  const Clock& clock_;
  InboundDeskOptions options_;
};

}  // namespace soporte::app
