// The JSON of tickets (docs/api.md, "Tickets"): a ticket, its list page with the cursor, its
// messages, attachments and history, the live "ticket changed" event; and the request bodies that
// create or change a ticket, add a message or log a call. Times are shown in the contract's zone.
// Decoders refuse unknown fields and name the field in every error (kInvalidArgument).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "app/ports/event_bus.hpp"
#include "app/tickets/ticket_service.hpp"
#include "common/result.hpp"

namespace soporte::transport::api::codec {

namespace json = boost::json;

// ---- output ------------------------------------------------------------------------------
// `sp`: where the JSON's memory comes from. Encode passes an arena for the one response, so the
// forty-odd values of a ticket cost no malloc and free each (a fifth of a ticket read's time).
json::value TicketJson(const app::TicketView& v, json::storage_ptr sp = {});
// {"tickets": [...], "next_cursor": "…" | null} (GET /api/v1/tickets). A search page (?q=) gives
// each ticket a "snippet" (SnippetJson) and a rank cursor ("r<n>").
json::value TicketPageJson(const app::TicketListPage& page, json::storage_ptr sp = {});
// [{"text": "…", "hit": true|false}, …]: plain text pieces, the matched words marked by "hit"
// (a client renders them as text, highlighting the hits; never as HTML).
json::value SnippetJson(const std::vector<app::SnippetPart>& parts, json::storage_ptr sp = {});
json::value ArticleJson(const app::ArticleView& v);
// {"messages": [...]}.
json::value ArticleListJson(const std::vector<app::ArticleView>& list);
json::value AttachmentJson(const app::AttachmentView& v);
// {"attachments": [...]}.
json::value AttachmentListJson(const std::vector<app::AttachmentView>& list);
// {"events": [{at, actor, field, before, after}]}.
json::value HistoryJson(const app::HistoryView& v);
// The data line of a server-sent "ticket" event: {"number": n, "what": "…"}.
json::value TicketChangedJson(const app::TicketChanged& e);

// ---- input -------------------------------------------------------------------------------
struct NewArticle {
  std::string body;
  bool internal = false;
};

// POST /api/v1/tickets. A received_at without an offset is local time in the default zone.
Result<app::NewTicket> ParseNewTicket(std::string_view body);
// PATCH /api/v1/tickets/{number}: at least one of status, criticality, assignee, tags, contract.
Result<app::TicketPatch> ParseTicketPatch(std::string_view body);
// POST /api/v1/tickets/{number}/messages: {"body", "internal"}.
Result<NewArticle> ParseNewArticle(std::string_view body);
// POST /api/v1/tickets/{number}/calls: {"caller", "duration_minutes", "notes", "internal"}.
Result<app::PhoneCallLog> ParsePhoneCall(std::string_view body);

}  // namespace soporte::transport::api::codec
