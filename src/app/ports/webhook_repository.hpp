// The webhook port: admins' subscriptions (a URL, its event types, its sealed secret) and the
// delivery outbox (one row per event and subscription, written in the transaction of the change,
// claimed by the delivery job with a lease). Reached as tx.webhooks() inside a Store transaction
// (store.hpp). Implemented by storage/sqlite/webhook_repository.* and
// storage/memory/memory_webhook_repository.*; 0013_webhooks.sql.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/security.hpp"
#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::app {

// One subscription. `events` holds wire names (domain/webhook), in the documented order.
struct WebhookRecord {
  std::int64_t id = 0;
  std::string url;
  std::vector<std::string> events;
  SealedValue secret;  // sealed under the secret box with WebhookSecretContext(id)
  UserId created_by;
  Instant created_at;
};

// One delivery: an event rendered for one subscription, and where its sending stands.
struct WebhookDeliveryRecord {
  std::int64_t id = 0;
  std::int64_t webhook_id = 0;
  std::string delivery_id;  // X-Soporte-Delivery: unique, the same on every attempt
  std::string event;        // wire name
  std::string payload;      // the JSON body, rendered when the event happened
  TicketId ticket_id;       // the ticket it is about (invalid when none)
  Instant created_at;
  int attempts = 0;
  Instant next_attempt_at;  // when it is due (indexed)
  std::string claimed_by;   // the node holding the lease ("" when none)
  std::optional<Instant> lease_until;
  int last_status = 0;     // the receiver's last HTTP status (0: none, e.g. refused)
  std::string last_error;  // "" after a success
  std::optional<Instant> last_attempt_at;
  std::optional<Instant> delivered_at;
  std::optional<Instant> failed_at;  // given up after the retry limit (an admin may retry)
};

// Counts of one subscription's deliveries, for its list.
struct WebhookDeliveryCounts {
  std::int64_t pending = 0, delivered = 0, failed = 0;
};

// Reads; used by one thread inside one Read or Write call.
class WebhookReader {
 public:
  virtual ~WebhookReader() = default;
  // Every subscription, oldest first.
  virtual Result<std::vector<WebhookRecord>> ListWebhooks() = 0;
  // kNotFound ("webhook N not found") when absent.
  virtual Result<WebhookRecord> GetWebhook(std::int64_t id) = 0;
  // A subscription's deliveries, newest first, at most `limit`.
  virtual Result<std::vector<WebhookDeliveryRecord>> ListWebhookDeliveries(std::int64_t webhook_id,
                                                                           int limit) = 0;
  virtual Result<WebhookDeliveryCounts> CountWebhookDeliveries(std::int64_t webhook_id) = 0;
  // kNotFound ("webhook delivery N not found") when absent.
  virtual Result<WebhookDeliveryRecord> GetWebhookDelivery(std::int64_t id) = 0;
};

class WebhookRepository : public WebhookReader {
 public:
  // Stores a subscription and returns it with its id (r.id ignored). The secret may be sealed
  // after the id is known: UpdateWebhookSecret.
  virtual Result<WebhookRecord> InsertWebhook(WebhookRecord r) = 0;
  // Replaces the sealed secret of `id` (sealing binds it to the id; also key rotation).
  // kNotFound when absent.
  virtual Status UpdateWebhookSecret(std::int64_t id, const SealedValue& secret) = 0;
  // Deletes a subscription and its deliveries (pending ones are never sent). kNotFound when absent.
  virtual Status DeleteWebhook(std::int64_t id) = 0;

  // Stores a delivery; returns it with its id. kAlreadyExists on a duplicate delivery_id;
  // kFailedPrecondition when the subscription does not exist.
  virtual Result<WebhookDeliveryRecord> InsertWebhookDelivery(WebhookDeliveryRecord r) = 0;
  // Claims up to `limit` deliveries due at `now` (not delivered, not failed, next_attempt_at <=
  // now) whose lease is free (none, or lease_until < now): sets claimed_by = `node` and
  // lease_until. Oldest due first. Each returned row is held by `node` alone until lease_until.
  virtual Result<std::vector<WebhookDeliveryRecord>> ClaimWebhookDeliveries(Instant now,
                                                                            const std::string& node,
                                                                            Instant lease_until,
                                                                            int limit) = 0;
  // Writes the outcome of an attempt (attempts, next_attempt_at, last_status, last_error,
  // last_attempt_at, delivered_at, failed_at) and frees the lease, but only while `node` still
  // holds it (claimed_by = node): kAborted when another node took it over after the lease ran
  // out (that node's outcome wins). kNotFound when the row is gone (subscription deleted).
  virtual Status FinishWebhookDelivery(const WebhookDeliveryRecord& r, const std::string& node) = 0;
  // Puts a delivery back in the queue: next_attempt_at = `now`, attempts = 0, failed_at cleared,
  // lease freed. kNotFound when absent.
  virtual Status RequeueWebhookDelivery(std::int64_t id, Instant now) = 0;
};

// The context a subscription's secret is sealed in (SecretBox), so a sealed secret copied to
// another row does not open there.
inline std::string WebhookSecretContext(std::int64_t webhook_id) {
  return "webhook:" + std::to_string(webhook_id) + ":secret";
}

}  // namespace soporte::app
