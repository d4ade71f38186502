#include "transport/api/codec/chat_codec.hpp"

#include "domain/calendar/zones.hpp"
#include "transport/api/codec/common_codec.hpp"
#include "transport/api/codec/field_reader.hpp"

namespace soporte::transport::api::codec {

namespace chat = domain::chat;

namespace {

json::value At(Instant t) { return TimeJson(t, domain::calendar::Utc()); }
json::value OptAt(const std::optional<Instant>& t) { return t ? At(*t) : json::value(nullptr); }
json::value IdOrNull(std::int64_t id) { return id > 0 ? json::value(id) : json::value(nullptr); }

}  // namespace

namespace {

// The optional field "lang": "es" or "en" (`fallback` when absent or null); kInvalidArgument
// naming it otherwise. Checked on the JSON value itself: GCC 12 -O2 flags comparing a string
// just moved out of a Result as maybe-uninitialized (a false positive).
Result<std::string> LangOf(FieldReader& r, std::string fallback) {
  const json::value* v = r.Raw("lang");
  if (v == nullptr || v->is_null()) return fallback;
  if (v->is_string() && (v->as_string() == "es" || v->as_string() == "en"))
    return std::string(v->as_string());
  return Fail(ErrorCode::kInvalidArgument, "lang: must be \"es\" or \"en\"");
}

}  // namespace

Result<ChatOpenInput> ParseChatOpen(std::string_view body) {
  ChatOpenInput in;
  if (body.empty()) return in;
  SOPORTE_TRY(r, FieldReader::Parse(body));
  SOPORTE_TRY(name, r.String("name"));
  if (name) in.name = std::move(*name);
  SOPORTE_TRY(email, r.String("email"));
  if (email) in.email = std::move(*email);
  SOPORTE_TRY(lang, LangOf(r, in.lang));
  in.lang = std::move(lang);
  SOPORTE_TRY_STATUS(r.Finish());
  return in;
}

Result<app::LeftChatMessage> ParseLeftMessage(std::string_view body) {
  SOPORTE_TRY(r, FieldReader::Parse(body));
  app::LeftChatMessage in;
  SOPORTE_TRY(name, r.String("name"));
  if (name) in.name = std::move(*name);
  SOPORTE_TRY(email, r.String("email"));
  if (email) in.email = std::move(*email);
  SOPORTE_TRY(text, r.Required("text"));
  in.text = std::move(text);
  SOPORTE_TRY(client_id, r.Required("client_id"));
  in.client_id = std::move(client_id);
  SOPORTE_TRY(lang, LangOf(r, "es"));
  in.lang = std::move(lang);
  SOPORTE_TRY_STATUS(r.Finish());
  return in;
}

std::string MessageLeftJson(const app::ChatMessageLeft& left) {
  return Serialize(json::object{
      {"chat", ChatJson(left.chat)},
      {"ticket", left.ticket_number > 0 ? json::value(left.ticket_number) : json::value(nullptr)}});
}

std::string ChatConfigJson(const app::ChatWidgetConfig& c) {
  json::value customer = nullptr;
  if (!c.email.empty()) customer = json::object{{"name", c.name}, {"email", c.email}};
  return Serialize(json::object{{"staffed", c.staffed},
                                {"greeting", c.greeting},
                                {"color", c.color},
                                {"phone", c.phone},
                                {"customer", customer}});
}

Result<ChatFrameIn> ParseChatFrame(std::string_view text) {
  SOPORTE_TRY(r, FieldReader::Parse(text));
  SOPORTE_TRY(type, r.String("type", true));
  ChatFrameIn f;
  if (*type == "hello") {
    f.kind = ChatFrameIn::Kind::kHello;
    SOPORTE_TRY(id, r.Int("chat"));
    f.chat_id = id.value_or(0);
    SOPORTE_TRY(token, r.String("token"));
    if (token) f.token = std::move(*token);
    SOPORTE_TRY(after, r.Int("after"));
    f.after = after.value_or(0);
    if (f.after < 0) return Fail(ErrorCode::kInvalidArgument, "after: must be 0 or more");
  } else if (*type == "message") {
    f.kind = ChatFrameIn::Kind::kMessage;
    SOPORTE_TRY(body, r.Required("text"));
    f.text = std::move(body);
    SOPORTE_TRY(client_id, r.String("client_id"));
    if (client_id) f.client_id = std::move(*client_id);
    SOPORTE_TRY(files, r.IdList("files", chat::kMaxChatAttachments));
    if (files) f.files = std::move(*files);
  } else if (*type == "typing") {
    f.kind = ChatFrameIn::Kind::kTyping;
  } else if (*type == "read") {
    f.kind = ChatFrameIn::Kind::kRead;
    SOPORTE_TRY(seq, r.Int("seq", true));
    f.seq = *seq;
  } else {
    return Fail(ErrorCode::kInvalidArgument, "type: one of hello, message, typing, read");
  }
  SOPORTE_TRY_STATUS(r.Finish());
  return f;
}

json::value ChatJson(const chat::Chat& c) {
  return json::object{
      {"id", c.id},
      {"state", chat::ChatStateName(c.state)},
      {"visitor", json::object{{"name", c.visitor_name}, {"email", c.visitor_email}}},
      {"user_id", IdOrNull(c.user_id.value())},
      {"org_id", IdOrNull(c.org_id.value())},
      {"origin", c.origin},
      {"lang", c.lang},
      {"taken_by", IdOrNull(c.taken_by.value())},
      {"created_at", At(c.created_at)},
      {"first_message_at", OptAt(c.first_message_at)},
      {"closed_at", OptAt(c.closed_at)},
      {"last_seq", c.last_seq},
      {"read", json::object{{"visitor", c.visitor_read}, {"agent", c.agent_read}}},
      {"ticket_id", IdOrNull(c.ticket_id.value())}};
}

std::string ChatOpenedJson(const chat::Chat& c, const std::string& token) {
  return Serialize(json::object{{"chat", ChatJson(c)}, {"token", token}});
}

std::string ChatCustomerJson(const app::ChatCustomer& c) {
  json::value user = nullptr, org = nullptr;
  if (c.user)
    user =
        json::object{{"id", c.user->id.value()}, {"name", c.user->name}, {"email", c.user->email}};
  if (c.org) org = json::object{{"slug", c.org->slug}, {"name", c.org->name}};
  return Serialize(json::object{
      {"matched_by", c.matched_by.empty() ? json::value(nullptr) : json::value(c.matched_by)},
      {"user", std::move(user)},
      {"org", std::move(org)}});
}

json::value ChatFileJson(const chat::ChatFile& f) {
  return json::object{{"id", f.id},
                      {"name", f.filename},
                      {"type", f.content_type},
                      {"size", f.size},
                      {"sent", f.seq > 0}};
}

std::string ChatFileListJson(const std::vector<chat::ChatFile>& files) {
  json::array out;
  for (const auto& f : files) out.push_back(ChatFileJson(f));
  return Serialize(json::object{{"files", std::move(out)}});
}

std::string MessageFrame(const chat::ChatMessage& m) {
  json::array files;
  for (const auto& f : m.files) files.push_back(ChatFileJson(f));
  return Serialize(json::object{{"type", "message"},
                                {"seq", m.seq},
                                {"author", chat::ChatAuthorName(m.author)},
                                {"text", m.text},
                                {"client_id", m.client_id},
                                {"files", std::move(files)},
                                {"at", At(m.created_at)}});
}

std::string StateFrame(const chat::Chat& c) {
  return Serialize(json::object{{"type", "state"}, {"chat", ChatJson(c)}});
}

std::string TypingFrame(chat::ChatAuthor who) {
  return Serialize(json::object{{"type", "typing"}, {"author", chat::ChatAuthorName(who)}});
}

std::string AckFrame(const std::string& client_id, std::int64_t seq) {
  return Serialize(json::object{{"type", "ack"}, {"client_id", client_id}, {"seq", seq}});
}

std::string ErrorFrame(std::string_view code, std::string_view field, std::string_view message) {
  return Serialize(
      json::object{{"type", "error"}, {"code", code}, {"field", field}, {"message", message}});
}

std::string ReadyFrame(const chat::Chat& c) {
  return Serialize(json::object{{"type", "ready"}, {"chat", ChatJson(c)}});
}

}  // namespace soporte::transport::api::codec
