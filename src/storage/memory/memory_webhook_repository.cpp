#include "storage/memory/memory_webhook_repository.hpp"

#include <algorithm>
#include <string>

#include "storage/validate_webhook.hpp"

namespace soporte::storage::memory_internal {

namespace {

bool Pending(const app::WebhookDeliveryRecord& d) { return !d.delivered_at && !d.failed_at; }

}  // namespace

Result<std::vector<app::WebhookRecord>> MemoryWebhookRepository::ListWebhooks() {
  return Values(s_.webhooks);
}

Result<app::WebhookRecord> MemoryWebhookRepository::GetWebhook(std::int64_t id) {
  auto it = s_.webhooks.find(id);
  if (it == s_.webhooks.end()) return tl::make_unexpected(WebhookNotFound(id));
  return it->second;
}

Result<std::vector<app::WebhookDeliveryRecord>> MemoryWebhookRepository::ListWebhookDeliveries(
    std::int64_t webhook_id, int limit) {
  std::vector<app::WebhookDeliveryRecord> out;
  for (auto it = s_.webhook_deliveries.rbegin();
       it != s_.webhook_deliveries.rend() && static_cast<int>(out.size()) < limit; ++it) {
    if (it->second.webhook_id == webhook_id) out.push_back(it->second);
  }
  return out;
}

Result<app::WebhookDeliveryCounts> MemoryWebhookRepository::CountWebhookDeliveries(
    std::int64_t webhook_id) {
  app::WebhookDeliveryCounts c;
  for (const auto& [id, d] : s_.webhook_deliveries) {
    if (d.webhook_id != webhook_id) continue;
    if (d.delivered_at)
      ++c.delivered;
    else if (d.failed_at)
      ++c.failed;
    else
      ++c.pending;
  }
  return c;
}

Result<app::WebhookDeliveryRecord> MemoryWebhookRepository::GetWebhookDelivery(std::int64_t id) {
  auto it = s_.webhook_deliveries.find(id);
  if (it == s_.webhook_deliveries.end()) return tl::make_unexpected(WebhookDeliveryNotFound(id));
  return it->second;
}

Result<app::WebhookRecord> MemoryWebhookRepository::InsertWebhook(app::WebhookRecord r) {
  SOPORTE_TRY_STATUS(ValidateWebhook(r));
  if (r.created_by.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.users, r.created_by.value(), "user"));
  r.id = s_.next_webhook++;
  s_.webhooks[r.id] = r;
  return r;
}

Status MemoryWebhookRepository::UpdateWebhookSecret(std::int64_t id,
                                                    const app::SealedValue& secret) {
  if (secret.key_id.empty() || secret.nonce.empty() || secret.ciphertext.empty())
    return Fail(ErrorCode::kInvalidArgument, "a webhook's secret must be sealed");
  auto it = s_.webhooks.find(id);
  if (it == s_.webhooks.end()) return tl::make_unexpected(WebhookNotFound(id));
  it->second.secret = secret;
  return Ok();
}

Status MemoryWebhookRepository::DeleteWebhook(std::int64_t id) {
  if (!s_.webhooks.erase(id)) return tl::make_unexpected(WebhookNotFound(id));
  std::erase_if(s_.webhook_deliveries, [id](const auto& kv) { return kv.second.webhook_id == id; });
  return Ok();
}

Result<app::WebhookDeliveryRecord> MemoryWebhookRepository::InsertWebhookDelivery(
    app::WebhookDeliveryRecord r) {
  SOPORTE_TRY_STATUS(ValidateWebhookDelivery(r));
  SOPORTE_TRY_STATUS(CheckExists(s_.webhooks, r.webhook_id, "webhook"));
  if (r.ticket_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(s_.tickets, r.ticket_id.value(), "ticket"));
  for (const auto& [id, d] : s_.webhook_deliveries) {
    if (d.delivery_id == r.delivery_id)
      return Fail(ErrorCode::kAlreadyExists, "delivery id " + r.delivery_id + " already exists");
  }
  r.id = s_.next_webhook_delivery++;
  s_.webhook_deliveries[r.id] = r;
  return r;
}

Result<std::vector<app::WebhookDeliveryRecord>> MemoryWebhookRepository::ClaimWebhookDeliveries(
    Instant now, const std::string& node, Instant lease_until, int limit) {
  std::vector<app::WebhookDeliveryRecord*> due;
  for (auto& [id, d] : s_.webhook_deliveries) {
    if (Pending(d) && d.next_attempt_at <= now && (!d.lease_until || *d.lease_until < now))
      due.push_back(&d);
  }
  std::stable_sort(due.begin(), due.end(), [](const auto* a, const auto* b) {
    return a->next_attempt_at != b->next_attempt_at ? a->next_attempt_at < b->next_attempt_at
                                                    : a->id < b->id;
  });
  if (static_cast<int>(due.size()) > limit) due.resize(static_cast<std::size_t>(limit));
  std::vector<app::WebhookDeliveryRecord> out;
  for (auto* d : due) {
    d->claimed_by = node;
    d->lease_until = lease_until;
    out.push_back(*d);
  }
  return out;
}

Status MemoryWebhookRepository::FinishWebhookDelivery(const app::WebhookDeliveryRecord& r,
                                                      const std::string& node) {
  auto it = s_.webhook_deliveries.find(r.id);
  if (it == s_.webhook_deliveries.end()) return tl::make_unexpected(WebhookDeliveryNotFound(r.id));
  app::WebhookDeliveryRecord& d = it->second;
  if (d.claimed_by != node) {
    return Fail(ErrorCode::kAborted, "webhook delivery " + std::to_string(r.id) +
                                         " is no longer held by " + node + " (its lease ran out)");
  }
  d.attempts = r.attempts;
  d.next_attempt_at = r.next_attempt_at;
  d.last_status = r.last_status;
  d.last_error = r.last_error;
  d.last_attempt_at = r.last_attempt_at;
  d.delivered_at = r.delivered_at;
  d.failed_at = r.failed_at;
  d.claimed_by.clear();
  d.lease_until.reset();
  return Ok();
}

Status MemoryWebhookRepository::RequeueWebhookDelivery(std::int64_t id, Instant now) {
  auto it = s_.webhook_deliveries.find(id);
  if (it == s_.webhook_deliveries.end()) return tl::make_unexpected(WebhookDeliveryNotFound(id));
  app::WebhookDeliveryRecord& d = it->second;
  d.next_attempt_at = now;
  d.attempts = 0;
  d.failed_at.reset();
  d.claimed_by.clear();
  d.lease_until.reset();
  return Ok();
}

}  // namespace soporte::storage::memory_internal
