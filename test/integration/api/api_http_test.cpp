// The API at the HTTP edge (api_fixture.hpp): one error shape with the right status, metrics,
// HEAD on every GET route, 501/405 with Allow, and request text that is not UTF-8.
#include "api_fixture.hpp"

namespace soporte::test {
namespace {

using namespace api;  // NOLINT(google-build-using-namespace): the shared fixture

// One row per error the API promises: status, error code, and what the message must name.
struct ErrorCase {
  const char* name;
  const char* method;
  std::string target;
  std::string body;
  const char* content_type;
  int who;  // 0 anonymous, 1 alice (session), 2 alice without CSRF, 3 agent (Bearer), 4 bad bearer,
            // 5 supervisor
  int status;
  const char* code;
  const char* message_names;  // "" = no check
};

TEST_F(ApiTest, ErrorsHaveOneShapeAndTheRightStatus) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  Auth super = Login(c(), "super@example.com", kPassword);
  const std::int64_t n = Int(
      Create(alice, {{"type", "incident"}, {"criticality", "normal"}, {"subject", "x"}}), "number");
  const std::string ticket = T(n);
  auto obj = [](json::object o) { return json::serialize(o); };
  const std::string valid =
      obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", "s"}});
  const std::string huge = obj({{"type", "incident"},
                                {"criticality", "normal"},
                                {"subject", "s"},
                                {"description", std::string(300 * 1024, 'a')}});
  const char* kJson = "application/json";

  const std::vector<ErrorCase> cases = {
      {"unknown field", "POST", "/api/v1/tickets",
       obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", "s"}, {"colour", "red"}}),
       kJson, 1, 400, "invalid_argument", "colour"},
      {"bad JSON", "POST", "/api/v1/tickets", "{\"type\": ", kJson, 1, 400, "invalid_argument",
       "JSON"},
      {"JSON not an object", "POST", "/api/v1/tickets", "[1,2]", kJson, 1, 400, "invalid_argument",
       ""},
      {"bad enum", "POST", "/api/v1/tickets",
       obj({{"type", "incident"}, {"criticality", "urgent"}, {"subject", "s"}}), kJson, 1, 400,
       "invalid_argument", "criticality"},
      {"missing required", "POST", "/api/v1/tickets",
       obj({{"criticality", "normal"}, {"subject", "s"}}), kJson, 1, 400, "invalid_argument",
       "type"},
      {"wrong type", "POST", "/api/v1/tickets",
       obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", 7}}), kJson, 1, 400,
       "invalid_argument", "subject"},
      {"bad enum on PATCH", "PATCH", ticket, obj({{"status", "done"}}), kJson, 3, 400,
       "invalid_argument", "status"},
      {"staff ticket without org", "POST", "/api/v1/tickets", valid, kJson, 3, 400,
       "invalid_argument", "org"},
      {"no cookie", "GET", "/api/v1/tickets", "", "", 0, 401, "unauthenticated", ""},
      {"no cookie on write", "POST", "/api/v1/tickets", valid, kJson, 0, 401, "unauthenticated",
       ""},
      {"bad bearer", "GET", "/api/v1/tickets", "", "", 4, 401, "unauthenticated", ""},
      {"CSRF missing", "POST", "/api/v1/tickets", valid, kJson, 2, 403, "permission_denied",
       "CSRF"},
      {"CSRF missing on PATCH", "PATCH", ticket, obj({{"status", "closed"}}), kJson, 2, 403,
       "permission_denied", "CSRF"},
      {"customer internal note", "POST", ticket + "/messages",
       obj({{"body", "b"}, {"internal", true}}), kJson, 1, 403, "permission_denied", ""},
      {"customer creates org", "POST", "/api/v1/orgs", obj({{"slug", "evil"}, {"name", "Evil"}}),
       kJson, 1, 403, "permission_denied", ""},
      {"agent creates org", "POST", "/api/v1/orgs", obj({{"slug", "evil"}, {"name", "Evil"}}),
       kJson, 3, 403, "permission_denied", ""},
      {"missing ticket", "GET", "/api/v1/tickets/999999", "", "", 3, 404, "not_found", ""},
      {"ticket number not a number", "GET", "/api/v1/tickets/abc", "", "", 3, 404, "not_found", ""},
      {"missing org", "GET", "/api/v1/orgs/nope", "", "", 3, 404, "not_found", ""},
      {"no such route", "GET", "/api/v1/nothing-here", "", "", 3, 404, "not_found", ""},
      {"taken slug", "POST", "/api/v1/orgs", obj({{"slug", "acme"}, {"name", "Otra"}}), kJson, 5,
       409, "already_exists", ""},
      {"illegal transition", "PATCH", ticket, obj({{"status", "closed"}}), kJson, 3, 409,
       "failed_precondition", ""},
      {"JSON body over the route limit", "POST", "/api/v1/tickets", huge, kJson, 3, 413,
       "too_large", ""},
      {"upload not multipart", "POST", ticket + "/attachments", "just text", "text/plain", 3, 415,
       "unsupported_media_type", ""},
      {"JSON sent as a form", "POST", "/api/v1/tickets", valid, "application/x-www-form-urlencoded",
       1, 415, "unsupported_media_type", "application/json"},
      {"JSON without a Content-Type", "PATCH", ticket, obj({{"status", "open"}}), "", 3, 415,
       "unsupported_media_type", "application/json"},
      {"phone on an 8x5-only org", "POST", "/api/v1/tickets",
       obj({{"org", "initech"},
            {"type", "incident"},
            {"criticality", "normal"},
            {"channel", "phone"},
            {"subject", "s"}}),
       kJson, 3, 422, "unprocessable", "phone"},
  };
  for (const ErrorCase& k : cases) {
    SCOPED_TRACE(k.name);
    Auth who;
    switch (k.who) {
      case 1: who = alice; break;
      case 2: who = alice.WithoutCsrf(); break;
      case 3: who = agent_; break;
      case 4: who = Auth::Bearer("not-a-token"); break;
      case 5: who = super; break;
      default: break;
    }
    HttpResponse r = c().Send(k.method, k.target, who, k.body, k.content_type);
    EXPECT_EQ(r.status, k.status) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), k.code) << r.Describe();
    EXPECT_FALSE(r.ErrorMessage().empty()) << r.Describe();
    EXPECT_EQ(r.Header("Content-Type"), "application/json") << r.Describe();
    if (*k.message_names) {
      EXPECT_NE(r.ErrorMessage().find(k.message_names), std::string::npos)
          << "the message should name '" << k.message_names << "': " << r.Describe();
    }
  }
  // Only the one ticket was created by all of the above.
  EXPECT_EQ(Numbers(Expect(c().Get("/api/v1/tickets", agent_), 200, "list")),
            std::vector<std::int64_t>{n});
}

// Finds the value of the sample `series` (name plus labels, exactly as exposed); -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

TEST_F(ApiTest, MetricsCountTrafficAndTickets) {
  HttpResponse health = c().Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json(), (json::value{{"status", "ok"}}));

  StaffTicket("acme", "critical", "2026-11-20T16:00:00-05:00");  // breached long ago
  for (const char* crit : {"critical", "normal"}) {
    Create(agent_,
           {{"org", "acme"}, {"type", "incident"}, {"criticality", crit}, {"subject", "m"}});
  }
  EXPECT_EQ(c().Get(T(999999), agent_).status, 404);
  EXPECT_EQ(c().Get(T(999998), agent_).status, 404);
  EXPECT_EQ(c().Get("/api/v1/tickets", Auth::Bearer("nope")).status, 401);

  HttpResponse m = c().Get("/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = m.body;
  EXPECT_NE(text.find("# TYPE soporte_http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("# TYPE soporte_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_EQ(
      Sample(text,
             R"(soporte_http_requests_total{route="/api/v1/tickets",method="POST",status="201"})"),
      3)
      << text;
  EXPECT_EQ(
      Sample(
          text,
          R"(soporte_http_requests_total{route="/api/v1/tickets/{number}",method="GET",status="404"})"),
      2);
  EXPECT_EQ(
      Sample(text,
             R"(soporte_http_requests_total{route="/api/v1/tickets",method="GET",status="401"})"),
      1);
  EXPECT_EQ(
      Sample(text, R"(soporte_http_requests_total{route="/healthz",method="GET",status="200"})"),
      1);
  // The histogram is by route only: 3 POSTs + 1 GET on /api/v1/tickets.
  EXPECT_EQ(Sample(text, R"(soporte_http_request_duration_seconds_count{route="/api/v1/tickets"})"),
            4);
  EXPECT_EQ(
      Sample(text,
             R"(soporte_http_request_duration_seconds_bucket{route="/api/v1/tickets",le="+Inf"})"),
      4);
  EXPECT_EQ(Sample(text, R"(soporte_open_tickets{criticality="critical"})"), 2);
  EXPECT_EQ(Sample(text, R"(soporte_open_tickets{criticality="important"})"), 0);
  EXPECT_EQ(Sample(text, R"(soporte_open_tickets{criticality="normal"})"), 1);
  EXPECT_EQ(Sample(text, R"(soporte_sla_breaches{scope="open"})"), 1);
  EXPECT_EQ(Sample(text, R"(soporte_sla_breaches{scope="all"})"), 1);
  // The store's writer (this server's three creations at least) and its checkpointer: counts
  // since start, so Prometheus counters (rate() works on them, a gauge's does not).
  EXPECT_NE(text.find("# TYPE soporte_store_writes_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE soporte_store_checkpoints_total counter\n"), std::string::npos)
      << text;
  EXPECT_GE(Sample(text, R"(soporte_store_writes_total{unit="calls"})"), 3);
  EXPECT_GE(Sample(text, R"(soporte_store_writes_total{unit="transactions"})"), 1);
  EXPECT_GE(Sample(text, R"(soporte_store_checkpoints_total{outcome="run"})"), 0);
  EXPECT_EQ(Sample(text, R"(soporte_store_checkpoints_total{outcome="failed"})"), 0);
  EXPECT_EQ(Sample(text, R"(soporte_store_checkpoints_total{outcome="writer_waited"})"), 0);
}

// RFC 9110 at the server's edge, over one kept-alive connection: a body sent where none belongs
// would be read as the start of the next answer and break the exchange after it.
TEST_F(ApiTest, HeadAnswersEveryGetRouteWithoutABody) {
  HttpResponse get = c().Get("/healthz");
  HttpResponse head = c().Send("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200) << head.Describe();
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("Content-Type"), get.Header("Content-Type"));
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  const std::int64_t n =
      Int(Create(alice, {{"type", "incident"}, {"criticality", "normal"}, {"subject", "HEAD"}}),
          "number");
  HttpResponse head_ticket = c().Send("HEAD", T(n), agent_);
  EXPECT_EQ(head_ticket.status, 200) << head_ticket.Describe();
  EXPECT_EQ(head_ticket.Header("Content-Length"),
            std::to_string(c().Get(T(n), agent_).body.size()));
  EXPECT_EQ(head_ticket.body, "");
  HttpResponse anonymous = c().Send("HEAD", "/api/v1/tickets");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body, "");
  EXPECT_EQ(anonymous.Header("WWW-Authenticate"), "Bearer realm=\"soporte\"");
  HttpResponse wrong = c().Send("PUT", "/healthz");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(c().Get("/healthz").body, get.body);
  EXPECT_EQ(c().connections_opened(), 1);
  HttpResponse m = c().Get("/metrics");
  EXPECT_EQ(
      Sample(m.body, R"(soporte_http_requests_total{route="/healthz",method="HEAD",status="200"})"),
      1)
      << m.body;
}

TEST_F(ApiTest, UnknownMethodsAre501AndEvery405NamesAllow) {
  for (const char* method : {"FOO", "get", "TRACE"}) {
    SCOPED_TRACE(method);
    HttpResponse r = c().Send(method, "/api/v1/tickets", agent_);
    EXPECT_EQ(r.status, 501) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "not_implemented") << r.Describe();
    EXPECT_NE(r.ErrorMessage().find(method), std::string::npos) << r.Describe();
    EXPECT_TRUE(r.AllHeaders("Allow").empty()) << r.Describe();
  }
  for (const auto& [method, target, allow] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"DELETE", "/api/v1/tickets", "GET, HEAD, POST"},
           {"PUT", "/healthz", "GET, HEAD"},
           {"OPTIONS", "/metrics", "GET, HEAD"},
           {"GET", "/api/v1/session", "POST, DELETE"}}) {
    SCOPED_TRACE(method + " " + target);
    HttpResponse r = c().Send(method, target, agent_);
    EXPECT_EQ(r.status, 405) << r.Describe();
    EXPECT_EQ(r.Header("Allow"), allow) << r.Describe();
  }
  EXPECT_EQ(c().Get("/healthz").status, 200);
  EXPECT_EQ(c().connections_opened(), 1);
}

// Percent-decoded request text that is not UTF-8 never reaches a handler (which would quote it in
// its message): every answer is a 400 naming the problem, in a body that is valid UTF-8 JSON.
TEST_F(ApiTest, RequestTextThatIsNotUtf8IsRefusedWithValidJson) {
  struct Probe {
    std::string target;
    std::string names;
  };
  for (const Probe& p : std::vector<Probe>{
           {"/api/v1/orgs/%ff", "request path is not valid UTF-8"},
           {"/api/v1/tickets/%ff%fe", "request path is not valid UTF-8"},
           {"/api/v1/attachments/%c0%af", "request path is not valid UTF-8"},
           {"/api/v1/tickets/1/messages/%ed%a0%80", "request path is not valid UTF-8"},
           {"/api/v1/tickets?foo%ff=1", "query parameter name is not valid UTF-8"},
           {"/api/v1/tickets?q=%e2%82", "query parameter 'q' is not valid UTF-8"}}) {
    SCOPED_TRACE(p.target);
    for (const Auth& who : {agent_, Auth{}}) {
      HttpResponse r = c().Get(p.target, who);
      EXPECT_EQ(r.status, 400) << r.Describe();
      boost::json::parser strict;  // rejects invalid UTF-8
      boost::json::error_code ec;
      strict.write(r.body, ec);
      EXPECT_FALSE(ec) << "not valid UTF-8 JSON: " << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "invalid_argument") << r.Describe();
      EXPECT_NE(r.ErrorMessage().find(p.names), std::string::npos) << r.Describe();
    }
  }
  // Valid UTF-8, percent-encoded, still reaches the handler (which then finds nothing).
  HttpResponse org = c().Get("/api/v1/orgs/ca%C3%ADda", agent_);
  EXPECT_EQ(org.status, 404) << org.Describe();
  EXPECT_NE(org.ErrorMessage().find("caída"), std::string::npos) << org.Describe();
}

}  // namespace
}  // namespace soporte::test
