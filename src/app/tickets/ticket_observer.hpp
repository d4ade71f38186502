// Who reacts to what happens on tickets, INSIDE the transaction of the change: what an observer
// writes (an SLA threshold row, a page row, a webhook delivery row, an alert) commits or rolls
// back with the change itself, so it happens exactly once whichever node did the change. An
// error from an observer rolls the change back.
//
// Unlike TicketNotifier (the customer's mail, called on the portal/API paths only), observers
// hear every path: portal, API, mail intake, phone log, chat, and the jobs (SLA watch, paging).
// Every method has an empty default: an observer overrides what it needs.
#pragma once

#include <cstdint>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/store.hpp"
#include "domain/sla/sla_threshold.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

// A page's life on a ticket (app/oncall owns pages; observers such as webhooks hear them).
struct PageNotice {
  enum class Kind { kSent, kAcknowledged, kEscalated };
  Kind kind = Kind::kSent;
  std::int64_t page_id = 0;
  UserId engineer;  // who was paged (kSent, kEscalated: the new one) or acknowledged
  int level = 0;    // 0 = primary, 1 = secondary, 2 = supervisors
  Instant at;
};

class TicketObserver {
 public:
  virtual ~TicketObserver() = default;
  // A ticket was opened, by any channel. `t` as stored (number, due, clock start set).
  virtual Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who);
  // Fields of a ticket changed (status, criticality, contract, assignee, tags, due…): `before`
  // and `after` as stored, `changes` the history entries just written.
  virtual Status TicketUpdated(WriteTx& tx, const domain::Ticket& before,
                               const domain::Ticket& after,
                               const std::vector<domain::TicketEvent>& changes,
                               const Principal& who);
  // An article (public reply, internal note, logged call, customer message) was added; `t` is
  // the ticket as stored after it (first response, status).
  virtual Status ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                              const Principal& who);
  // The SLA watch fired a threshold on `t` (app/sla).
  virtual Status SlaReached(WriteTx& tx, const domain::Ticket& t,
                            const domain::sla::SlaFiring& firing);
  // A page was sent, acknowledged or escalated for `t` (app/oncall).
  virtual Status PageChanged(WriteTx& tx, const domain::Ticket& t, const PageNotice& page);
};

// Calls each registered observer in registration order; the first error stops and is returned
// (the caller's transaction then rolls back). Observers are added at wiring, before use.
class TicketObservers final : public TicketObserver {
 public:
  void Add(TicketObserver* observer);
  bool empty() const { return observers_.empty(); }

  Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) override;
  Status TicketUpdated(WriteTx& tx, const domain::Ticket& before, const domain::Ticket& after,
                       const std::vector<domain::TicketEvent>& changes,
                       const Principal& who) override;
  Status ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                      const Principal& who) override;
  Status SlaReached(WriteTx& tx, const domain::Ticket& t,
                    const domain::sla::SlaFiring& firing) override;
  Status PageChanged(WriteTx& tx, const domain::Ticket& t, const PageNotice& page) override;

 private:
  std::vector<TicketObserver*> observers_;
};

}  // namespace soporte::app
