// MailNotifier: the email side of ticket changes. Given the open write transaction and the
// change, it writes the outbox row with the facts the mail will say (MailFacts: the subject,
// criticality, due, names and checklist as they are now) and records our Message-ID on the ticket
// (so the customer's reply threads back), all inside the change's transaction: the mail is sent
// exactly when the change commits, and a crash or an SMTP outage loses nothing. The text is
// rendered at delivery (app/mail/outbox_render), outside the single writer's transaction.
//
// Which changes send mail: a ticket created (acknowledgement with the due and how it was
// computed), a public reply by staff, a move to waiting_customer, resolved or closed.
// Thread-safe (the id generator is locked).
#pragma once

#include <mutex>
#include <random>
#include <string>

#include "app/ports/mail.hpp"
#include "app/tickets/ticket_notifier.hpp"
#include "domain/profile/intake_checklist.hpp"

namespace soporte::app {

struct MailNotifierOptions {
  std::string support_address = "soporte@example.com";  // From:, and the Message-ID domain
  std::string default_lang = "es";
};

class MailNotifier final : public TicketNotifier {
 public:
  explicit MailNotifier(MailNotifierOptions options);

  Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) override;
  Status ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                      const Principal& who) override;
  Status StatusChanged(WriteTx& tx, const domain::Ticket& t, domain::TicketStatus from,
                       const Principal& who) override;

  // The acknowledgement of a new ticket in `lang` ("" = default), answering `in_reply_to`
  // (the customer's Message-ID, "" for none). Auto-Submitted: auto-replied.
  // `missing`: the intake checklist's items the ticket lacks, which the mail asks for by name.
  Status EnqueueTicketReceived(WriteTx& tx, const domain::Ticket& t, const std::string& lang,
                               const std::vector<domain::IntakeItem>& missing = {});
  // The one polite answer to an unknown sender: how to obtain an account. Not about a ticket.
  Status EnqueueUnknownSender(WriteTx& tx, const std::string& to, const std::string& lang,
                              const std::string& original_subject, const std::string& in_reply_to,
                              Instant now);

  const MailNotifierOptions& options() const { return options_; }

 private:
  Status Enqueue(WriteTx& tx, const domain::Ticket& t, MailKind kind, std::string lang,
                 MailFacts facts, std::string_view auto_submitted, Instant now);
  std::string NewMessageId(std::int64_t number, Instant now);

  MailNotifierOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace soporte::app
