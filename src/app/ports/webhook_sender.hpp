// Sends one webhook delivery: an HTTP POST of the body to the subscription's URL with the
// X-Soporte-Event, X-Soporte-Delivery and X-Soporte-Signature headers (HMAC-SHA256 of the body
// under the secret). Implemented with libcurl in transport/webhook; fakes in tests. Blocks (the
// delivery job calls it on its own pool, outside any transaction). Thread-safe.
#pragma once

#include <string>

#include "common/result.hpp"

namespace soporte::app {

struct WebhookRequest {
  std::string url;
  std::string event;
  std::string delivery_id;
  std::string body;
  std::string secret;  // plaintext, opened just before sending; never logged
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // The receiver's HTTP status (any status: the caller decides what counts as delivered).
  // kUnavailable when no answer came (refused, timed out, TLS failure, a refused private
  // address), with a short reason.
  virtual Result<int> Post(const WebhookRequest& request) const = 0;
};

}  // namespace soporte::app
