// The live chat's JSON (issue 13): the body of POST /api/v1/chats, the chat as the API returns
// it, and the WebSocket frames both ways ({"type": ...}). Part of the API's codecs: the only
// place chat values become JSON and back. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "app/chat/chat_service.hpp"
#include "domain/chat/chat.hpp"

namespace soporte::transport::api::codec {

// POST /api/v1/chats: {"name", "email", "lang"} (a signed-in customer may send {}).
struct ChatOpenInput {
  std::string name, email, lang = "es";
};
Result<ChatOpenInput> ParseChatOpen(std::string_view body);

// A frame from a client:
//  {"type":"hello","chat":7,"token":"…","after":12}  first frame: which chat, from which seq on
//  {"type":"message","text":"…","client_id":"…","files":[3]}  a message (client_id: resend
//                                                      detection; files: uploaded ids, optional)
//  {"type":"typing"}                                   the sender is typing (not stored)
//  {"type":"read","seq":14}                            read up to seq (stored)
struct ChatFrameIn {
  enum class Kind { kHello, kMessage, kTyping, kRead } kind = Kind::kHello;
  std::int64_t chat_id = 0;
  std::string token;
  std::int64_t after = 0;
  std::string text;
  std::string client_id;
  std::vector<std::int64_t> files;
  std::int64_t seq = 0;
};
// kInvalidArgument naming the field for anything else (unknown type, missing or wrong fields).
Result<ChatFrameIn> ParseChatFrame(std::string_view text);

// POST /api/v1/chats/leave: {"name", "email", "text", "client_id", "lang"} (a signed-in
// customer may omit name and email). kInvalidArgument naming the field.
Result<app::LeftChatMessage> ParseLeftMessage(std::string_view body);
// The answer to it: {"chat": ChatJson, "ticket": number or null}.
std::string MessageLeftJson(const app::ChatMessageLeft& left);
// GET /api/v1/chats/config: {"staffed", "greeting", "color", "phone", "customer": {name, email}
// or null}; greeting, colour and phone "" when none.
std::string ChatConfigJson(const app::ChatWidgetConfig& c);

// The chat as the API shows it ("id", "state", "visitor": {name, email}, "org_id",
// "taken_by", "created_at", "first_message_at", "last_seq", "read": {visitor, agent},
// "ticket_id"); ids absent are null.
boost::json::value ChatJson(const domain::chat::Chat& c);
// The answer to POST /api/v1/chats: {"chat": ChatJson, "token": "…"} (token "" when none).
std::string ChatOpenedJson(const domain::chat::Chat& c, const std::string& token);

// GET /api/v1/chats/{id}/customer: {"matched_by": "account"|"email"|null,
// "user": {"id","name","email"}|null, "org": {"slug","name"}|null}.
std::string ChatCustomerJson(const app::ChatCustomer& c);

// A chat's file: {"id", "name", "type", "size", "sent"}.
boost::json::value ChatFileJson(const domain::chat::ChatFile& f);
// The answer to POST /api/v1/chats/{id}/files: {"files": [ChatFileJson…]}.
std::string ChatFileListJson(const std::vector<domain::chat::ChatFile>& files);

// Frames to clients.
//  {"type":"message","seq","author","text","client_id","files":[ChatFileJson…],"at"}
std::string MessageFrame(const domain::chat::ChatMessage& m);
//  {"type":"state","chat": ChatJson}
std::string StateFrame(const domain::chat::Chat& c);
//  {"type":"typing","author":"visitor"|"agent"}
std::string TypingFrame(domain::chat::ChatAuthor who);
//  {"type":"ack","client_id","seq"}: the message with that client id is stored as seq
std::string AckFrame(const std::string& client_id, std::int64_t seq);
//  {"type":"error","code":"…","field":"…","message":"…"}: codes the widget translates
//  (invalid, closed, rate_limited, not_found, unauthenticated, internal)
std::string ErrorFrame(std::string_view code, std::string_view field, std::string_view message);
//  {"type":"ready","chat": ChatJson}: after hello, before the missed messages
std::string ReadyFrame(const domain::chat::Chat& c);

}  // namespace soporte::transport::api::codec
