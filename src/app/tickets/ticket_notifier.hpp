// The hook through which a ticket change tells the people it concerns: called by TicketService
// INSIDE the write transaction of the change, so what it enqueues (an outbox row) commits or
// rolls back with the change itself. Implemented by app/mail/mail_notifier (email); the
// service works without one.
#pragma once

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

class TicketNotifier {
 public:
  virtual ~TicketNotifier() = default;
  // A ticket was opened (portal, API, chat). An error rolls the creation back.
  virtual Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) = 0;
  // An article was added (public reply or internal note) by `who`.
  virtual Status ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                              const Principal& who) = 0;
  // The status moved from `from` to t.status.
  virtual Status StatusChanged(WriteTx& tx, const domain::Ticket& t, domain::TicketStatus from,
                               const Principal& who) = 0;
};

}  // namespace soporte::app
