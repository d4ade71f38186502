// Live chat through the real binary (issue 13): `soporte serve --chat-origins
// https://www.vendor.test` and WebSocket clients written with Beast here. A site not listed is
// refused (POST /api/v1/chats and the WebSocket upgrade: 403); a visitor's token opens its own
// chat only; a message resent with the same client id is stored once; a client that reconnects
// (after a drop, and after the server restarted) gets exactly the messages after the last seq it
// holds; the agent takes the chat and answers over its own WebSocket (session cookie, the desk's
// origin); a closed chat is read-only; files go up with the chat token through the upload
// path, are sent by a message naming them, come down to whoever may read them, and become the
// ticket's attachments.
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api_fixture.hpp"
#include "chat_ws_client.hpp"
#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;

using api::TinyPng;

constexpr char kSite[] = "https://www.vendor.test";
constexpr char kAgentPassword[] = "agent chat pass 1";

class ChatWsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.AddOrg("acme", "ACME");
    data_.AddContract("acme", "24x7");
    data_.AddUser("andrea@vendor.test", "Andrea", "agent", "", kAgentPassword);
    Start();
  }
  void Start() {
    server_.emplace(ServerProcess::Start(data_.path(), {"--chat-origins", kSite}));
    client_.emplace(server_->port());
  }
  // Opens a visitor's chat from the allowed site; returns {id, token}.
  std::pair<std::int64_t, std::string> OpenChat(const std::string& email) {
    auto r = client_->Send("POST", "/api/v1/chats", {},
                           json::serialize(json::object{{"name", "Ana"}, {"email", email}}),
                           "application/json", {{"Origin", kSite}});
    auto body = Expect(r, 201, "open chat");
    EXPECT_EQ(r.Header("Access-Control-Allow-Origin"), kSite);
    return {Int(body["chat"].as_object(), "id"), Str(body, "token")};
  }
  std::string DeskOrigin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  DataDir data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
};

TEST_F(ChatWsTest, ASiteNotListedIsRefused) {
  auto r = client_->Send("POST", "/api/v1/chats", {}, R"({"name":"Eve","email":"eve@evil.test"})",
                         "application/json", {{"Origin", "https://evil.test"}});
  EXPECT_EQ(r.status, 403) << r.Describe();
  auto pre = client_->Send("OPTIONS", "/api/v1/chats", {}, {}, {},
                           {{"Origin", kSite}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(pre.status, 204) << pre.Describe();
  EXPECT_EQ(pre.Header("Access-Control-Allow-Origin"), kSite);
  WsClient evil;
  EXPECT_EQ(evil.Connect(server_->port(), "https://evil.test"), 403);
  WsClient good;
  EXPECT_EQ(good.Connect(server_->port(), kSite), 101);
  // Bad input is a 400 naming the field.
  auto bad = client_->Send("POST", "/api/v1/chats", {}, R"({"name":"Ana","email":"nope"})",
                           "application/json", {{"Origin", kSite}});
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_EQ(bad.ErrorMessage().rfind("email", 0), 0u) << bad.Describe();
}

// The widget the vendor's site embeds is served at /chat/widget.js, to anyone, as JavaScript,
// with the greeting of its Spanish table.
TEST_F(ChatWsTest, TheWidgetIsServedForAnySite) {
  auto r = client_->Get("/chat/widget.js", {}, {{"Origin", kSite}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(r.body.find("Hola 👋, ¿en qué te podemos ayudar?"), std::string::npos);
  EXPECT_NE(r.body.find("/chat/ws"), std::string::npos);
  EXPECT_FALSE(r.Header("ETag").empty());
  auto again = client_->Get("/chat/widget.js", {}, {{"If-None-Match", r.Header("ETag")}});
  EXPECT_EQ(again.status, 304) << again.Describe();
}

TEST_F(ChatWsTest, ATokenOpensItsOwnChatOnly) {
  auto [a, token_a] = OpenChat("ana@acme.test");
  auto [b, token_b] = OpenChat("beto@acme.test");
  WsClient ws;
  ASSERT_EQ(ws.Connect(server_->port(), kSite), 101);
  ws.Send(Hello(b, token_a, 0));
  auto err = ws.NextOf("error");
  EXPECT_EQ(Str(err, "code"), "not_found");
  EXPECT_FALSE(ws.Next());  // closed
  EXPECT_EQ(ws.reason().code, 4403);
  // The REST messages of a chat need a signed-in user.
  EXPECT_EQ(client_->Get("/api/v1/chats/" + std::to_string(a) + "/messages").status, 401);
  WsClient own;
  ASSERT_EQ(own.Connect(server_->port(), kSite), 101);
  own.Send(Hello(b, token_b, 0));
  auto ready = own.NextOf("ready");
  EXPECT_EQ(Int(ready["chat"].as_object(), "id"), b);
}

TEST_F(ChatWsTest, ResumingAfterADropAndARestartLosesAndDoublesNothing) {
  auto [id, token] = OpenChat("ana@acme.test");
  auto agent = Login(*client_, "andrea@vendor.test", kAgentPassword);
  {
    WsClient visitor;
    ASSERT_EQ(visitor.Connect(server_->port(), kSite), 101);
    visitor.Send(Hello(id, token, 0));
    visitor.NextOf("ready");
    visitor.Send(Say("hola, el ERP no arranca", "v-1"));
    EXPECT_EQ(Int(visitor.NextOf("ack"), "seq"), 1);
    // A resend after a lost ack: acknowledged with the same seq, stored once.
    visitor.Send(Say("hola, el ERP no arranca", "v-1"));
    EXPECT_EQ(Int(visitor.NextOf("ack"), "seq"), 1);
    visitor.Drop();
  }
  // The agent takes it (seq 2, the "taken" marker) and answers over its own WebSocket.
  auto took = client_->Send("POST", "/api/v1/chats/" + std::to_string(id) + "/take", agent);
  ASSERT_EQ(took.status, 200) << took.Describe();
  {
    WsClient desk;
    ASSERT_EQ(desk.Connect(server_->port(), DeskOrigin(), agent.session_cookie), 101);
    desk.Send(Hello(id, "", 0));
    desk.NextOf("ready");
    desk.Send(Say("Hola Ana, ¿desde cuándo?", "a-1"));
    EXPECT_EQ(Int(desk.NextOf("ack"), "seq"), 3);
  }
  // The server restarts in the middle of the conversation.
  ASSERT_EQ(server_->Stop(), 0) << server_->output();
  server_.reset();
  Start();
  agent = Login(*client_, "andrea@vendor.test", kAgentPassword);
  WsClient visitor;
  ASSERT_EQ(visitor.Connect(server_->port(), kSite), 101);
  visitor.Send(Hello(id, token, 1));  // it holds seq 1
  visitor.NextOf("ready");
  std::vector<std::int64_t> seqs;
  while (seqs.empty() || seqs.back() < 3) seqs.push_back(Int(visitor.NextOf("message"), "seq"));
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{2, 3}));
  // Live: the agent writes again and the visitor gets it once.
  {
    WsClient desk;
    ASSERT_EQ(desk.Connect(server_->port(), DeskOrigin(), agent.session_cookie), 101);
    desk.Send(Hello(id, "", 3));
    desk.NextOf("ready");
    desk.Send(Say("Lo reviso", "a-2"));
    EXPECT_EQ(Int(desk.NextOf("ack"), "seq"), 4);
  }
  auto live = visitor.NextOf("message");
  EXPECT_EQ(Int(live, "seq"), 4);
  EXPECT_EQ(Str(live, "text"), "Lo reviso");
  // The store holds each message once.
  auto all = client_->Get("/api/v1/chats/" + std::to_string(id) + "/messages", agent);
  auto body = Expect(all, 200, "messages");
  std::vector<std::int64_t> stored;
  for (const auto& m : body["messages"].as_array()) stored.push_back(Int(m.as_object(), "seq"));
  EXPECT_EQ(stored, (std::vector<std::int64_t>{1, 2, 3, 4}));

  // Closed: read-only.
  ASSERT_EQ(client_->Send("POST", "/api/v1/chats/" + std::to_string(id) + "/close", agent).status,
            200);
  visitor.NextOf("state");
  visitor.Send(Say("¿sigue ahí?", "v-2"));
  EXPECT_EQ(Str(visitor.NextOf("error"), "code"), "closed");
}

TEST_F(ChatWsTest, AChatBecomesATicketHoldingItsTranscript) {
  // The visitor is a known contact of acme (the agent names the organisation and requester).
  data_.AddUser("ana@acme.test", "Ana", "customer", "acme", "customer pass 1");
  auto [id, token] = OpenChat("ana@acme.test");
  auto agent = Login(*client_, "andrea@vendor.test", kAgentPassword);
  WsClient visitor;
  ASSERT_EQ(visitor.Connect(server_->port(), kSite), 101);
  visitor.Send(Hello(id, token, 0));
  visitor.NextOf("ready");
  visitor.Send(Say("No factura desde ayer", "v-1"));
  visitor.NextOf("ack");
  auto made = client_->Post("/api/v1/chats/" + std::to_string(id) + "/ticket",
                            json::object{{"criticality", "important"},
                                         {"subject", "No factura"},
                                         {"org", "acme"},
                                         {"requester_email", "ana@acme.test"}},
                            agent);
  auto t = Expect(made, 201, "convert");
  auto ticket = Expect(client_->Get("/api/v1/tickets/" + std::to_string(Int(t, "number")), agent),
                       200, "ticket");
  EXPECT_EQ(Str(ticket, "channel"), "chat");
  EXPECT_EQ(Str(ticket, "criticality"), "important");
  EXPECT_NE(Str(ticket, "description").find("Ana: No factura desde ayer"), std::string::npos);
}

TEST_F(ChatWsTest, FilesGoUpWithTheChatTokenAndBecomeTheTicketsAttachments) {
  data_.AddUser("ana@acme.test", "Ana", "customer", "acme", "customer pass 1");
  auto [id, token] = OpenChat("ana@acme.test");
  auto [other, other_token] = OpenChat("otro@acme.test");
  const std::string files = "/api/v1/chats/" + std::to_string(id) + "/files";
  const Headers from_site{{"Origin", kSite}, {"Authorization", "Bearer " + token}};
  // The preflight allows the token's header.
  auto pre = client_->Send("OPTIONS", files, {}, {}, {},
                           {{"Origin", kSite},
                            {"Access-Control-Request-Method", "POST"},
                            {"Access-Control-Request-Headers", "authorization"}});
  EXPECT_EQ(pre.status, 204) << pre.Describe();
  EXPECT_NE(pre.Header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);

  auto [type, body] = BuildMultipart({{"file", "pantalla.png", "text/plain", TinyPng()}});
  // Refused before a byte is stored: no token, another chat's token, a site not allowed.
  EXPECT_EQ(client_->Send("POST", files, {}, body, type, {{"Origin", kSite}}).status, 404);
  EXPECT_EQ(client_
                ->Send("POST", files, {}, body, type,
                       {{"Origin", kSite}, {"Authorization", "Bearer " + other_token}})
                .status,
            404);
  EXPECT_EQ(client_
                ->Send("POST", files, {}, body, type,
                       {{"Origin", "https://evil.test"}, {"Authorization", "Bearer " + token}})
                .status,
            403);
  // Six files at once: refused by name.
  std::vector<FormPart> six(6, FormPart{"file", "a.txt", "text/plain", "a"});
  auto [six_type, six_body] = BuildMultipart(six);
  auto many = client_->Send("POST", files, {}, six_body, six_type, from_site);
  EXPECT_EQ(many.status, 400) << many.Describe();

  auto up = client_->Send("POST", files, {}, body, type, from_site);
  auto stored = Expect(up, 201, "upload into the chat");
  EXPECT_EQ(up.Header("Access-Control-Allow-Origin"), kSite);
  const json::object file = stored["files"].as_array().at(0).as_object();
  const std::int64_t fid = Int(file, "id");
  EXPECT_EQ(Str(file, "name"), "pantalla.png");
  EXPECT_EQ(Str(file, "type"), "image/png");  // sniffed, not the client's claim
  EXPECT_EQ(Int(file, "size"), static_cast<std::int64_t>(TinyPng().size()));
  EXPECT_FALSE(file.at("sent").as_bool());

  // Sent by a message that names it (no text needed); the agent's list shows it.
  auto agent = Login(*client_, "andrea@vendor.test", kAgentPassword);
  WsClient visitor;
  ASSERT_EQ(visitor.Connect(server_->port(), kSite), 101);
  visitor.Send(Hello(id, token, 0));
  visitor.NextOf("ready");
  visitor.Send(json::object{
      {"type", "message"}, {"text", ""}, {"client_id", "v-file"}, {"files", json::array{fid}}});
  auto shown = visitor.NextOf("message");
  ASSERT_EQ(shown["files"].as_array().size(), 1u) << json::serialize(shown);
  EXPECT_EQ(Str(shown["files"].as_array()[0].as_object(), "name"), "pantalla.png");
  visitor.NextOf("ack");
  // Another chat's file id, or the same file twice: an error frame naming "files".
  visitor.Send(json::object{{"type", "message"},
                            {"text", "otra vez"},
                            {"client_id", "v-again"},
                            {"files", json::array{fid}}});
  auto refused = visitor.NextOf("error");
  EXPECT_EQ(Str(refused, "field"), "files") << json::serialize(refused);
  auto list = Expect(client_->Get("/api/v1/chats/" + std::to_string(id) + "/messages", agent), 200,
                     "messages");
  bool listed = false;
  for (const auto& m : list["messages"].as_array())
    if (m.as_object().at("files").as_array().size() == 1) listed = true;
  EXPECT_TRUE(listed) << json::serialize(list);

  // Down: the visitor with the token (CORS), a byte range, the agent with the session from the
  // desk's own pages; nobody else.
  const std::string one = files + "/" + std::to_string(fid);
  auto got = client_->Get(one, {}, from_site);
  ASSERT_EQ(got.status, 200) << got.Describe();
  EXPECT_EQ(got.body, TinyPng());
  EXPECT_EQ(got.Header("Content-Type"), "image/png");
  EXPECT_EQ(got.Header("Access-Control-Allow-Origin"), kSite);
  Headers ranged = from_site;
  ranged.push_back({"Range", "bytes=0-3"});
  auto part = client_->Get(one, {}, ranged);
  EXPECT_EQ(part.status, 206) << part.Describe();
  EXPECT_EQ(part.body, TinyPng().substr(0, 4));
  auto desk = client_->Get(one, agent, {{"Sec-Fetch-Site", "same-origin"}});
  EXPECT_EQ(desk.status, 200) << desk.Describe();
  EXPECT_EQ(client_->Get(one).status, 404);
  EXPECT_EQ(client_
                ->Get("/api/v1/chats/" + std::to_string(other) + "/files/" + std::to_string(fid),
                      {}, {{"Origin", kSite}, {"Authorization", "Bearer " + other_token}})
                .status,
            404);

  // The agent sees who the customer may be: the typed email matches acme's Ana, unverified.
  auto who = Expect(client_->Get("/api/v1/chats/" + std::to_string(id) + "/customer", agent), 200,
                    "customer");
  EXPECT_EQ(Str(who, "matched_by"), "email");
  EXPECT_EQ(Str(who["org"].as_object(), "slug"), "acme");

  // The ticket made from the chat holds the file, with the same bytes.
  auto made = client_->Post("/api/v1/chats/" + std::to_string(id) + "/ticket",
                            json::object{{"criticality", "normal"},
                                         {"subject", "Pantallazo"},
                                         {"org", "acme"},
                                         {"requester_email", "ana@acme.test"}},
                            agent);
  auto t = Expect(made, 201, "convert");
  auto attachments = Expect(
      client_->Get("/api/v1/tickets/" + std::to_string(Int(t, "number")) + "/attachments", agent),
      200, "attachments");
  const auto& a = attachments["attachments"].as_array();
  ASSERT_EQ(a.size(), 1u) << json::serialize(attachments);
  EXPECT_EQ(Str(a[0].as_object(), "filename"), "pantalla.png");
  auto bytes = client_->Get(Str(a[0].as_object(), "url"), agent);
  EXPECT_EQ(bytes.body, TinyPng());
  // Closed now: no more files.
  auto late = client_->Send("POST", files, {}, body, type, from_site);
  EXPECT_EQ(late.status, 409) << late.Describe();
}

}  // namespace
}  // namespace soporte::test
