// The body of a webhook delivery, as the app sees it: what happened, to which ticket, and the
// parts that event carries. The app fills a WebhookPayload inside the change's transaction and
// an encoder turns it into the JSON sent (transport/api/codec/webhook_codec: JSON is only
// written there). docs/api.md, "Webhooks", documents the shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "domain/ticket/ticket.hpp"

namespace soporte::app {

// A person named in a payload (requester, assignee, author): id, name and role ("customer",
// "agent", "supervisor", "admin"); id 0 and empty texts for the system.
struct WebhookPerson {
  std::int64_t id = 0;
  std::string name;
  std::string role;
};

struct WebhookPayload {
  std::string event;        // wire name, e.g. "ticket.message"
  std::string delivery_id;  // the same as the X-Soporte-Delivery header
  Instant occurred_at;
  domain::Ticket ticket;  // as stored after the change
  std::string org_slug;   // the ticket's organisation
  std::string org_name;
  WebhookPerson actor;  // who made the change (the system for jobs)
  // ticket.updated: the history entries of the change (field, before, after).
  std::vector<domain::TicketEvent> changes;
  // ticket.message: the article, marked internal when it is an internal note.
  std::optional<domain::Article> article;
  std::optional<WebhookPerson> author;
  // sla.*: the threshold ("warning" or "breach"), the due it measured and when it was reached.
  std::string sla_threshold;
  std::optional<Instant> sla_due, sla_reached;
  // page.*: the page's id, its level (0 primary, 1 secondary, 2 supervisors) and the engineer.
  std::int64_t page_id = 0;
  int page_level = 0;
  std::optional<WebhookPerson> engineer;
};

// Renders a payload as the delivery body. Thread-safe; never fails (every field has a JSON form).
class WebhookPayloadEncoder {
 public:
  virtual ~WebhookPayloadEncoder() = default;
  virtual std::string Encode(const WebhookPayload& p) const = 0;
};

}  // namespace soporte::app
