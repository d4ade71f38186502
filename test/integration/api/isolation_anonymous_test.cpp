// Anonymous callers get 401 from every /api/v1 endpoint (isolation_fixture.hpp).
#include "isolation_fixture.hpp"

namespace soporte::test {
namespace {

using namespace isolation;  // NOLINT(google-build-using-namespace): the shared fixture

TEST_F(IsolationTest, AnonymousCallersGet401Everywhere) {
  HttpClient& c = *client_;
  const std::string t = std::to_string(acme_.ticket);
  const std::string a = std::to_string(acme_.attachment);
  struct Anon {
    const char* method;
    std::string target;
    std::string body;
  };
  const std::vector<Anon> calls = {
      {"GET", "/api/v1/me", ""},
      {"DELETE", "/api/v1/session", ""},
      {"GET", "/api/v1/tickets", ""},
      {"POST", "/api/v1/tickets", R"({"type":"incident","criticality":"normal","subject":"s"})"},
      {"GET", "/api/v1/tickets/" + t, ""},
      {"PATCH", "/api/v1/tickets/" + t, R"({"status":"open"})"},
      {"GET", "/api/v1/tickets/" + t + "/messages", ""},
      {"POST", "/api/v1/tickets/" + t + "/messages", R"({"body":"b"})"},
      {"GET", "/api/v1/tickets/" + t + "/attachments", ""},
      {"POST", "/api/v1/tickets/" + t + "/attachments", "multipart"},
      {"GET", "/api/v1/tickets/" + t + "/history", ""},
      {"POST", "/api/v1/tickets/" + t + "/calls", R"({"caller":"x","notes":"y"})"},
      {"GET", "/api/v1/tickets/" + t + "/sla", ""},
      {"GET", "/api/v1/attachments/" + a, ""},
      {"GET", "/api/v1/settings", ""},
      {"PUT", "/api/v1/settings", R"({"phone":"1"})"},
      {"GET", "/api/v1/orgs", ""},
      {"POST", "/api/v1/orgs", R"({"slug":"x","name":"X"})"},
      {"GET", "/api/v1/orgs/acme", ""},
      {"GET", "/api/v1/orgs/acme/contracts", ""},
      {"POST", "/api/v1/orgs/acme/contracts", R"({"modality":"24x7"})"},
      {"GET", "/api/v1/users", ""},
      {"POST", "/api/v1/users",
       R"({"email":"x@x.example","name":"X","role":"agent","password":"12345678"})"},
      {"PATCH", "/api/v1/users/1", R"({"lang":"en"})"},
      {"PATCH", "/api/v1/users/1", R"({"org_admin":true})"},
      {"GET", "/api/v1/users/1/history", ""},
      {"GET", "/api/v1/inbound", ""},
      {"GET", "/api/v1/inbound/" + std::to_string(kept_mail_), ""},
      {"GET", "/api/v1/inbound/" + std::to_string(kept_mail_) + "/raw", ""},
      {"GET", "/api/v1/inbound/" + std::to_string(kept_mail_) + "/files/0", ""},
      {"POST", "/api/v1/inbound/" + std::to_string(kept_mail_) + "/actions",
       R"({"action":"spam","reason":"x"})"},
      {"GET", "/api/v1/outbox/failed", ""},
      {"GET", "/api/v1/outbox/state", ""},
      {"POST", "/api/v1/outbox/1/retry", ""},
      {"GET", "/api/v1/orgs/acme/profile", ""},
      {"GET", "/api/v1/orgs/acme/profile/history", ""},
      {"GET", "/api/v1/orgs/acme/profile/reveals", ""},
      {"POST", "/api/v1/orgs/acme/profile/environments", R"({"kind":"prod","name":"x"})"},
      {"PUT", "/api/v1/orgs/acme/profile/hosts/" + std::to_string(acme_host_),
       R"({"address":"x"})"},
      {"DELETE", "/api/v1/orgs/acme/profile/environments/" + std::to_string(acme_env_), ""},
      {"POST", "/api/v1/orgs/acme/profile/secrets/" + std::to_string(acme_secret_) + "/reveal",
       R"({"reason":"x"})"},
      {"GET", "/api/v1/orgs/acme/profile/export", ""},
      {"POST", "/api/v1/orgs/acme/profile/export", kExportSecrets},
      {"POST", "/api/v1/orgs/acme/profile/import", kImportDocument},
      {"PATCH", "/api/v1/orgs/acme/contracts/1", R"({"calendar_id":null})"},
      {"GET", "/api/v1/calendars", ""},
      {"POST", "/api/v1/calendars",
       R"({"name":"X","hours":{"monday":[{"from":"08:00","to":"18:00"}]}})"},
      {"GET", "/api/v1/calendars/1", ""},
      {"PUT", "/api/v1/calendars/1",
       R"({"name":"X","hours":{"monday":[{"from":"08:00","to":"18:00"}]}})"},
      {"POST", "/api/v1/calendars/1/closures", R"({"date":"2026-12-24","reason":"x"})"},
      {"DELETE", "/api/v1/calendars/1/closures/2026-12-24", ""},
  };
  // Anonymous, a forged cookie, a forged bearer token: all the same 401.
  Auth forged_cookie;
  forged_cookie.session_cookie = "forged";
  forged_cookie.csrf_token = "forged";
  for (const Auth& who : {Auth{}, forged_cookie, Auth::Bearer("forged")}) {
    for (const Anon& k : calls) {
      SCOPED_TRACE(std::string(k.method) + " " + k.target +
                   (who.bearer.empty() ? "" : " (bearer)") +
                   (who.session_cookie.empty() ? "" : " (cookie)"));
      HttpResponse r;
      if (k.body == "multipart") {
        auto [type, body] = BuildMultipart({{"file", "x.txt", "", "x"}});
        r = c.Send(k.method, k.target, who, body, type);
      } else {
        r = c.Send(k.method, k.target, who, k.body, k.body.empty() ? "" : "application/json");
      }
      if (k.target == "/api/v1/session" && !who.session_cookie.empty()) {
        // Logging out of a session that does not exist is idempotent: cookie cleared, 204.
        EXPECT_EQ(r.status, 204) << r.Describe();
        continue;
      }
      EXPECT_EQ(r.status, 401) << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "unauthenticated") << r.Describe();
      EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"soporte\"") << r.Describe();
    }
  }
  // Logging in and the operational endpoints are the only open doors.
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(c.Get("/metrics").status, 200);
  // Nothing was created by anyone above.
  EXPECT_EQ(
      Expect(c.Get("/api/v1/tickets", agent_), 200, "staff list").at("tickets").as_array().size(),
      2u);
  EXPECT_EQ(Expect(c.Get("/api/v1/orgs", agent_), 200, "orgs").at("orgs").as_array().size(), 2u);
  EXPECT_EQ(Expect(c.Get("/api/v1/calendars", agent_), 200, "calendars")
                .at("calendars")
                .as_array()
                .size(),
            0u);
}

}  // namespace
}  // namespace soporte::test
