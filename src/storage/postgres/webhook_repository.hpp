// Webhook subscriptions and their delivery outbox in PostgreSQL
// (postgres/0005_webhooks_oncall_chats_reports.sql): app::WebhookRepository on one connection
// already inside a transaction, with the semantics and errors of
// storage/sqlite/webhook_repository.*. Deliveries are claimed by one UPDATE over a FOR UPDATE SKIP
// LOCKED pick of the due rows, so two nodes claiming at once never hold the same row. Internal to
// storage/postgres.
#pragma once

#include "app/ports/webhook_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgWebhookRepository final : public app::WebhookRepository {
 public:
  explicit PgWebhookRepository(PgConn& conn) : conn_(conn) {}

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
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
