// The JSON of webhooks (docs/api.md, "Webhooks"): the subscription a client posts
// ({"url", "events": [...], "secret"}), a subscription as listed (never its secret), a delivery
// as listed, and the body of a delivery itself (JsonWebhookPayloadEncoder: the app renders each
// payload through it inside the change's transaction). Instants are ISO 8601 in UTC.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/ports/webhook_payload.hpp"
#include "app/webhooks/webhook_service.hpp"
#include "common/result.hpp"
#include "domain/webhook/webhook.hpp"

namespace soporte::transport::api::codec {

// {"url", "events", "secret"}: kInvalidArgument naming the field for a wrong type or an unknown
// field; the values themselves are checked by the use case (domain::webhook::CheckWebhook).
Result<domain::webhook::WebhookInput> ParseWebhookInput(std::string_view body);

boost::json::value WebhookJson(const app::WebhookView& v);
boost::json::value WebhookListJson(const std::vector<app::WebhookView>& list);
boost::json::value WebhookDeliveryJson(const app::WebhookDeliveryRecord& d);
boost::json::value WebhookDeliveryListJson(const std::vector<app::WebhookDeliveryRecord>& list);

// The delivery body: {"event", "delivery_id", "occurred_at", "ticket": {...}, "actor", and per
// event "changes" | "message" | "sla" | "page"}. Thread-safe.
class JsonWebhookPayloadEncoder final : public app::WebhookPayloadEncoder {
 public:
  std::string Encode(const app::WebhookPayload& p) const override;
};

}  // namespace soporte::transport::api::codec
