// What only staff may reach: the email desk and the calendars (isolation_fixture.hpp).
#include "isolation_fixture.hpp"

namespace soporte::test {
namespace {

using namespace isolation;  // NOLINT(google-build-using-namespace): the shared fixture

// The email desk (kept inbound mail, failed outgoing mail) is staff's only: a customer gets 403
// from every route and nothing of the mail; staff get it (so the 403s are about the caller).
TEST_F(IsolationTest, EmailDeskIsStaffOnly) {
  HttpClient& c = *client_;
  const std::string m = "/api/v1/inbound/" + std::to_string(kept_mail_);
  struct Call {
    const char* method;
    std::string target;
    std::string body;
  };
  const std::vector<Call> calls = {
      {"GET", "/api/v1/inbound", ""},
      {"GET", "/api/v1/inbound?status=all", ""},
      {"GET", m, ""},
      {"GET", m + "/raw", ""},
      {"GET", m + "/files/0", ""},
      {"POST", m + "/actions", R"({"action":"assign","org":"globex","create_name":"Intruso"})"},
      {"POST", m + "/actions", R"({"action":"spam","reason":"x"})"},
      {"GET", "/api/v1/outbox/failed", ""},
      {"GET", "/api/v1/outbox/state", ""},
      {"POST", "/api/v1/outbox/1/retry", ""},
  };
  for (const Auth* who : {&gina_, &alice_}) {
    for (const Call& k : calls) {
      SCOPED_TRACE(std::string(k.method) + " " + k.target);
      HttpResponse r =
          c.Send(k.method, k.target, *who, k.body, k.body.empty() ? "" : "application/json");
      EXPECT_EQ(r.status, 403) << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "permission_denied") << r.Describe();
      EXPECT_EQ(r.body.find("secreto"), std::string::npos) << r.Describe();
      EXPECT_EQ(r.body.find("extra@"), std::string::npos) << r.Describe();
    }
  }
  // Staff read the outgoing queue: this server has no SMTP server, so it says mail waits
  // undelivered; a customer's new ticket queues its acknowledgement there.
  json::object before = Expect(c.Get("/api/v1/outbox/state", agent_), 200, "outbox state");
  EXPECT_FALSE(before.at("delivering").as_bool());
  EXPECT_EQ(Int(before, "failed"), 0);
  Expect(c.Post("/api/v1/tickets",
                json::object{{"type", "request"}, {"criticality", "normal"}, {"subject", "Otra"}},
                alice_),
         201, "another ticket");
  json::object after = Expect(c.Get("/api/v1/outbox/state", agent_), 200, "outbox state");
  EXPECT_EQ(Int(after, "pending"), Int(before, "pending") + 1) << "the acknowledgement waits";
  // A parameter a resource does not take is named in the 400 (field + reason), on every list.
  for (const char* path :
       {"/api/v1/outbox/state?x=1", "/api/v1/outbox/failed?x=1", "/api/v1/inbound?x=1",
        "/api/v1/tickets?x=1", "/api/v1/orgs?x=1", "/api/v1/audit?x=1"}) {
    auto r = c.Get(path, agent_);
    ASSERT_EQ(r.status, 400) << path;
    const json::value body = r.Json();
    const auto& error = body.at("error");
    EXPECT_EQ(error.at("field").as_string(), "x") << path;
    EXPECT_EQ(error.at("reason").as_string(), "unknown_field") << path;
  }
  // Still open, and visible to staff with its text.
  json::object kept = Expect(c.Get(m, agent_), 200, "staff reads the kept mail");
  EXPECT_EQ(Str(kept, "status"), "open");
  EXPECT_EQ(Str(kept, "from"), "extra@nowhere.example");
  EXPECT_NE(Str(kept, "text").find("secreto del buz"), std::string::npos);
  EXPECT_EQ(
      Expect(c.Get("/api/v1/inbound", agent_), 200, "staff list").at("messages").as_array().size(),
      1u);
  EXPECT_EQ(Expect(c.Get("/api/v1/tickets?org=globex", agent_), 200, "globex")
                .at("tickets")
                .as_array()
                .size(),
            1u)
      << "no ticket was created by a customer's assign";
}

// Calendars are the vendor's: a customer gets 403 on every calendar route (existing or not, so
// nothing leaks) and cannot move its own contract's calendar either.
TEST_F(IsolationTest, CalendarsAreForStaffOnly) {
  HttpClient& c = *client_;
  const std::string hours = R"("hours":{"monday":[{"from":"08:00","to":"18:00"}]})";
  for (const Auth& customer : {gina_, alice_}) {
    for (const auto& [method, target, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "/api/v1/calendars", ""},
             {"GET", "/api/v1/calendars/1", ""},
             {"GET", "/api/v1/calendars/999", ""},
             {"POST", "/api/v1/calendars", "{\"name\":\"Intruso\"," + hours + "}"},
             {"PUT", "/api/v1/calendars/1", "{\"name\":\"Intruso\"," + hours + "}"},
             {"POST", "/api/v1/calendars/1/closures", R"({"date":"2026-12-24","reason":"x"})"},
             {"DELETE", "/api/v1/calendars/1/closures/2026-12-24", ""},
             {"PATCH", "/api/v1/orgs/acme/contracts/1", R"({"calendar_id":null})"},
             {"PATCH", "/api/v1/orgs/globex/contracts/2", R"({"calendar_id":null})"}}) {
      SCOPED_TRACE(method + " " + target);
      HttpResponse r =
          c.Send(method, target, customer, body, body.empty() ? "" : "application/json");
      EXPECT_EQ(r.status, 403) << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "permission_denied") << r.Describe();
    }
  }
  EXPECT_EQ(Expect(c.Get("/api/v1/calendars", agent_), 200, "calendars")
                .at("calendars")
                .as_array()
                .size(),
            0u);
}

}  // namespace
}  // namespace soporte::test
