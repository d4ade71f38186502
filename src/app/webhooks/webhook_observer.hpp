// Turns what happens on tickets into webhook deliveries, INSIDE the change's transaction
// (TicketObserver): for each subscription that wants the event, one delivery row holding the
// payload rendered now (WebhookPayloadEncoder) and a fresh delivery id. The row commits or rolls
// back with the change, so an event is offered exactly once whichever node made it; the delivery
// job (webhook_delivery.hpp) sends it later. Registered with TicketService::AddObserver at
// wiring. Thread-safe (no state of its own beyond references).
#pragma once

#include <functional>

#include "app/ports/security.hpp"
#include "app/ports/webhook_payload.hpp"
#include "app/tickets/ticket_observer.hpp"
#include "common/clock.hpp"
#include "domain/webhook/webhook.hpp"

namespace soporte::app {

class WebhookObserver final : public TicketObserver {
 public:
  // `ids` makes the delivery ids (random, URL-safe).
  WebhookObserver(const WebhookPayloadEncoder& encoder, const TokenService& ids, const Clock& clock)
      : encoder_(encoder), ids_(ids), clock_(clock) {}

  Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) override;
  // Only when `changes` is not empty.
  Status TicketUpdated(WriteTx& tx, const domain::Ticket& before, const domain::Ticket& after,
                       const std::vector<domain::TicketEvent>& changes,
                       const Principal& who) override;
  // Every article, internal notes included (marked "internal": true in the payload).
  Status ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                      const Principal& who) override;
  Status SlaReached(WriteTx& tx, const domain::Ticket& t,
                    const domain::sla::SlaFiring& firing) override;
  Status PageChanged(WriteTx& tx, const domain::Ticket& t, const PageNotice& page) override;

 private:
  // Writes one delivery per subscription to `event`; `fill` completes each payload.
  Status Offer(WriteTx& tx, domain::webhook::WebhookEvent event, const domain::Ticket& t,
               const WebhookPerson& actor, const std::function<void(WebhookPayload&)>& fill);

  const WebhookPayloadEncoder& encoder_;
  const TokenService& ids_;
  const Clock& clock_;
};

}  // namespace soporte::app
