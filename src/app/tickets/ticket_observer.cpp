#include "app/tickets/ticket_observer.hpp"

namespace soporte::app {

Status TicketObserver::TicketCreated(WriteTx&, const domain::Ticket&, const Principal&) {
  return Ok();
}
Status TicketObserver::TicketUpdated(WriteTx&, const domain::Ticket&, const domain::Ticket&,
                                     const std::vector<domain::TicketEvent>&, const Principal&) {
  return Ok();
}
Status TicketObserver::ArticleAdded(WriteTx&, const domain::Ticket&, const domain::Article&,
                                    const Principal&) {
  return Ok();
}
Status TicketObserver::SlaReached(WriteTx&, const domain::Ticket&, const domain::sla::SlaFiring&) {
  return Ok();
}
Status TicketObserver::PageChanged(WriteTx&, const domain::Ticket&, const PageNotice&) {
  return Ok();
}

void TicketObservers::Add(TicketObserver* observer) {
  if (observer != nullptr && observer != this) observers_.push_back(observer);
}

Status TicketObservers::TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) {
  for (auto* o : observers_) SOPORTE_TRY_STATUS(o->TicketCreated(tx, t, who));
  return Ok();
}

Status TicketObservers::TicketUpdated(WriteTx& tx, const domain::Ticket& before,
                                      const domain::Ticket& after,
                                      const std::vector<domain::TicketEvent>& changes,
                                      const Principal& who) {
  for (auto* o : observers_) SOPORTE_TRY_STATUS(o->TicketUpdated(tx, before, after, changes, who));
  return Ok();
}

Status TicketObservers::ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                                     const Principal& who) {
  for (auto* o : observers_) SOPORTE_TRY_STATUS(o->ArticleAdded(tx, t, a, who));
  return Ok();
}

Status TicketObservers::SlaReached(WriteTx& tx, const domain::Ticket& t,
                                   const domain::sla::SlaFiring& firing) {
  for (auto* o : observers_) SOPORTE_TRY_STATUS(o->SlaReached(tx, t, firing));
  return Ok();
}

Status TicketObservers::PageChanged(WriteTx& tx, const domain::Ticket& t, const PageNotice& page) {
  for (auto* o : observers_) SOPORTE_TRY_STATUS(o->PageChanged(tx, t, page));
  return Ok();
}

}  // namespace soporte::app
