#include "storage/validate_webhook.hpp"

namespace soporte::storage {

Status ValidateWebhook(const app::WebhookRecord& r) {
  if (r.url.empty()) return Fail(ErrorCode::kInvalidArgument, "a webhook needs a url");
  if (r.events.empty()) return Fail(ErrorCode::kInvalidArgument, "a webhook needs an event");
  for (const auto& e : r.events) {
    if (e.empty() || e.find(',') != std::string::npos)
      return Fail(ErrorCode::kInvalidArgument, "a webhook event name is empty or has a comma");
  }
  if (r.secret.key_id.empty() || r.secret.nonce.empty() || r.secret.ciphertext.empty())
    return Fail(ErrorCode::kInvalidArgument, "a webhook's secret must be sealed");
  return Ok();
}

Status ValidateWebhookDelivery(const app::WebhookDeliveryRecord& r) {
  if (r.webhook_id <= 0) return Fail(ErrorCode::kInvalidArgument, "a delivery needs its webhook");
  if (r.delivery_id.empty()) return Fail(ErrorCode::kInvalidArgument, "a delivery needs an id");
  if (r.event.empty()) return Fail(ErrorCode::kInvalidArgument, "a delivery needs an event");
  if (r.attempts < 0) return Fail(ErrorCode::kInvalidArgument, "attempts cannot be negative");
  return Ok();
}

std::string JoinWebhookEvents(const std::vector<std::string>& events) {
  std::string out;
  for (const auto& e : events) {
    if (!out.empty()) out += ',';
    out += e;
  }
  return out;
}

std::vector<std::string> SplitWebhookEvents(std::string_view joined) {
  std::vector<std::string> out;
  while (!joined.empty()) {
    const auto comma = joined.find(',');
    out.emplace_back(joined.substr(0, comma));
    if (comma == std::string_view::npos) break;
    joined.remove_prefix(comma + 1);
  }
  return out;
}

Error WebhookNotFound(std::int64_t id) {
  return Error{ErrorCode::kNotFound, "webhook " + std::to_string(id) + " not found"};
}

Error WebhookDeliveryNotFound(std::int64_t id) {
  return Error{ErrorCode::kNotFound, "webhook delivery " + std::to_string(id) + " not found"};
}

}  // namespace soporte::storage
