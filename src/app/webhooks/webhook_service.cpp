#include "app/webhooks/webhook_service.hpp"

#include <algorithm>

#include "app/audit/audit_log.hpp"

namespace soporte::app {

namespace {

Result<WebhookView> ViewOf(ReadTx& tx, const WebhookRecord& r) {
  WebhookView v{r.id, r.url, r.events, r.created_by, r.created_at, {}, std::nullopt};
  SOPORTE_TRY(counts, tx.webhooks().CountWebhookDeliveries(r.id));
  v.counts = counts;
  SOPORTE_TRY(last, tx.webhooks().ListWebhookDeliveries(r.id, 1));
  if (!last.empty()) v.last_delivery = std::move(last.front());
  return v;
}

std::string Joined(const std::vector<std::string>& events) {
  std::string out;
  for (const auto& e : events) out += (out.empty() ? "" : ",") + e;
  return out;
}

}  // namespace

Status RequireWebhookAdmin(const Principal& who) {
  if (who.role != domain::Role::kAdmin)
    return Fail(ErrorCode::kPermissionDenied, "only administrators manage webhooks");
  return Ok();
}

Result<WebhookView> WebhookService::Subscribe(const Principal& who,
                                              domain::webhook::WebhookInput in) {
  SOPORTE_TRY_STATUS(RequireWebhookAdmin(who));
  SOPORTE_TRY(checked, domain::webhook::CheckWebhook(std::move(in), options_.allow_private));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<WebhookView> {
    WebhookRecord r;
    r.url = checked.url;
    r.events = checked.events;
    r.created_by = who.user_id;
    r.created_at = now;
    // The row's id binds the sealed secret to it: insert with a placeholder seal, then seal.
    SOPORTE_TRY(placeholder, box_.Seal(checked.secret, "webhook:new"));
    r.secret = placeholder;
    SOPORTE_TRY(stored, tx.webhooks().InsertWebhook(std::move(r)));
    SOPORTE_TRY(sealed, box_.Seal(checked.secret, WebhookSecretContext(stored.id)));
    SOPORTE_TRY_STATUS(tx.webhooks().UpdateWebhookSecret(stored.id, sealed));
    stored.secret = sealed;
    SOPORTE_TRY_STATUS(AppendAudit(tx, who, now, AuditSubject{"webhook", stored.id, stored.url},
                                   "created", "", Joined(stored.events)));
    return ViewOf(tx, stored);
  });
}

Result<std::vector<WebhookView>> WebhookService::List(const Principal& who) {
  SOPORTE_TRY_STATUS(RequireWebhookAdmin(who));
  return ReadValue(store_, [](ReadTx& tx) -> Result<std::vector<WebhookView>> {
    SOPORTE_TRY(rows, tx.webhooks().ListWebhooks());
    std::vector<WebhookView> out;
    for (const auto& r : rows) {
      SOPORTE_TRY(v, ViewOf(tx, r));
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<WebhookView> WebhookService::Get(const Principal& who, std::int64_t id) {
  SOPORTE_TRY_STATUS(RequireWebhookAdmin(who));
  return ReadValue(store_, [id](ReadTx& tx) -> Result<WebhookView> {
    SOPORTE_TRY(r, tx.webhooks().GetWebhook(id));
    return ViewOf(tx, r);
  });
}

Status WebhookService::Delete(const Principal& who, std::int64_t id) {
  SOPORTE_TRY_STATUS(RequireWebhookAdmin(who));
  const Instant now = clock_.Now();
  return store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY(r, tx.webhooks().GetWebhook(id));
    SOPORTE_TRY_STATUS(tx.webhooks().DeleteWebhook(id));
    return AppendAudit(tx, who, now, AuditSubject{"webhook", r.id, r.url}, "deleted",
                       Joined(r.events), "");
  });
}

Result<std::vector<WebhookDeliveryRecord>> WebhookService::Deliveries(const Principal& who,
                                                                      std::int64_t id, int limit) {
  SOPORTE_TRY_STATUS(RequireWebhookAdmin(who));
  if (limit < 1 || limit > 200)
    return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 200");
  return ReadValue(store_, [id, limit](ReadTx& tx) -> Result<std::vector<WebhookDeliveryRecord>> {
    SOPORTE_TRY(r, tx.webhooks().GetWebhook(id));
    (void)r;
    return tx.webhooks().ListWebhookDeliveries(id, limit);
  });
}

Result<WebhookDeliveryRecord> WebhookService::Retry(const Principal& who,
                                                    std::int64_t delivery_id) {
  SOPORTE_TRY_STATUS(RequireWebhookAdmin(who));
  const Instant now = clock_.Now();
  return WriteValue(store_, [&](WriteTx& tx) -> Result<WebhookDeliveryRecord> {
    SOPORTE_TRY(d, tx.webhooks().GetWebhookDelivery(delivery_id));
    if (!d.failed_at) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "webhook delivery " + std::to_string(delivery_id) +
                      (d.delivered_at ? " was delivered" : " is still being retried"));
    }
    SOPORTE_TRY_STATUS(tx.webhooks().RequeueWebhookDelivery(delivery_id, now));
    return tx.webhooks().GetWebhookDelivery(delivery_id);
  });
}

Result<std::size_t> WebhookService::CheckKey(Store& store, const SecretBox& box) {
  return ReadValue(store, [&](ReadTx& tx) -> Result<std::size_t> {
    SOPORTE_TRY(all, tx.webhooks().ListWebhooks());
    for (const auto& h : all) {
      auto opened = box.Open(h.secret, WebhookSecretContext(h.id));
      if (!opened) {
        return Fail(
            ErrorCode::kFailedPrecondition,
            "webhook " + std::to_string(h.id) + "'s secret is sealed under key " + h.secret.key_id +
                ", but the key file holds key " + box.KeyId() +
                " (or does not open it): restore the right secret.key, or finish a rotation "
                "with `soporte secrets rotate-key`");
      }
      std::fill(opened->begin(), opened->end(), '\0');
    }
    return all.size();
  });
}

Result<int> WebhookService::Reseal(Store& store, const SecretBox& from, const SecretBox& to) {
  return WriteValue(store, [&](WriteTx& tx) -> Result<int> {
    SOPORTE_TRY(all, tx.webhooks().ListWebhooks());
    int count = 0;
    for (const auto& h : all) {
      if (h.secret.key_id == to.KeyId()) continue;
      if (h.secret.key_id != from.KeyId()) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "webhook " + std::to_string(h.id) + "'s secret is sealed under key " +
                        h.secret.key_id + ", neither the current key nor the new one");
      }
      const std::string context = WebhookSecretContext(h.id);
      SOPORTE_TRY(value, from.Open(h.secret, context));
      SOPORTE_TRY(sealed, to.Seal(value, context));
      std::fill(value.begin(), value.end(), '\0');
      SOPORTE_TRY_STATUS(tx.webhooks().UpdateWebhookSecret(h.id, sealed));
      ++count;
    }
    return count;
  });
}

}  // namespace soporte::app
