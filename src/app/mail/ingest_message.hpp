// IngestMessage: the one code path every inbound mail takes (`soporte mail ingest` from an MTA,
// and the IMAP poller). Given a parsed message it decides, in ONE write transaction:
//   - a Message-ID already seen            → nothing new (duplicate), same ticket number
//   - a bounce (DSN)                       → attached to the ticket of the message it returns,
//                                            as an internal note; never a new ticket
//   - a known customer, reply to a ticket  → a public article (quoted history cut) + attachments
//     (by a stored Message-ID in In-Reply-To/References, else by "[#NUMBER]" in the subject)
//   - a known customer, new message        → a ticket on channel email (SLA clock at the email
//                                            window's next opening) + acknowledgement
//   - a known sender not verified by our MTA's Authentication-Results (when the desk is told
//     which authserv-id to trust)        → kept in inbound_unassigned as "unverified"
//   - automatic mail (RFC 3834) that joins no open ticket → kept in inbound_unassigned
//   - anyone else                          → kept in inbound_unassigned for agents, plus one
//                                            polite answer (how to obtain an account)
// Automatic answers obey the loop rules (domain/mail/loop_guard) and a per-sender rate limit.
// Thread-safe; blocks on the store: call it on a worker thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/mail/mail_notifier.hpp"
#include "app/ports/event_bus.hpp"
#include "app/ports/mail.hpp"
#include "app/ports/store.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct IngestOptions {
  std::string support_address = "soporte@example.com";  // our own address (never answered)
  // The authserv-id of our own MTA (RFC 8601); set, only its Authentication-Results count and a
  // customer's mail whose author they do not verify is kept as "unverified". "" = trust From.
  std::string auth_serv_id;
  int acks_per_hour = 5;           // acknowledgements to one sender per hour
  int unknown_replies_per_day = 1;  // "how to get an account" answers to one sender per day
  // Placeholder texts stored when the message gives none (Spanish first: the desk's language).
  std::string no_subject = "(sin asunto)";
  std::string no_text = "(mensaje sin texto; ver adjuntos)";
  std::string bounce_note = "Aviso de no entrega (rebote) recibido; el mensaje devuelto está adjunto.";
  std::string auto_reply_note = "Respuesta autom\xc3\xa1tica recibida (no reabre el ticket):";
};

enum class IngestOutcome { kNewTicket, kReply, kDuplicate, kBounce, kUnassigned };
const char* IngestOutcomeName(IngestOutcome o);

struct IngestResult {
  IngestOutcome outcome = IngestOutcome::kUnassigned;
  std::int64_t number = 0;         // the ticket created or updated (0 when unassigned)
  std::int64_t unassigned_id = 0;  // the inbound_unassigned row (kUnassigned)
  bool auto_answered = false;      // an acknowledgement or account answer was queued
  std::string reason;              // unassigned: why; otherwise ""
  std::int64_t follows = 0;        // unassigned: the kept message it followed up (0: none)
};

class IngestMessage {
 public:
  IngestMessage(Store& store, TicketService& tickets, MailNotifier& notifier, EventBus& events,
                const Clock& clock, IngestOptions options);

  // Stores `msg` as decided above. `also` (optional) runs inside the same transaction (the IMAP
  // poller records its position there). Errors: kUnavailable/kAborted when the store could not
  // commit (the message is NOT stored: the caller must keep it and retry); other codes only for
  // bugs. Never drops a message that the store accepted.
  Result<IngestResult> Run(const InboundMessage& msg,
                           const std::function<Status(WriteTx&)>& also = nullptr);

 private:
  Store& store_;
  TicketService& tickets_;
  MailNotifier& notifier_;
  EventBus& events_;
  const Clock& clock_;
  IngestOptions options_;
};

}  // namespace soporte::app
