// Webhook subscriptions and their deliveries in memory: app::WebhookRepository over the
// MemoryStore's state (memory_state.hpp). Same semantics as the SQLite one (the conformance suite
// checks both). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/webhook_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryWebhookRepository final : public app::WebhookRepository {
 public:
  explicit MemoryWebhookRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<app::WebhookRecord>> ListWebhooks() override;
  Result<app::WebhookRecord> GetWebhook(std::int64_t id) override;
  Result<std::vector<app::WebhookDeliveryRecord>> ListWebhookDeliveries(std::int64_t webhook_id,
                                                                        int limit) override;
  Result<app::WebhookDeliveryCounts> CountWebhookDeliveries(std::int64_t webhook_id) override;
  Result<app::WebhookDeliveryRecord> GetWebhookDelivery(std::int64_t id) override;

  Result<app::WebhookRecord> InsertWebhook(app::WebhookRecord r) override;
  Status UpdateWebhookSecret(std::int64_t id, const app::SealedValue& secret) override;
  Status DeleteWebhook(std::int64_t id) override;
  Result<app::WebhookDeliveryRecord> InsertWebhookDelivery(app::WebhookDeliveryRecord r) override;
  Result<std::vector<app::WebhookDeliveryRecord>> ClaimWebhookDeliveries(Instant now,
                                                                         const std::string& node,
                                                                         Instant lease_until,
                                                                         int limit) override;
  Status FinishWebhookDelivery(const app::WebhookDeliveryRecord& r,
                               const std::string& node) override;
  Status RequeueWebhookDelivery(std::int64_t id, Instant now) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
