#include "storage/sqlite/webhook_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/rows/webhooks.hpp"
#include "storage/validate_webhook.hpp"

namespace soporte::storage::sqlite_internal {

namespace {

// The row readers and column lists both stores share (storage/rows/webhooks.hpp).
using rows::kHookCols;
constexpr auto& kDeliveryCols = rows::kWebhookDeliveryCols;
app::WebhookRecord ReadHook(const Stmt& r) { return rows::HookFrom(r); }
app::WebhookDeliveryRecord ReadDelivery(const Stmt& r) { return rows::WebhookDeliveryFrom(r); }

}  // namespace

Result<std::vector<app::WebhookRecord>> SqliteWebhookRepository::ListWebhooks() {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kHookCols, " FROM webhooks ORDER BY id"})));
  return Collect<app::WebhookRecord>(s, ReadHook);
}

Result<app::WebhookRecord> SqliteWebhookRepository::GetWebhook(std::int64_t id) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kHookCols, " FROM webhooks WHERE id = ?"})));
  s.Bind(1, id);
  return One<app::WebhookRecord>(s, ReadHook, WebhookNotFound(id));
}

Result<std::vector<app::WebhookDeliveryRecord>> SqliteWebhookRepository::ListWebhookDeliveries(
    std::int64_t webhook_id, int limit) {
  SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kDeliveryCols,
                                  " FROM webhook_deliveries WHERE webhook_id = ? "
                                  "ORDER BY id DESC LIMIT ?"})));
  s.Bind(1, webhook_id).Bind(2, std::int64_t{limit});
  return Collect<app::WebhookDeliveryRecord>(s, ReadDelivery);
}

Result<app::WebhookDeliveryCounts> SqliteWebhookRepository::CountWebhookDeliveries(
    std::int64_t webhook_id) {
  SOPORTE_TRY(s, db_.Prepare("SELECT "
                             "COALESCE(SUM(delivered_at IS NULL AND failed_at IS NULL), 0), "
                             "COALESCE(SUM(delivered_at IS NOT NULL), 0), "
                             "COALESCE(SUM(failed_at IS NOT NULL), 0) "
                             "FROM webhook_deliveries WHERE webhook_id = ?"));
  s.Bind(1, webhook_id);
  return One<app::WebhookDeliveryCounts>(
      s,
      [](const Stmt& r) {
        return app::WebhookDeliveryCounts{r.Int(0), r.Int(1), r.Int(2)};
      },
      std::string("webhook deliveries"));
}

Result<app::WebhookDeliveryRecord> SqliteWebhookRepository::GetWebhookDelivery(std::int64_t id) {
  SOPORTE_TRY(
      s, db_.Prepare(Sql({"SELECT ", kDeliveryCols, " FROM webhook_deliveries WHERE id = ?"})));
  s.Bind(1, id);
  return One<app::WebhookDeliveryRecord>(s, ReadDelivery, WebhookDeliveryNotFound(id));
}

Result<app::WebhookRecord> SqliteWebhookRepository::InsertWebhook(app::WebhookRecord r) {
  SOPORTE_TRY_STATUS(ValidateWebhook(r));
  if (r.created_by.valid()) {
    SOPORTE_TRY_STATUS(CheckExists(db_, "users", r.created_by.value(), "user"));
  }
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO webhooks(url, events, secret_key_id, secret_nonce, "
                             "secret_ciphertext, created_by, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, r.url)
      .Bind(2, JoinWebhookEvents(r.events))
      .Bind(3, r.secret.key_id)
      .Bind(4, r.secret.nonce)
      .Bind(5, r.secret.ciphertext)
      .BindOpt(6, OptId(r.created_by.value()))
      .Bind(7, Secs(r.created_at));
  SOPORTE_TRY_STATUS(s.Run());
  r.id = db_.LastInsertId();
  return r;
}

Status SqliteWebhookRepository::UpdateWebhookSecret(std::int64_t id,
                                                    const app::SealedValue& secret) {
  if (secret.key_id.empty() || secret.nonce.empty() || secret.ciphertext.empty())
    return Fail(ErrorCode::kInvalidArgument, "a webhook's secret must be sealed");
  SOPORTE_TRY(s, db_.Prepare("UPDATE webhooks SET secret_key_id = ?, secret_nonce = ?, "
                             "secret_ciphertext = ? WHERE id = ?"));
  s.Bind(1, secret.key_id).Bind(2, secret.nonce).Bind(3, secret.ciphertext).Bind(4, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(WebhookNotFound(id));
  return Ok();
}

Status SqliteWebhookRepository::DeleteWebhook(std::int64_t id) {
  {
    // Explicit, not only ON DELETE CASCADE: the same on a store without foreign keys.
    SOPORTE_TRY(s, db_.Prepare("DELETE FROM webhook_deliveries WHERE webhook_id = ?"));
    s.Bind(1, id);
    SOPORTE_TRY_STATUS(s.Run());
  }
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM webhooks WHERE id = ?"));
  s.Bind(1, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(WebhookNotFound(id));
  return Ok();
}

Result<app::WebhookDeliveryRecord> SqliteWebhookRepository::InsertWebhookDelivery(
    app::WebhookDeliveryRecord r) {
  SOPORTE_TRY_STATUS(ValidateWebhookDelivery(r));
  SOPORTE_TRY_STATUS(CheckExists(db_, "webhooks", r.webhook_id, "webhook"));
  SOPORTE_TRY(
      s, db_.Prepare("INSERT INTO webhook_deliveries(webhook_id, delivery_id, event, payload, "
                     "ticket_id, created_at, attempts, next_attempt_at, claimed_by, lease_until, "
                     "last_status, last_error, last_attempt_at, delivered_at, failed_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, r.webhook_id)
      .Bind(2, r.delivery_id)
      .Bind(3, r.event)
      .Bind(4, r.payload)
      .BindOpt(5, OptId(r.ticket_id.value()))
      .Bind(6, Secs(r.created_at))
      .Bind(7, std::int64_t{r.attempts})
      .Bind(8, Secs(r.next_attempt_at))
      .Bind(9, r.claimed_by)
      .BindOpt(10, OptSecs(r.lease_until))
      .Bind(11, std::int64_t{r.last_status})
      .Bind(12, r.last_error)
      .BindOpt(13, OptSecs(r.last_attempt_at))
      .BindOpt(14, OptSecs(r.delivered_at))
      .BindOpt(15, OptSecs(r.failed_at));
  SOPORTE_TRY_STATUS(s.Run());
  r.id = db_.LastInsertId();
  return r;
}

Result<std::vector<app::WebhookDeliveryRecord>> SqliteWebhookRepository::ClaimWebhookDeliveries(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  std::vector<app::WebhookDeliveryRecord> out;
  {
    // Walks webhook_deliveries_due from its start: only rows still to send are in that index.
    // PostgreSQL: the same query with FOR UPDATE SKIP LOCKED.
    SOPORTE_TRY(s, db_.Prepare(Sql({"SELECT ", kDeliveryCols,
                                    " FROM webhook_deliveries "
                                    "WHERE delivered_at IS NULL AND failed_at IS NULL "
                                    "AND next_attempt_at <= ? "
                                    "AND (lease_until IS NULL OR lease_until < ?) "
                                    "ORDER BY next_attempt_at, id LIMIT ?"})));
    s.Bind(1, Secs(now)).Bind(2, Secs(now)).Bind(3, std::int64_t{limit});
    SOPORTE_TRY(due, Collect<app::WebhookDeliveryRecord>(s, ReadDelivery));
    out = std::move(due);
  }
  for (auto& r : out) {
    SOPORTE_TRY(u, db_.Prepare("UPDATE webhook_deliveries SET claimed_by = ?, lease_until = ? "
                               "WHERE id = ?"));
    u.Bind(1, node).Bind(2, Secs(lease_until)).Bind(3, r.id);
    SOPORTE_TRY_STATUS(u.Run());
    r.claimed_by = node;
    r.lease_until = lease_until;
  }
  return out;
}

Status SqliteWebhookRepository::FinishWebhookDelivery(const app::WebhookDeliveryRecord& r,
                                                      const std::string& node) {
  SOPORTE_TRY(s, db_.Prepare("UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, "
                             "last_status = ?, last_error = ?, last_attempt_at = ?, "
                             "delivered_at = ?, failed_at = ?, claimed_by = '', "
                             "lease_until = NULL WHERE id = ? AND claimed_by = ?"));
  s.Bind(1, std::int64_t{r.attempts})
      .Bind(2, Secs(r.next_attempt_at))
      .Bind(3, std::int64_t{r.last_status})
      .Bind(4, r.last_error)
      .BindOpt(5, OptSecs(r.last_attempt_at))
      .BindOpt(6, OptSecs(r.delivered_at))
      .BindOpt(7, OptSecs(r.failed_at))
      .Bind(8, r.id)
      .Bind(9, node);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() > 0) return Ok();
  SOPORTE_TRY(still, GetWebhookDelivery(r.id));
  (void)still;
  return Fail(ErrorCode::kAborted, "webhook delivery " + std::to_string(r.id) +
                                       " is no longer held by " + node + " (its lease ran out)");
}

Status SqliteWebhookRepository::RequeueWebhookDelivery(std::int64_t id, Instant now) {
  SOPORTE_TRY(s, db_.Prepare("UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = 0, "
                             "failed_at = NULL, claimed_by = '', lease_until = NULL "
                             "WHERE id = ?"));
  s.Bind(1, Secs(now)).Bind(2, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 0) return tl::make_unexpected(WebhookDeliveryNotFound(id));
  return Ok();
}

}  // namespace soporte::storage::sqlite_internal
