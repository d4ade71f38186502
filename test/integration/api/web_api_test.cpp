// The web UI's own endpoints end to end against the real `soporte serve`: forgotten passwords
// (the link is read back from the outbox row the request wrote, as the mail would carry it),
// the admin-editable contact settings, and logging a phone call on an existing ticket.
#include <sqlite3.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "correct horse 1";

class WebApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.emplace();
    data_->AddOrg("acme", "ACME Logística");
    data_->AddContract("acme", "24x7");
    data_->AddOrg("initech", "Initech");
    data_->AddContract("initech", "8x5");
    data_->AddUser("admin@example.com", "Ada Admin", "admin", "", kPassword);
    data_->AddUser("super@example.com", "Sergio Supervisor", "supervisor", "", kPassword);
    data_->AddUser("agent@example.com", "Andrea Agente", "agent", "", kPassword);
    data_->AddUser("alice@acme.example", "Alice Cliente", "customer", "acme", kPassword);
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    admin_ = Auth::Bearer(data_->CreateToken("admin@example.com"));
    super_ = Auth::Bearer(data_->CreateToken("super@example.com"));
    server_.emplace(ServerProcess::Start(
        data_->path(), {"--support-email", "soporte@example.com", "--support-phone", "+57 601 000 0000",
                        "--portal-url", "https://soporte.example.com/", "--support-hours-es",
                        "Lunes a viernes", "--support-hours-en", "Monday to Friday"}));
    client_.emplace(server_->port());
  }

  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }

  HttpClient& c() { return *client_; }

  Auth Login(const std::string& email, const std::string& password) {
    HttpResponse r = c().Post("/api/v1/session", json::object{{"email", email}, {"password", password}});
    json::object body = Expect(r, 200, "login " + email);
    Auth a;
    for (const auto& h : r.AllHeaders("Set-Cookie")) {
      if (h.rfind("soporte_session=", 0) == 0) a.session_cookie = h.substr(16, h.find(';') - 16);
    }
    a.csrf_token = Str(body, "csrf_token");
    return a;
  }

  // Bodies of the outbox rows of `kind`, oldest first, read from the database the server writes.
  std::vector<std::pair<std::string, std::string>> Outbox(const std::string& kind) {
    std::vector<std::pair<std::string, std::string>> out;
    sqlite3* db = nullptr;
    const std::string path = data_->path() + "/soporte.db";
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT to_address, body_text FROM outbox WHERE kind = ? ORDER BY id", -1, &s, nullptr),
              SQLITE_OK);
    sqlite3_bind_text(s, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW) {
      out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)),
                       reinterpret_cast<const char*>(sqlite3_column_text(s, 1)));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return out;
  }

  static std::string TokenIn(const std::string& body) {
    const std::string marker = "https://soporte.example.com/#/reset?token=";
    const auto at = body.find(marker);
    if (at == std::string::npos) return "";
    const auto from = at + marker.size();
    return body.substr(from, body.find_first_of(" \n", from) - from);
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth agent_, admin_, super_;
};

TEST_F(WebApiTest, ForgottenPasswordThroughTheMailedLink) {
  Auth old_session = Login("alice@acme.example", kPassword);
  Expect(c().Get("/api/v1/me", old_session), 200, "me before");

  // Unknown and known addresses get the same answer; only the known one gets mail.
  HttpResponse unknown = c().Post("/api/v1/password-reset", json::object{{"email", "nadie@example.com"}});
  HttpResponse known = c().Post("/api/v1/password-reset", json::object{{"email", "Alice@ACME.example"}, {"lang", "en"}});
  EXPECT_EQ(unknown.status, 202) << unknown.Describe();
  EXPECT_EQ(known.status, 202) << known.Describe();
  EXPECT_EQ(unknown.body, known.body);
  auto mails = Outbox("password_reset");
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].first, "alice@acme.example");
  EXPECT_NE(mails[0].second.find("valid for 60 minutes"), std::string::npos) << mails[0].second;
  const std::string token = TokenIn(mails[0].second);
  ASSERT_FALSE(token.empty()) << mails[0].second;

  // A bad password is refused and leaves the link usable.
  HttpResponse short_pw = c().Post("/api/v1/password-reset/confirm", json::object{{"token", token}, {"password", "corta"}});
  EXPECT_EQ(short_pw.status, 400) << short_pw.Describe();
  HttpResponse ok = c().Post("/api/v1/password-reset/confirm", json::object{{"token", token}, {"password", "nueva clave 2"}});
  EXPECT_EQ(ok.status, 204) << ok.Describe();

  // Every session of the user ended; the old password is gone; the new one works.
  EXPECT_EQ(c().Get("/api/v1/me", old_session).status, 401);
  HttpResponse old_pw = c().Post("/api/v1/session", json::object{{"email", "alice@acme.example"}, {"password", kPassword}});
  EXPECT_EQ(old_pw.status, 401) << old_pw.Describe();
  Login("alice@acme.example", "nueva clave 2");

  // The link works once.
  HttpResponse again = c().Post("/api/v1/password-reset/confirm", json::object{{"token", token}, {"password", "otra clave 3"}});
  EXPECT_EQ(again.status, 409) << again.Describe();
  EXPECT_EQ(again.ErrorCode(), "failed_precondition");
  HttpResponse forged = c().Post("/api/v1/password-reset/confirm", json::object{{"token", "forged"}, {"password", "otra clave 3"}});
  EXPECT_EQ(forged.status, 409) << forged.Describe();

  // Malformed requests name the field.
  HttpResponse bad = c().Post("/api/v1/password-reset", json::object{{"email", "not-an-address"}});
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  HttpResponse extra = c().Post("/api/v1/password-reset", json::object{{"email", "a@b.example"}, {"who", "x"}});
  EXPECT_EQ(extra.status, 400) << extra.Describe();
}

TEST_F(WebApiTest, ContactSettingsStartFromServeOptionsAndAdminsEditThem) {
  Auth alice = Login("alice@acme.example", kPassword);
  json::object first = Expect(c().Get("/api/v1/settings", alice), 200, "settings as customer");
  EXPECT_EQ(Str(first, "phone"), "+57 601 000 0000");
  EXPECT_EQ(Str(first, "portal_url"), "https://soporte.example.com/");

  const json::object change{{"phone", "+57 601 111 1111"}, {"hours_es", "Lunes a sábado"}};
  EXPECT_EQ(c().Send("PUT", "/api/v1/settings", super_, json::serialize(change), "application/json").status, 403);
  EXPECT_EQ(c().Send("PUT", "/api/v1/settings", alice, json::serialize(change), "application/json").status, 403);
  HttpResponse bad_url = c().Send("PUT", "/api/v1/settings", admin_, R"({"portal_url":"soporte.example.com"})", "application/json");
  EXPECT_EQ(bad_url.status, 400) << bad_url.Describe();
  EXPECT_EQ(bad_url.ErrorMessage().rfind("portal_url:", 0), 0u) << bad_url.Describe();
  EXPECT_EQ(bad_url.Json().at("error").at("field").as_string(), "portal_url") << bad_url.Describe();
  HttpResponse bad_mail = c().Send("PUT", "/api/v1/settings", admin_, R"({"support_email":"soporte"})", "application/json");
  EXPECT_EQ(bad_mail.status, 400) << bad_mail.Describe();
  EXPECT_EQ(bad_mail.ErrorMessage().rfind("support_email:", 0), 0u) << bad_mail.Describe();

  json::object saved = Expect(c().Send("PUT", "/api/v1/settings", admin_, json::serialize(change), "application/json"),
                              200, "admin saves");
  EXPECT_EQ(Str(saved, "phone"), "+57 601 111 1111");
  EXPECT_EQ(Str(saved, "support_email"), "soporte@example.com") << "fields not sent keep their value";
  json::object now = Expect(c().Get("/api/v1/settings", alice), 200, "settings after");
  EXPECT_EQ(Str(now, "phone"), "+57 601 111 1111");
  EXPECT_EQ(Str(now, "hours_es"), "Lunes a sábado");
  EXPECT_EQ(Str(now, "hours_en"), "Monday to Friday");

  // Without a session: the support address and the phone, nothing else (the login page).
  HttpResponse pub = c().Get("/api/v1/settings/public");
  ASSERT_EQ(pub.status, 200) << pub.Describe();
  const json::value pub_body = pub.Json();
  const json::object& visible = pub_body.as_object();
  EXPECT_EQ(visible.size(), 2u) << pub.Describe();
  EXPECT_EQ(Str(visible, "support_email"), "soporte@example.com");
  EXPECT_EQ(Str(visible, "phone"), "+57 601 111 1111");

  // The stored values survive a restart and win over the serve options.
  client_.reset();
  ASSERT_EQ(server_->Stop(), 0);
  server_.emplace(ServerProcess::Start(data_->path(), {"--support-phone", "+57 601 000 0000"}));
  client_.emplace(server_->port());
  EXPECT_EQ(Str(Expect(c().Get("/api/v1/settings", agent_), 200, "after restart"), "phone"), "+57 601 111 1111");
}

TEST_F(WebApiTest, PhoneCallOnAnExistingTicket) {
  json::object ticket = Expect(c().Post("/api/v1/tickets", json::object{{"org", "acme"}, {"type", "incident"},
                                                                        {"criticality", "important"},
                                                                        {"subject", "Caída del portal"}}, agent_),
                               201, "acme ticket");
  const std::int64_t n = Int(ticket, "number");
  const std::string calls = "/api/v1/tickets/" + std::to_string(n) + "/calls";
  json::object call = Expect(c().Post(calls, json::object{{"caller", "Alice Cliente"}, {"duration_minutes", 7},
                                                          {"notes", "Reiniciamos el servicio juntos."}}, agent_),
                             201, "log call");
  EXPECT_EQ(Str(call, "channel"), "phone");
  EXPECT_EQ(Str(call.at("call"), "caller"), "Alice Cliente");
  EXPECT_EQ(Int(call.at("call"), "duration_minutes"), 7);
  Auth alice = Login("alice@acme.example", kPassword);
  json::array msgs = Expect(c().Get("/api/v1/tickets/" + std::to_string(n) + "/messages", alice), 200, "messages")
                         .at("messages").as_array();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(Str(msgs[0], "body"), "Reiniciamos el servicio juntos.");
  EXPECT_FALSE(Str(Expect(c().Get("/api/v1/tickets/" + std::to_string(n), alice), 200, "ticket"), "first_response_at").empty());

  // Customers may not log calls; fields are named; an 8x5 contract has no phone line.
  EXPECT_EQ(c().Post(calls, json::object{{"caller", "x"}, {"notes", "y"}}, alice).status, 403);
  HttpResponse missing = c().Post(calls, json::object{{"notes", "y"}}, agent_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.ErrorMessage().find("caller"), std::string::npos) << missing.Describe();
  json::object t8 = Expect(c().Post("/api/v1/tickets", json::object{{"org", "initech"}, {"type", "request"},
                                                                    {"criticality", "normal"},
                                                                    {"subject", "Duda de facturación"}}, agent_),
                           201, "initech ticket");
  HttpResponse refused = c().Post("/api/v1/tickets/" + std::to_string(Int(t8, "number")) + "/calls",
                                  json::object{{"caller", "Iván"}, {"notes", "Llamó"}}, agent_);
  EXPECT_EQ(refused.status, 422) << refused.Describe();
  EXPECT_NE(refused.ErrorMessage().find("no phone line"), std::string::npos) << refused.Describe();
}

}  // namespace
}  // namespace soporte::test
