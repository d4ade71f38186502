// Webhooks (issue 12, part 5): an admin subscribes a URL to event types; every matching event
// becomes one delivery (an HTTP POST, signed). This file holds the values and their rules as pure
// functions: the event names, which URLs a subscription may name, and the retry schedule. No
// store, no clock, no network, no JSON (app/webhooks orchestrates; transport sends).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::domain::webhook {

enum class WebhookEvent {
  kTicketCreated,
  kTicketUpdated,
  kTicketMessage,
  kSlaWarning,
  kSlaBreached,
  kPageSent,
  kPageAcknowledged,
  kPageEscalated,
};

// Every event, in the documented order.
const std::vector<WebhookEvent>& AllWebhookEvents();
// "ticket.created", "ticket.updated", "ticket.message", "sla.warning", "sla.breached",
// "page.sent", "page.acknowledged", "page.escalated": the wire and stored names.
std::string_view WebhookEventName(WebhookEvent e);
std::optional<WebhookEvent> ParseWebhookEvent(std::string_view name);
// The names joined by ", " (for error messages).
std::string WebhookEventList();

// What an admin asks for. `secret` is the plaintext (sealed before it is stored).
struct WebhookInput {
  std::string url;
  std::vector<std::string> events;
  std::string secret;
};

// Limits of a subscription.
inline constexpr std::size_t kMaxWebhookUrl = 2000;
inline constexpr std::size_t kMinWebhookSecret = 16;
inline constexpr std::size_t kMaxWebhookSecret = 256;

// The parts of a URL a subscription needs: scheme (lower case), host (lower case, IPv6 without
// brackets), port (0 when not written).
struct WebhookUrl {
  std::string scheme;
  std::string host;
  int port = 0;
};

// Parses an absolute http(s) URL. kInvalidArgument naming "url" for anything else: another
// scheme (file:, ftp:, gopher:…), no host, user info ("user:pass@", which would go to the
// receiver in clear text and hides the real host from readers), a space or a control
// character, a bad port, longer than kMaxWebhookUrl.
Result<WebhookUrl> ParseWebhookUrl(std::string_view url);

// True for a host that names this machine or a private network when written literally:
// "localhost" (and *.localhost), 127.0.0.0/8, 0.0.0.0/8, 10/8, 172.16/12, 192.168/16,
// 169.254/16 (link-local, cloud metadata), 100.64/10, ::, ::1, fc00::/7, fe80::/10 and
// IPv4-mapped forms of those. A name that resolves to such an address is caught at delivery
// (transport checks every address it connects to), not here.
bool IsPrivateHost(std::string_view host);
// Same check on an address in numeric form (IPv4 dotted or IPv6); false for a name.
bool IsPrivateAddress(std::string_view address);

// Checks a subscription and returns it normalised (URL trimmed, events deduplicated in the
// documented order). kInvalidArgument naming the field: "url" (see ParseWebhookUrl; a private
// or loopback host unless `allow_private`), "events" (empty, or an unknown name, quoted),
// "secret" (missing, shorter than kMinWebhookSecret or longer than kMaxWebhookSecret bytes).
Result<WebhookInput> CheckWebhook(WebhookInput in, bool allow_private);

// The retry schedule of a delivery: after `attempts` failed attempts (>= 1) the next one waits
// first * 2^(attempts-1), at most `max`; after `max_attempts` failures the delivery is failed.
struct RetryPolicy {
  int max_attempts = 8;
  Seconds first{30};
  Seconds max{3600};
};
Seconds RetryDelay(const RetryPolicy& p, int attempts);
// True when a delivery that failed `attempts` times is given up.
bool GivesUp(const RetryPolicy& p, int attempts);
// True for an HTTP answer that counts as delivered: 2xx.
bool Delivered(int http_status);

}  // namespace soporte::domain::webhook
