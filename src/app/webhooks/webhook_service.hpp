// The admins' side of webhooks (issue 12, part 5): subscribe a URL to event types, list the
// subscriptions with how their deliveries stand, read one subscription's deliveries, retry a
// failed delivery, delete a subscription. Webhooks are vendor-wide: only admins (Role kAdmin)
// reach them; anyone else gets kPermissionDenied. The secret is write-only: sealed with the
// SecretBox (bound to the subscription's id) in the transaction that stores it, never returned.
// Thread-safe; blocks on the store.
#pragma once

#include <cstdint>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "domain/webhook/webhook.hpp"

namespace soporte::app {

struct WebhookOptions {
  // Allow loopback, link-local and private hosts (serve --webhook-allow-private).
  bool allow_private = false;
};

// A subscription as admins see it: never its secret.
struct WebhookView {
  std::int64_t id = 0;
  std::string url;
  std::vector<std::string> events;
  UserId created_by;
  Instant created_at;
  WebhookDeliveryCounts counts;
  std::optional<WebhookDeliveryRecord> last_delivery;  // the newest one
};

class WebhookService {
 public:
  WebhookService(Store& store, const SecretBox& box, const Clock& clock,
                 WebhookOptions options = {})
      : store_(store), box_(box), clock_(clock), options_(options) {}

  // Checks (domain::webhook::CheckWebhook: kInvalidArgument naming url, events or secret),
  // stores the subscription with its secret sealed, records it in the audit log, and returns it.
  Result<WebhookView> Subscribe(const Principal& who, domain::webhook::WebhookInput in);
  // Every subscription, oldest first.
  Result<std::vector<WebhookView>> List(const Principal& who);
  // kNotFound when absent.
  Result<WebhookView> Get(const Principal& who, std::int64_t id);
  // Deletes the subscription and its deliveries (pending ones are never sent); audit-logged.
  // kNotFound when absent.
  Status Delete(const Principal& who, std::int64_t id);
  // The subscription's deliveries, newest first (limit 1..200). kNotFound when absent.
  Result<std::vector<WebhookDeliveryRecord>> Deliveries(const Principal& who, std::int64_t id,
                                                        int limit);
  // Puts a failed delivery back in the queue now (same delivery id, attempts from zero).
  // kNotFound when absent; kFailedPrecondition when it was delivered or is still being retried.
  Result<WebhookDeliveryRecord> Retry(const Principal& who, std::int64_t delivery_id);

  // Key rotation (`soporte secrets rotate-key`): re-seals every subscription's secret sealed
  // under `from` with `to`, in one transaction; those already under `to` are left (a rerun
  // finishes an interrupted rotation). Returns how many were re-sealed. kFailedPrecondition
  // when one is under neither key (nothing is changed).
  static Result<int> Reseal(Store& store, const SecretBox& from, const SecretBox& to);
  // At start and before a restore: every subscription's secret is sealed under `box`'s key and
  // the key really opens them (tried on each). Returns how many there are; kFailedPrecondition
  // naming the first that does not open.
  static Result<std::size_t> CheckKey(Store& store, const SecretBox& box);

 private:
  Store& store_;
  const SecretBox& box_;
  const Clock& clock_;
  WebhookOptions options_;
};

// kPermissionDenied unless `who` is an admin.
Status RequireWebhookAdmin(const Principal& who);

}  // namespace soporte::app
