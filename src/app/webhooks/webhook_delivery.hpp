// WebhookDelivery: sends the webhook deliveries that are due. Rows are claimed with a lease
// (claimed_by = this node, lease_until) in one transaction, POSTed outside any transaction, and
// each outcome is written in another, only while this node still holds the row (a node that
// stalled past its lease loses the row to another, whose outcome wins). A failure (no answer, or
// a status other than 2xx) is retried with exponential backoff (domain::webhook::RetryPolicy);
// past the limit the row is failed, and an admin may retry it (WebhookService::Retry). The
// delivery id travels unchanged on every attempt, so receivers can drop a repeat (a crash
// between the POST and the outcome's commit means at-least-once, never silently lost).
// Thread-safe; blocks.
#pragma once

#include <string>

#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "app/ports/webhook_sender.hpp"
#include "common/clock.hpp"
#include "domain/webhook/webhook.hpp"

namespace soporte::app {

struct WebhookDeliveryOptions {
  std::string node = "node";  // this node's name in claimed_by (host:pid at wiring)
  int batch = 20;             // rows claimed per round
  // How long a claim keeps other nodes away: longer than a round can take (batch × the sender's
  // timeout), so a live node never loses a row it is sending.
  Seconds lease{600};
  domain::webhook::RetryPolicy retry;
};

struct WebhookRoundReport {
  int delivered = 0;
  int failed = 0;    // attempts that failed (retried later or given up)
  int given_up = 0;  // rows marked failed in this round
  int lost = 0;      // rows another node took over before this one finished
};

class WebhookDelivery {
 public:
  WebhookDelivery(Store& store, WebhookSender& sender, const SecretBox& box, const Clock& clock,
                  WebhookDeliveryOptions options = {})
      : store_(store), sender_(sender), box_(box), clock_(clock), options_(std::move(options)) {}

  // One round: claims up to options.batch due rows and tries each once. Errors only when the
  // store fails (the rows stay claimed until the lease ends, then are retried).
  Result<WebhookRoundReport> RunOnce();

 private:
  Store& store_;
  WebhookSender& sender_;
  const SecretBox& box_;
  const Clock& clock_;
  WebhookDeliveryOptions options_;
};

}  // namespace soporte::app
