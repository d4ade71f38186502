// Webhook subscriptions and their delivery outbox in SQLite (0013_webhooks.sql):
// app::WebhookRepository on one connection already inside a transaction. Internal to
// storage/sqlite.
#pragma once

#include "app/ports/webhook_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteWebhookRepository final : public app::WebhookRepository {
 public:
  explicit SqliteWebhookRepository(Db& db) : db_(db) {}

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
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
