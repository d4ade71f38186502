// The live chat out of hours through the real binary (issue 13, step 2): GET /api/v1/chats/config
// answers whether agents answer now (the chat's own staffed calendar, else the on-call one:
// driven here by stored calendars, one open around the clock and one closed today), the
// greeting and colour an admin stored, and the out-of-hours phone only to a signed-in customer
// of a 24x7 contract; a site not allowed is refused; a message left becomes exactly one ticket on
// channel chat (a resend with the same client_id answers the same ticket), an unknown visitor's
// waits for the agents, and bad input is a 400 naming the field.
#include <chrono>
#include <optional>
#include <string>

#include <boost/json.hpp>
#include <date/date.h>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kSite[] = "https://www.vendor.test";
constexpr char kPassword[] = "chat hours pass 1";

std::string Day(int offset) {
  const auto today = std::chrono::floor<date::days>(std::chrono::system_clock::now());
  return date::format("%F", today + date::days{offset});
}

class ChatHoursTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.AddOrg("acme", "ACME");
    data_.AddContract("acme", "24x7");
    data_.AddOrg("beta", "Beta");
    data_.AddContract("beta", "8x5");
    data_.AddUser("root@vendor.test", "Root", "admin", "", kPassword);
    data_.AddUser("andrea@vendor.test", "Andrea", "agent", "", kPassword);
    data_.AddUser("ana@acme.test", "Ana Acme", "customer", "acme", kPassword);
    data_.AddUser("berta@beta.test", "Berta", "customer", "beta", kPassword);
    server_.emplace(ServerProcess::Start(
        data_.path(), {"--chat-origins", kSite, "--trusted-proxy", "127.0.0.1"}));
    client_.emplace(server_->port());
    admin_ = Login(*client_, "root@vendor.test", kPassword);
    agent_ = Login(*client_, "andrea@vendor.test", kPassword);
    open_ = Calendar("Siempre", false);
    closed_ = Calendar("Cerrado hoy", true);
  }
  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }
  // A calendar open every day 00:00–24:00; `closed_now`: with yesterday, today and tomorrow
  // (UTC dates, so Bogotá's today is among them) closed.
  std::int64_t Calendar(const std::string& name, bool closed_now) {
    json::object hours;
    for (const char* d :
         {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
      hours[d] = json::array{json::object{{"from", "00:00"}, {"to", "24:00"}}};
    auto cal = Expect(client_->Post("/api/v1/calendars",
                                    json::object{{"name", name},
                                                 {"zone", "America/Bogota"},
                                                 {"colombian_holidays", false},
                                                 {"hours", hours}},
                                    admin_),
                      201, "calendar");
    const std::int64_t id = Int(cal, "id");
    if (closed_now)
      for (int d : {-1, 0, 1})
        Expect(client_->Post("/api/v1/calendars/" + std::to_string(id) + "/closures",
                             json::object{{"date", Day(d)}, {"reason", "Inventario"}}, admin_),
               201, "closure");
    return id;
  }
  void Staffed(const std::string& which, std::optional<std::int64_t> calendar) {
    json::value body = json::object{{"calendar", calendar ? json::value(*calendar) : nullptr}};
    Expect(client_->Send("PUT", "/api/v1/oncall/staffed?for=" + which, admin_,
                         json::serialize(body), "application/json"),
           200, "staffed calendar");
  }
  json::object Config(const Auth& who = {}, const std::string& origin = kSite,
                      const std::string& lang = "es") {
    auto r = client_->Get("/api/v1/chats/config?lang=" + lang, who, {{"Origin", origin}});
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    return Expect(r, 200, "config");
  }
  HttpResponse Leave(const std::string& from, json::object body, const Auth& who = {},
                     const std::string& origin = kSite) {
    if (!body.contains("name")) body["name"] = "Ana";
    if (!body.contains("text")) body["text"] = "El ERP no arranca";
    return client_->Send("POST", "/api/v1/chats/leave", who, json::serialize(body),
                         "application/json", {{"Origin", origin}, {"X-Forwarded-For", from}});
  }
  static std::string FieldOf(const HttpResponse& r) {
    auto err = json::parse(r.body).as_object()["error"].as_object();
    return err.contains("field") ? Str(err, "field") : "";
  }
  std::string DeskOrigin() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  DataDir data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth admin_, agent_;
  std::int64_t open_ = 0, closed_ = 0;
};

TEST_F(ChatHoursTest, TheConfigFollowsTheChatCalendarAndGivesThePhoneOnlyToA24x7Customer) {
  Expect(client_->Send("PUT", "/api/v1/settings", admin_,
                       json::serialize(json::object{{"phone", "+57 601 555 0100"},
                                                    {"chat_greeting_es", "Buenas, somos ACME"},
                                                    {"chat_greeting_en", "Hello from ACME"},
                                                    {"chat_color", "#AA3300"}}),
                       "application/json"),
         200, "settings");
  Staffed("chat", open_);
  auto in = Config();
  EXPECT_TRUE(in["staffed"].as_bool());
  EXPECT_EQ(Str(in, "greeting"), "Buenas, somos ACME");
  EXPECT_EQ(Str(in, "color"), "#aa3300");
  EXPECT_EQ(Str(in, "phone"), "");
  EXPECT_TRUE(in["customer"].is_null());
  EXPECT_EQ(Str(Config({}, kSite, "en"), "greeting"), "Hello from ACME");
  auto cors = client_->Get("/api/v1/chats/config", {}, {{"Origin", kSite}});
  EXPECT_EQ(cors.Header("Access-Control-Allow-Origin"), kSite);

  Staffed("chat", closed_);
  auto visitor = Config();
  EXPECT_FALSE(visitor["staffed"].as_bool());
  EXPECT_EQ(Str(visitor, "phone"), "");  // a visitor is no known 24x7 customer
  // A customer on the desk's own page (their session cookie counts only there).
  const Auth ana = Login(*client_, "ana@acme.test", kPassword);
  auto acme = Config(ana, DeskOrigin());
  EXPECT_EQ(Str(acme, "phone"), "+57 601 555 0100");
  EXPECT_EQ(Str(acme["customer"].as_object(), "email"), "ana@acme.test");
  // A same-origin GET carries no Origin: Sec-Fetch-Site says where it came from.
  auto same = Expect(client_->Get("/api/v1/chats/config", ana, {{"Sec-Fetch-Site", "same-origin"}}),
                     200, "same-origin config");
  EXPECT_EQ(Str(same, "phone"), "+57 601 555 0100");
  // The cookie sent along from another site speaks for nobody.
  EXPECT_EQ(Str(Config(ana, kSite), "phone"), "");
  const Auth berta = Login(*client_, "berta@beta.test", kPassword);
  EXPECT_EQ(Str(Config(berta, DeskOrigin()), "phone"), "");  // an 8x5 contract

  // No chat calendar: the on-call one decides.
  Staffed("chat", std::nullopt);
  Staffed("oncall", open_);
  EXPECT_TRUE(Config()["staffed"].as_bool());
  Staffed("oncall", closed_);
  EXPECT_FALSE(Config()["staffed"].as_bool());
  auto got = Expect(client_->Get("/api/v1/oncall/staffed?for=chat", agent_), 200, "chat calendar");
  EXPECT_TRUE(got["calendar"].is_null());
  EXPECT_EQ(client_->Get("/api/v1/oncall/staffed?for=mars", agent_).status, 400);
}

TEST_F(ChatHoursTest, ASiteNotAllowedIsRefusedAndBadSettingsNameTheirField) {
  auto refused = client_->Get("/api/v1/chats/config", {}, {{"Origin", "https://evil.test"}});
  EXPECT_EQ(refused.status, 403) << refused.Describe();
  EXPECT_TRUE(refused.Header("Access-Control-Allow-Origin").empty());
  auto pre =
      client_->Send("OPTIONS", "/api/v1/chats/leave", {}, {}, {},
                    {{"Origin", "https://evil.test"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(pre.status, 403);
  auto ok = client_->Send("OPTIONS", "/api/v1/chats/leave", {}, {}, {},
                          {{"Origin", kSite}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.Header("Access-Control-Allow-Origin"), kSite);
  auto left = client_->Send(
      "POST", "/api/v1/chats/leave", {},
      R"({"name":"A","email":"a@b.test","text":"x","client_id":"w-0123456789abcdef"})",
      "application/json", {{"Origin", "https://evil.test"}});
  EXPECT_EQ(left.status, 403);
  auto lang = client_->Get("/api/v1/chats/config?lang=fr", {}, {{"Origin", kSite}});
  EXPECT_EQ(lang.status, 400);
  EXPECT_EQ(FieldOf(lang), "lang");
  const std::string long_greeting(201, 'a');
  for (auto [field, value] :
       {std::pair<std::string, std::string>{"chat_color", "azul"},
        std::pair<std::string, std::string>{"chat_greeting_es", long_greeting}}) {
    auto bad = client_->Send("PUT", "/api/v1/settings", admin_,
                             json::serialize(json::object{{field, value}}), "application/json");
    EXPECT_EQ(bad.status, 400) << bad.Describe();
    EXPECT_EQ(FieldOf(bad), field);
  }
}

TEST_F(ChatHoursTest, AMessageLeftBecomesExactlyOneTicketOnChannelChat) {
  Staffed("chat", closed_);
  // A customer signed in to the portal, on the desk's own page.
  const Auth ana = Login(*client_, "ana@acme.test", kPassword);
  auto first =
      Leave("203.0.113.20",
            {{"client_id", "w-left-0123456789"}, {"text", "El ERP no arranca\ndesde las 20:00"}},
            ana, DeskOrigin());
  ASSERT_EQ(first.status, 201) << first.Describe();
  const std::int64_t number = Int(json::parse(first.body).as_object(), "ticket");
  // The answer was lost; the widget sends again with the same client_id.
  auto again = Leave("203.0.113.20", {{"client_id", "w-left-0123456789"}}, ana, DeskOrigin());
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(Int(json::parse(again.body).as_object(), "ticket"), number);
  auto t = Expect(client_->Get("/api/v1/tickets/" + std::to_string(number), agent_), 200, "ticket");
  EXPECT_EQ(Str(t, "channel"), "chat");
  EXPECT_EQ(Str(t, "subject"), "El ERP no arranca");
  EXPECT_EQ(Str(t, "description"), "El ERP no arranca\ndesde las 20:00");
  EXPECT_EQ(client_->Get("/api/v1/tickets/" + std::to_string(number + 1), agent_).status, 404);

  // A visitor's message waits for an agent (no ticket number yet), even one giving a customer's
  // email: anyone can type it, so it makes no ticket in her name.
  auto claimed =
      Leave("203.0.113.21", {{"email", "ana@acme.test"}, {"client_id", "w-left-claimed-01"}});
  ASSERT_EQ(claimed.status, 201) << claimed.Describe();
  EXPECT_EQ(claimed.Header("Access-Control-Allow-Origin"), kSite);
  EXPECT_TRUE(json::parse(claimed.body).as_object()["ticket"].is_null());
  EXPECT_EQ(client_->Get("/api/v1/tickets/" + std::to_string(number + 1), agent_).status, 404);
  auto unknown =
      Leave("203.0.113.21", {{"email", "nadie@otra.test"}, {"client_id", "w-left-unknown-01"}});
  ASSERT_EQ(unknown.status, 201) << unknown.Describe();
  auto u = json::parse(unknown.body).as_object();
  EXPECT_TRUE(u["ticket"].is_null());
  auto list = Expect(client_->Get("/api/v1/chats", agent_), 200, "chats");
  bool waiting = false;
  for (const auto& c : list["chats"].as_array())
    waiting |= Int(c.as_object(), "id") == Int(u["chat"].as_object(), "id");
  EXPECT_TRUE(waiting);

  // Bad input names the field.
  EXPECT_EQ(FieldOf(Leave("203.0.113.22", {{"email", "ana@acme.test"}, {"client_id", "short"}})),
            "client_id");
  EXPECT_EQ(FieldOf(Leave("203.0.113.22",
                          {{"email", "no-address"}, {"client_id", "w-left-bad-0123456"}})),
            "email");
  auto no_text =
      client_->Send("POST", "/api/v1/chats/leave", {},
                    R"({"name":"A","email":"a@b.test","client_id":"w-left-bad-0123456"})",
                    "application/json", {{"Origin", kSite}, {"X-Forwarded-For", "203.0.113.23"}});
  EXPECT_EQ(no_text.status, 400);
  EXPECT_EQ(FieldOf(no_text), "text");
  auto long_text = Leave("203.0.113.23", {{"email", "ana@acme.test"},
                                          {"client_id", "w-left-long-0123456"},
                                          {"text", std::string(5000, 'x')}});
  EXPECT_EQ(long_text.status, 400);
  EXPECT_EQ(FieldOf(long_text), "text");
  // One address leaves at most five messages in ten minutes (a signed-in customer's become
  // tickets, so no chat waits and only this limit counts).
  int accepted = 0, limited = 0;
  for (int i = 0; i < 6; ++i) {
    auto r = Leave("203.0.113.30", {{"client_id", "w-left-burst-0123456-" + std::to_string(i)}},
                   ana, DeskOrigin());
    accepted += r.status == 201;
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(json::parse(r.body).at("error").at("reason").as_string(), "chat_leave_limit");
    }
  }
  EXPECT_EQ(accepted, 5);
  EXPECT_EQ(limited, 1);
  // Visitors' messages wait as chats: an address with as many waiting as the cap leaves no more.
  int left_waiting = 0;
  std::string reason;
  for (int i = 0; i < 5 && reason.empty(); ++i) {
    auto r = Leave("203.0.113.31", {{"email", "x@otra.test"},
                                    {"client_id", "w-left-cap-0123456-" + std::to_string(i)}});
    if (r.status == 201) ++left_waiting;
    if (r.status == 429) reason = json::parse(r.body).at("error").at("reason").as_string();
  }
  EXPECT_GE(left_waiting, 1);
  EXPECT_EQ(reason, "chat_address_limit");
}

}  // namespace
}  // namespace soporte::test
