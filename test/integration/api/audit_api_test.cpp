// The audit log through the real binary (issue 16, part 5): a login and a failed login are
// listed with the client address and the reason; creating an organisation and a contract,
// changing the contact settings and a contract's calendar are listed with who did it and from
// where; the list is newest first and paged; a customer and an agent are refused; no password
// or token is ever in it.
#include <set>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "audit admin pass 1";

class AuditApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.emplace();
    data_->AddOrg("acme", "ACME S.A.");
    data_->AddUser("root@example.com", "Raíz", "admin", "", kPassword);
    data_->AddUser("sara@example.com", "Sara", "supervisor", "", kPassword);
    data_->AddUser("agent@example.com", "Agente", "agent", "", kPassword);
    data_->AddUser("carla@acme.example.com", "Carla", "customer", "acme", kPassword);
    super_ = Auth::Bearer(data_->CreateToken("sara@example.com"));
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    carla_ = Auth::Bearer(data_->CreateToken("carla@acme.example.com"));
    server_.emplace(ServerProcess::Start(data_->path()));
    client_.emplace(server_->port());
  }
  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }
  HttpClient& c() { return *client_; }

  json::array Entries(const std::string& query, const Auth& who) {
    return Expect(c().Get("/api/v1/audit" + query, who), 200, "audit " + query)
        .at("entries")
        .as_array();
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth super_, agent_, carla_;
};

TEST_F(AuditApiTest, LoginsAndAdminChangesAreListedWithWhoAndWhereNewestFirst) {
  HttpResponse bad = c().Post(
      "/api/v1/session", json::object{{"email", "root@example.com"}, {"password", "wrong pass 9"}});
  EXPECT_EQ(bad.status, 401) << bad.Describe();
  Auth root = Login(c(), "root@example.com", kPassword);

  Expect(c().Post("/api/v1/orgs", json::object{{"slug", "globex"}, {"name", "Globex S.A."}}, root),
         201, "org");
  const std::int64_t contract =
      Int(Expect(c().Post("/api/v1/orgs/globex/contracts",
                          json::object{{"modality", "8x5"}, {"valid_from", "2026-01-01"}}, root),
                 201, "contract"),
          "id");
  Expect(c().Send("PUT", "/api/v1/settings", root,
                  json::serialize(json::object{{"phone", "+57 601 555 0100"}}), "application/json"),
         200, "settings");
  const std::int64_t cal =
      Int(Expect(c().Post("/api/v1/calendars",
                          json::object{{"name", "Oficina"},
                                       {"hours", json::object{{"monday", json::array{json::object{
                                                                             {"from", "08:00"},
                                                                             {"to", "17:00"}}}}}}},
                          root),
                 201, "calendar"),
          "id");
  Expect(c().Patch("/api/v1/orgs/globex/contracts/" + std::to_string(contract),
                   json::object{{"calendar_id", cal}}, root),
         200, "assign");

  // Logins: the failure says why and from where, with the email tried; the success who.
  json::array logins = Entries("?kind=login", super_);
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(Str(logins[0], "after"), "ok");
  EXPECT_EQ(Str(logins[0].at("by"), "name"), "Raíz");
  EXPECT_EQ(Str(logins[0], "from"), "127.0.0.1");
  EXPECT_EQ(Str(logins[1], "after"), "wrong_password");
  EXPECT_EQ(Str(logins[1].at("subject"), "name"), "root@example.com");
  EXPECT_EQ(Str(logins[1], "from"), "127.0.0.1");

  // Everything, newest first: the contract's calendar, then the calendar, the settings…
  // The test's API tokens were used for the first time here: those entries (kind token,
  // first_used, from 127.0.0.1) are among the newest; the admin changes are checked without them.
  json::array all;
  int first_uses = 0;
  for (auto& e : Entries("", super_)) {
    if (Str(e, "field") == "first_used") {
      ++first_uses;
      EXPECT_EQ(Str(e, "kind"), "token");
      EXPECT_EQ(Str(e, "from"), "127.0.0.1");
      continue;
    }
    all.push_back(e);
  }
  EXPECT_GE(first_uses, 1);
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(Str(all[0], "kind"), "contract");
  EXPECT_EQ(Str(all[0], "field"), "calendar");
  EXPECT_EQ(Str(all[0], "after"), "Oficina");
  EXPECT_EQ(Str(all[0].at("subject"), "name"), "Globex S.A.");
  EXPECT_EQ(Str(all[0].at("by"), "name"), "Raíz");
  EXPECT_EQ(Str(all[0], "from"), "127.0.0.1");
  std::set<std::string> seen;
  for (const auto& e : all) {
    seen.insert(Str(e, "kind") + ":" + Str(e, "field"));
    for (const char* key : {"before", "after"}) {
      EXPECT_EQ(Str(e, key).find(kPassword), std::string::npos);
      EXPECT_EQ(Str(e, key).find("wrong pass"), std::string::npos);
    }
  }
  for (const char* want : {"org:created", "contract:created", "contract:modality",
                           "contract:channels", "contract:targets", "settings:contact.phone",
                           "calendar:created", "calendar:hours.monday", "login:login"}) {
    EXPECT_TRUE(seen.count(want)) << want;
  }
  json::array settings = Entries("?kind=settings", super_);
  ASSERT_EQ(settings.size(), 1u);
  EXPECT_EQ(Str(settings[0], "before"), "");
  EXPECT_EQ(Str(settings[0], "after"), "+57 601 555 0100");

  // Paged: two at a time until next_cursor is null, the same entries in the same order.
  std::vector<std::int64_t> paged;
  std::string cursor;
  for (int guard = 0; guard < 50; ++guard) {
    json::object page = Expect(
        c().Get("/api/v1/audit?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), super_), 200,
        "page");
    for (const auto& e : page.at("entries").as_array())
      if (Str(e, "field") != "first_used") paged.push_back(Int(e, "id"));
    if (page.at("next_cursor").is_null()) break;
    cursor = std::string(page.at("next_cursor").as_string());
  }
  ASSERT_EQ(paged.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(paged[i], Int(all[i], "id"));
  EXPECT_TRUE(Entries("?since=2100-01-01", super_).empty());
  EXPECT_EQ(c().Get("/api/v1/audit?kind=tickets", super_).status, 400);
  EXPECT_EQ(c().Get("/api/v1/audit?cursor=abc", super_).status, 400);
  EXPECT_EQ(c().Get("/api/v1/audit?colour=red", super_).status, 400);
}

TEST_F(AuditApiTest, CustomersAgentsAndAnonymousCallersAreRefused) {
  EXPECT_EQ(c().Get("/api/v1/audit", carla_).status, 403);
  EXPECT_EQ(c().Get("/api/v1/audit", agent_).status, 403);
  EXPECT_EQ(c().Get("/api/v1/audit").status, 401);
  EXPECT_EQ(c().Get("/api/v1/audit", super_).status, 200);
}

}  // namespace
}  // namespace soporte::test
