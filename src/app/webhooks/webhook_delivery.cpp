#include "app/webhooks/webhook_delivery.hpp"

namespace soporte::app {

namespace wh = domain::webhook;

Result<WebhookRoundReport> WebhookDelivery::RunOnce() {
  const Instant now = clock_.Now();
  SOPORTE_TRY(claimed, WriteValue(store_, [&](WriteTx& tx) {
                return tx.webhooks().ClaimWebhookDeliveries(now, options_.node,
                                                            now + options_.lease, options_.batch);
              }));
  WebhookRoundReport report;
  for (WebhookDeliveryRecord& row : claimed) {
    // The subscription as it is now (its URL and secret); gone: its deliveries went with it.
    auto hook =
        ReadValue(store_, [&](ReadTx& tx) { return tx.webhooks().GetWebhook(row.webhook_id); });
    if (!hook) {
      if (hook.error().code == ErrorCode::kNotFound) continue;
      return tl::make_unexpected(hook.error());
    }
    Result<int> status = Fail(ErrorCode::kInternal, "not sent");
    auto secret = box_.Open(hook->secret, WebhookSecretContext(hook->id));
    if (!secret) {
      status = Fail(ErrorCode::kFailedPrecondition, "the secret cannot be opened with this key");
    } else {
      status = sender_.Post(
          WebhookRequest{hook->url, row.event, row.delivery_id, row.payload, std::move(*secret)});
    }
    const Instant after = clock_.Now();
    row.attempts += 1;
    row.last_attempt_at = after;
    if (status && wh::Delivered(*status)) {
      row.last_status = *status;
      row.last_error.clear();
      row.delivered_at = after;
      ++report.delivered;
    } else {
      row.last_status = status ? *status : 0;
      row.last_error =
          status ? "HTTP " + std::to_string(*status) : status.error().message.substr(0, 500);
      row.next_attempt_at = after + wh::RetryDelay(options_.retry, row.attempts);
      if (wh::GivesUp(options_.retry, row.attempts)) {
        row.failed_at = after;
        ++report.given_up;
      }
      ++report.failed;
    }
    Status done = store_.Write(
        [&](WriteTx& tx) { return tx.webhooks().FinishWebhookDelivery(row, options_.node); });
    if (!done) {
      const ErrorCode code = done.error().code;
      if (code == ErrorCode::kAborted || code == ErrorCode::kNotFound) {
        ++report.lost;
        continue;
      }
      return tl::make_unexpected(done.error());
    }
  }
  return report;
}

}  // namespace soporte::app
