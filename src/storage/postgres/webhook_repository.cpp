#include "storage/postgres/webhook_repository.hpp"

#include <algorithm>
#include <string>
#include <tuple>

#include "storage/postgres/read_rows.hpp"
#include "storage/postgres/rows.hpp"
#include "storage/rows/webhooks.hpp"
#include "storage/validate_webhook.hpp"

namespace soporte::storage::pg_internal {
namespace {

// The row readers and column lists both stores share (storage/rows/webhooks.hpp).
using rows::kHookCols;
constexpr auto& kDeliveryCols = rows::kWebhookDeliveryCols;
constexpr auto ReadHook = rows::HookFrom<PgRow>;
constexpr auto ReadDelivery = rows::WebhookDeliveryFrom<PgRow>;

}  // namespace

Result<std::vector<app::WebhookRecord>> PgWebhookRepository::ListWebhooks() {
  return QueryAll<app::WebhookRecord>(
      conn_, Sql({"SELECT ", kHookCols, " FROM webhooks ORDER BY id"}), {}, ReadHook);
}

Result<app::WebhookRecord> PgWebhookRepository::GetWebhook(std::int64_t id) {
  return QueryOne<app::WebhookRecord>(conn_,
                                      Sql({"SELECT ", kHookCols, " FROM webhooks WHERE id = $1"}),
                                      PgParams().Add(id), ReadHook, WebhookNotFound(id));
}

Result<std::vector<app::WebhookDeliveryRecord>> PgWebhookRepository::ListWebhookDeliveries(
    std::int64_t webhook_id, int limit) {
  return QueryAll<app::WebhookDeliveryRecord>(
      conn_,
      Sql({"SELECT ", kDeliveryCols,
           " FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2"}),
      PgParams().Add(webhook_id).Add(limit), ReadDelivery);
}

Result<app::WebhookDeliveryCounts> PgWebhookRepository::CountWebhookDeliveries(
    std::int64_t webhook_id) {
  return QueryOne<app::WebhookDeliveryCounts>(
      conn_,
      "SELECT COUNT(*) FILTER (WHERE delivered_at IS NULL AND failed_at IS NULL), "
      "COUNT(*) FILTER (WHERE delivered_at IS NOT NULL), "
      "COUNT(*) FILTER (WHERE failed_at IS NOT NULL) "
      "FROM webhook_deliveries WHERE webhook_id = $1",
      PgParams().Add(webhook_id),
      [](const PgRow& r) {
        return app::WebhookDeliveryCounts{r.Int(0), r.Int(1), r.Int(2)};
      },
      NotFound("webhook deliveries"));
}

Result<app::WebhookDeliveryRecord> PgWebhookRepository::GetWebhookDelivery(std::int64_t id) {
  return QueryOne<app::WebhookDeliveryRecord>(
      conn_, Sql({"SELECT ", kDeliveryCols, " FROM webhook_deliveries WHERE id = $1"}),
      PgParams().Add(id), ReadDelivery, WebhookDeliveryNotFound(id));
}

Result<app::WebhookRecord> PgWebhookRepository::InsertWebhook(app::WebhookRecord r) {
  SOPORTE_TRY_STATUS(ValidateWebhook(r));
  if (r.created_by.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "users", r.created_by.value(), "user"));
  PgParams p;
  p.Add(r.url)
      .Add(JoinWebhookEvents(r.events))
      .Add(r.secret.key_id)
      .Add(r.secret.nonce)
      .Add(r.secret.ciphertext)
      .AddOpt(OptId(r.created_by.value()))
      .Add(Secs(r.created_at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO webhooks(url, events, secret_key_id, secret_nonce, "
                                "secret_ciphertext, created_by, created_at) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                p));
  r.id = rows.Int(0, 0);
  return r;
}

Status PgWebhookRepository::UpdateWebhookSecret(std::int64_t id, const app::SealedValue& secret) {
  if (secret.key_id.empty() || secret.nonce.empty() || secret.ciphertext.empty())
    return Fail(ErrorCode::kInvalidArgument, "a webhook's secret must be sealed");
  PgParams p;
  p.Add(secret.key_id).Add(secret.nonce).Add(secret.ciphertext).Add(id);
  SOPORTE_TRY(rows, conn_.Query("UPDATE webhooks SET secret_key_id = $1, secret_nonce = $2, "
                                "secret_ciphertext = $3 WHERE id = $4",
                                p));
  if (rows.affected() == 0) return tl::make_unexpected(WebhookNotFound(id));
  return Ok();
}

Status PgWebhookRepository::DeleteWebhook(std::int64_t id) {
  // Explicit, not only ON DELETE CASCADE: the same statements as SQLite's.
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM webhook_deliveries WHERE webhook_id = $1", PgParams().Add(id)));
  SOPORTE_TRY(rows, conn_.Query("DELETE FROM webhooks WHERE id = $1", PgParams().Add(id)));
  if (rows.affected() == 0) return tl::make_unexpected(WebhookNotFound(id));
  return Ok();
}

Result<app::WebhookDeliveryRecord> PgWebhookRepository::InsertWebhookDelivery(
    app::WebhookDeliveryRecord r) {
  SOPORTE_TRY_STATUS(ValidateWebhookDelivery(r));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "webhooks", r.webhook_id, "webhook"));
  if (r.ticket_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "tickets", r.ticket_id.value(), "ticket"));
  PgParams p;
  p.Add(r.webhook_id)
      .Add(r.delivery_id)
      .Add(r.event)
      .Add(r.payload)
      .AddOpt(OptId(r.ticket_id.value()))
      .Add(Secs(r.created_at))
      .Add(r.attempts)
      .Add(Secs(r.next_attempt_at))
      .Add(r.claimed_by)
      .AddOpt(OptSecs(r.lease_until))
      .Add(r.last_status)
      .Add(r.last_error)
      .AddOpt(OptSecs(r.last_attempt_at))
      .AddOpt(OptSecs(r.delivered_at))
      .AddOpt(OptSecs(r.failed_at));
  // A duplicate delivery_id must not abort the transaction: DO NOTHING, and no row back.
  SOPORTE_TRY(rows,
              conn_.Query("INSERT INTO webhook_deliveries(webhook_id, delivery_id, event, "
                          "payload, ticket_id, created_at, attempts, next_attempt_at, claimed_by, "
                          "lease_until, last_status, last_error, last_attempt_at, delivered_at, "
                          "failed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                          "$13, $14, $15) ON CONFLICT (delivery_id) DO NOTHING RETURNING id",
                          p));
  if (rows.empty())
    return Fail(ErrorCode::kAlreadyExists, "webhook delivery " + r.delivery_id + " already exists");
  r.id = rows.Int(0, 0);
  return r;
}

Result<std::vector<app::WebhookDeliveryRecord>> PgWebhookRepository::ClaimWebhookDeliveries(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  // One statement: the pick walks webhook_deliveries_due and locks what it takes, skipping rows
  // another node's claim holds locked right now; the UPDATE then leases them, the free-lease
  // condition repeated. MATERIALIZED runs the pick once: a subquery joined to the UPDATE could be
  // run again per row, each run locking more rows, past the limit. A row another
  // node claimed and committed since our snapshot is a serialisation failure (Write retries).
  PgParams p;
  p.Add(node).Add(Secs(lease_until)).Add(Secs(now)).Add(limit);
  SOPORTE_TRY(out, QueryAll<app::WebhookDeliveryRecord>(
                       conn_,
                       Sql({"WITH due AS MATERIALIZED (SELECT id AS due_id FROM "
                            "webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL "
                            "AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until "
                            "< $3) ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) "
                            "UPDATE webhook_deliveries SET claimed_by = $1, lease_until = $2 "
                            "FROM due WHERE id = due_id AND (lease_until IS NULL OR lease_until "
                            "< $3) RETURNING ",
                            kDeliveryCols}),
                       p, ReadDelivery));
  // RETURNING gives no order: oldest due first, as the port says.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
  });
  return out;
}

Status PgWebhookRepository::FinishWebhookDelivery(const app::WebhookDeliveryRecord& r,
                                                  const std::string& node) {
  PgParams p;
  p.Add(r.attempts)
      .Add(Secs(r.next_attempt_at))
      .Add(r.last_status)
      .Add(r.last_error)
      .AddOpt(OptSecs(r.last_attempt_at))
      .AddOpt(OptSecs(r.delivered_at))
      .AddOpt(OptSecs(r.failed_at))
      .Add(r.id)
      .Add(node);
  SOPORTE_TRY(rows, conn_.Query("UPDATE webhook_deliveries SET attempts = $1, "
                                "next_attempt_at = $2, last_status = $3, last_error = $4, "
                                "last_attempt_at = $5, delivered_at = $6, failed_at = $7, "
                                "claimed_by = '', lease_until = NULL "
                                "WHERE id = $8 AND claimed_by = $9",
                                p));
  if (rows.affected() > 0) return Ok();
  SOPORTE_TRY(still, GetWebhookDelivery(r.id));
  (void)still;
  return Fail(ErrorCode::kAborted, "webhook delivery " + std::to_string(r.id) +
                                       " is no longer held by " + node + " (its lease ran out)");
}

Status PgWebhookRepository::RequeueWebhookDelivery(std::int64_t id, Instant now) {
  SOPORTE_TRY(rows,
              conn_.Query("UPDATE webhook_deliveries SET next_attempt_at = $1, attempts = 0, "
                          "failed_at = NULL, claimed_by = '', lease_until = NULL WHERE id = $2",
                          PgParams().Add(Secs(now)).Add(id)));
  if (rows.affected() == 0) return tl::make_unexpected(WebhookDeliveryNotFound(id));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
