// The webhook sender over libcurl (app::WebhookSender): one HTTP POST of the delivery's JSON with
// X-Soporte-Event, X-Soporte-Delivery and X-Soporte-Signature ("sha256=" + the hex HMAC-SHA256 of
// the exact body under the subscription's secret, libsodium crypto_auth_hmacsha256). Never
// follows a redirect (a 3xx is an answer, not delivered), speaks only http and https, ignores
// proxy variables, and has a connect and a total timeout. Unless `allow_private`, every address
// it is about to connect to is checked (after DNS: a public name that resolves to 127.0.0.1 or
// 169.254.169.254 is refused too). Thread-safe: each Post uses its own curl handle.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "app/ports/webhook_sender.hpp"

namespace soporte::transport::webhook {

struct WebhookSenderOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{10000};
  bool allow_private = false;  // serve --webhook-allow-private
};

// "sha256=<64 lower-case hex digits>": HMAC-SHA256 of `body` under `secret`.
std::string WebhookSignature(std::string_view secret, std::string_view body);

class CurlWebhookSender final : public app::WebhookSender {
 public:
  explicit CurlWebhookSender(WebhookSenderOptions options = {}) : options_(options) {}
  Result<int> Post(const app::WebhookRequest& request) const override;

 private:
  WebhookSenderOptions options_;
};

}  // namespace soporte::transport::webhook
