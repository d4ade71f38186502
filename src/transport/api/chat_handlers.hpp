// The live chat's routes (issue 13): POST /api/v1/chats (a visitor or portal customer opens a
// chat; CORS for the allowed sites), the agents' REST moves (list, take, hand, close, ticket,
// add to ticket, messages after a seq) and GET /chat/ws, the WebSocket both sides talk over
// (origin checked on the upgrade; auth by the chat token in the first frame, or the session
// cookie from the desk's own origin).
#pragma once

#include <string>
#include <vector>

#include "app/chat/chat_service.hpp"
#include "transport/api/api_context.hpp"
#include "transport/chat/chat_hub.hpp"

namespace soporte::transport::api {

struct ChatRouteOptions {
  // Sites allowed to open chats and connect (`serve --chat-origins`), as origins
  // ("https://www.vendor.test"); the desk's own origin is always allowed.
  std::vector<std::string> origins;
};

// Registers the chat routes. `chats`, `hub` and `ctx` must outlive the router.
void RegisterChatRoutes(http::Router& router, ApiContext& ctx, app::ChatService& chats,
                        chat::ChatHub& hub, ChatRouteOptions options);

// True when `origin` is the desk's own (same scheme-less host as `host`) or listed in `allowed`
// (exact, case-insensitive). An empty origin is refused.
bool ChatOriginAllowed(std::string_view origin, std::string_view host,
                       const std::vector<std::string>& allowed);

}  // namespace soporte::transport::api
