// The JSON of the email desk (docs/api.md, "Inbound mail" and "Outgoing mail"): kept inbound
// messages and what staff decide on them, and outgoing mail that could not be delivered. Times
// are UTC. Decoders refuse unknown fields and name the field in every error (kInvalidArgument).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/mail/inbound_desk.hpp"
#include "app/mail/outbox.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// `with_text`: the detail shape (text and files); lists leave them out.
json::value InboundJson(const app::InboundView& v, bool with_text);
// {"messages": [...]} in the list shape.
json::value InboundListJson(const std::vector<app::InboundView>& list);
json::value OutboxJson(const app::OutboxView& v);
// {"mail": [...]}.
json::value OutboxListJson(const std::vector<app::OutboxView>& list);
// {"pending","failed","delivering"}: the outgoing queue and whether this server delivers it.
json::value OutboxStateJson(const app::OutboxState& s);

// What staff decide on a kept message: {"action":"assign"|"attach"|"spam"|"discard", …}.
struct InboundAction {
  std::string action;
  app::AssignInbound assign;
  std::int64_t ticket = 0;  // attach
  std::string reason;       // spam, discard
};
Result<InboundAction> ParseInboundAction(std::string_view body);

}  // namespace soporte::transport::api::codec
