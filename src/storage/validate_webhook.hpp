// The checks both stores run before writing a webhook or a delivery (validate.hpp's rule: bad
// rows are refused the same way by every store). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/ports/webhook_repository.hpp"
#include "common/result.hpp"

namespace soporte::storage {

// kInvalidArgument: no URL, no event, an event name with a comma (names are stored joined by
// commas) or a secret not sealed (a field empty).
Status ValidateWebhook(const app::WebhookRecord& r);
// kInvalidArgument: no delivery id, event or webhook, or attempts below 0.
Status ValidateWebhookDelivery(const app::WebhookDeliveryRecord& r);

// Joins and splits the stored event list (",").
std::string JoinWebhookEvents(const std::vector<std::string>& events);
std::vector<std::string> SplitWebhookEvents(std::string_view joined);

// kNotFound texts, the same in every store.
Error WebhookNotFound(std::int64_t id);
Error WebhookDeliveryNotFound(std::int64_t id);

}  // namespace soporte::storage
