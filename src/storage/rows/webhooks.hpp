// Row readers of webhooks and their deliveries, for both SQL stores: column order matches these
// column lists; a reader reads from column 0 of any row type with Int, Text, IsNull and Bool by
// column (storage/rows/values.hpp). Internal to storage.
#pragma once

#include "app/ports/webhook_repository.hpp"
#include "storage/rows/values.hpp"
#include "storage/validate_webhook.hpp"

namespace soporte::storage::rows {

inline constexpr char kHookCols[] =
    "id, url, events, secret_key_id, secret_nonce, secret_ciphertext, created_by, created_at";
template <class Row>
app::WebhookRecord HookFrom(const Row& r) {
  app::WebhookRecord h;
  h.id = r.Int(0);
  h.url = r.Text(1);
  h.events = SplitWebhookEvents(r.Text(2));
  h.secret = app::SealedValue{r.Text(3), r.Text(4), r.Text(5)};
  h.created_by = UserId{IdOrZero(r, 6)};
  h.created_at = At(r.Int(7));
  return h;
}

inline constexpr char kWebhookDeliveryCols[] =
    "id, webhook_id, delivery_id, event, payload, ticket_id, created_at, attempts, "
    "next_attempt_at, claimed_by, lease_until, last_status, last_error, last_attempt_at, "
    "delivered_at, failed_at";
template <class Row>
app::WebhookDeliveryRecord WebhookDeliveryFrom(const Row& r) {
  app::WebhookDeliveryRecord d;
  d.id = r.Int(0);
  d.webhook_id = r.Int(1);
  d.delivery_id = r.Text(2);
  d.event = r.Text(3);
  d.payload = r.Text(4);
  d.ticket_id = TicketId{IdOrZero(r, 5)};
  d.created_at = At(r.Int(6));
  d.attempts = static_cast<int>(r.Int(7));
  d.next_attempt_at = At(r.Int(8));
  d.claimed_by = r.Text(9);
  d.lease_until = OptAtCol(r, 10);
  d.last_status = static_cast<int>(r.Int(11));
  d.last_error = r.Text(12);
  d.last_attempt_at = OptAtCol(r, 13);
  d.delivered_at = OptAtCol(r, 14);
  d.failed_at = OptAtCol(r, 15);
  return d;
}

}  // namespace soporte::storage::rows
