// The ticket API end to end: the real `soporte serve` (ASan build in CI) on loopback, its data
// made with the real CLI, driven over HTTP/1.1 as a customer (session cookie + CSRF) and as
// support staff (Bearer token). Every test owns its server and data directory.
//
// Times are pinned with `received_at` (staff only) at instants in the past, so response due
// times are exact values on the contract's calendar (America/Bogota, UTC-5, no DST):
// 8x5 = Monday–Friday 08:00–18:00 without Colombian holidays; targets normal 8 h, important 4 h,
// critical 2 h.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "correct horse 1";

// A 1×1 transparent PNG (67 bytes).
const std::string& TinyPng() {
  static const std::string png = [] {
    static const unsigned char bytes[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
        0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
        0x42, 0x60, 0x82};
    return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }();
  return png;
}

std::string RandomBytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t x = rng();
    for (std::size_t j = 0; j < 8 && i + j < n; ++j) out[i + j] = static_cast<char>((x >> (j * 8)) & 0xff);
  }
  return out;
}

std::vector<std::int64_t> Numbers(const json::object& list) {
  std::vector<std::int64_t> out;
  for (const auto& t : list.at("tickets").as_array()) out.push_back(Int(t, "number"));
  return out;
}

std::string T(std::int64_t number, std::string_view tail = {}) {
  return "/api/v1/tickets/" + std::to_string(number) + std::string(tail);
}

std::int64_t NowEpoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

// Two organisations: acme holds a 24x7 contract, initech only an 8x5 one (no phone line).
// Users: a supervisor, an agent (also with an API token), alice (customer of acme) and ivan
// (customer of initech). Contracts are in force from 2026-01-01 so past receptions are valid.
class ApiTest : public ::testing::Test {
 protected:
  virtual std::vector<std::string> ServeArgs() const { return {}; }

  void SetUp() override {
    data_.emplace();
    data_->AddOrg("acme", "ACME Logística");
    acme_contract_ = data_->AddContract("acme", "24x7");
    data_->AddOrg("initech", "Initech");
    initech_contract_ = data_->AddContract("initech", "8x5");
    super_id_ = data_->AddUser("super@example.com", "Sergio Supervisor", "supervisor", "", kPassword);
    agent_id_ = data_->AddUser("agent@example.com", "Andrea Agente", "agent", "", kPassword);
    alice_id_ = data_->AddUser("alice@acme.example", "Alice Cliente", "customer", "acme", kPassword);
    ivan_id_ = data_->AddUser("ivan@initech.example", "Iván Cliente", "customer", "initech", kPassword);
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    server_.emplace(ServerProcess::Start(data_->path(), ServeArgs()));
    client_.emplace(server_->port());
  }

  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      const int code = server_->Stop();
      EXPECT_EQ(code, 0) << "soporte serve did not shut down cleanly on SIGTERM; it printed:\n"
                         << server_->output();
    }
  }

  HttpClient& c() { return *client_; }

  // Creates a ticket as `who` and returns the 201 body.
  json::object Create(const Auth& who, json::object body) {
    return Expect(c().Post("/api/v1/tickets", body, who), 201, "POST /api/v1/tickets");
  }

  // A staff ticket for `org` received at `received_at` (ISO), on the portal.
  json::object StaffTicket(std::string org, std::string criticality, std::string received_at,
                           std::string subject = "Pinned ticket") {
    json::object body{{"org", org}, {"type", "incident"}, {"criticality", criticality},
                      {"channel", "portal"}, {"subject", subject}, {"received_at", received_at}};
    return Create(agent_, std::move(body));
  }

  json::object Patch(std::int64_t number, json::object body, const Auth& who) {
    return Expect(c().Patch(T(number), body, who), 200, "PATCH " + T(number));
  }

  json::array History(std::int64_t number) {
    return Expect(c().Get(T(number, "/history"), agent_), 200, "history").at("events").as_array();
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  std::int64_t acme_contract_ = 0, initech_contract_ = 0;
  std::int64_t super_id_ = 0, agent_id_ = 0, alice_id_ = 0, ivan_id_ = 0;
  Auth agent_;
};

TEST_F(ApiTest, CustomerAndAgentHappyPath) {
  // Log in as the customer: user, CSRF token, and an HttpOnly SameSite=Lax session cookie.
  HttpResponse login = c().Post("/api/v1/session", json::object{{"email", "alice@acme.example"},
                                                                {"password", kPassword}});
  json::object session = Expect(login, 200, "login");
  EXPECT_EQ(Int(session.at("user"), "id"), alice_id_);
  EXPECT_EQ(Str(session.at("user"), "email"), "alice@acme.example");
  EXPECT_EQ(Str(session.at("user"), "name"), "Alice Cliente");
  EXPECT_EQ(Str(session.at("user"), "role"), "customer");
  EXPECT_GT(Int(session, "expires_in"), 0);
  const std::string set_cookie = login.Header("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("soporte_session=", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Lax"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("; Secure"), std::string::npos) << "plain HTTP unless --secure-cookies: " << set_cookie;
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  ASSERT_FALSE(alice.session_cookie.empty());

  json::object me = Expect(c().Get("/api/v1/me", alice), 200, "me");
  EXPECT_EQ(Int(me.at("user"), "id"), alice_id_);
  EXPECT_EQ(Str(me, "csrf_token"), alice.csrf_token);
  EXPECT_EQ(Str(me.at("org"), "slug"), "acme");
  EXPECT_EQ(Str(me.at("org"), "name"), "ACME Logística");
  json::object agent_me = Expect(c().Get("/api/v1/me", agent_), 200, "me as agent");
  EXPECT_EQ(Str(agent_me.at("user"), "role"), "agent");
  EXPECT_FALSE(agent_me.contains("csrf_token")) << "a Bearer caller has no CSRF token";
  EXPECT_FALSE(agent_me.contains("org")) << "staff belong to no customer organisation";

  // The customer opens a critical ticket on the portal of a 24x7 contract: due = received + 2 h.
  const std::int64_t before = NowEpoch();
  HttpResponse created = c().Post("/api/v1/tickets",
                                  json::object{{"type", "incident"}, {"criticality", "critical"},
                                               {"channel", "portal"}, {"environment", "prod"},
                                               {"subject", "Caída de facturación"},
                                               {"description", "502 desde las 07:40"},
                                               {"tags", json::array{"billing", "prod"}}},
                                  alice);
  json::object t = Expect(created, 201, "create as customer");
  const std::int64_t after = NowEpoch();
  EXPECT_EQ(created.Header("Location"), "/api/v1/tickets/1001");
  EXPECT_EQ(Int(t, "number"), 1001);
  EXPECT_EQ(Str(t, "org"), "acme");
  EXPECT_EQ(Str(t, "org_name"), "ACME Logística");
  EXPECT_EQ(Int(t, "contract"), acme_contract_);
  EXPECT_EQ(Str(t, "modality"), "24x7");
  EXPECT_EQ(Str(t, "zone"), "America/Bogota");
  EXPECT_EQ(t.at("requester"), (json::value{{"id", alice_id_}, {"name", "Alice Cliente"},
                                            {"email", "alice@acme.example"}}));
  EXPECT_EQ(Str(t, "type"), "incident");
  EXPECT_EQ(Str(t, "criticality"), "critical");
  EXPECT_EQ(Str(t, "status"), "new");
  EXPECT_EQ(Str(t, "channel"), "portal");
  EXPECT_EQ(Str(t, "environment"), "prod");
  EXPECT_EQ(Str(t, "subject"), "Caída de facturación");
  EXPECT_EQ(Str(t, "description"), "502 desde las 07:40");
  EXPECT_TRUE(t.at("assignee").is_null());
  EXPECT_EQ(t.at("tags"), (json::array{"billing", "prod"}));
  EXPECT_TRUE(t.at("first_response_at").is_null());
  EXPECT_EQ(t.at("breached"), json::value(false));
  const std::int64_t received = EpochOf(Str(t, "received_at"));
  EXPECT_GE(received, before - 1);
  EXPECT_LE(received, after + 1);
  EXPECT_TRUE(Str(t, "received_at").ends_with("-05:00")) << Str(t, "received_at");
  EXPECT_EQ(EpochOf(Str(t, "clock_start")), received);
  EXPECT_EQ(EpochOf(Str(t, "response_due")) - received, 2 * 3600) << Str(t, "response_due");
  const std::int64_t version = Int(t, "version");

  // The customer reads it back; the agent (Bearer, no CSRF needed) sees the same ticket.
  json::object as_alice = Expect(c().Get(T(1001), alice), 200, "GET as customer");
  EXPECT_EQ(as_alice.at("response_due"), t.at("response_due"));
  json::object as_agent = Expect(c().Get(T(1001), agent_), 200, "GET as agent");
  EXPECT_EQ(Str(as_agent, "subject"), "Caída de facturación");

  // An internal note does not answer the customer: no first response, still new.
  json::object note = Expect(c().Post(T(1001, "/messages"),
                                      json::object{{"body", "Revisar el balanceador"}, {"internal", true}}, agent_),
                             201, "internal note");
  EXPECT_EQ(note.at("internal"), json::value(true));
  EXPECT_EQ(Int(note.at("author"), "id"), agent_id_);
  EXPECT_EQ(Str(note.at("author"), "role"), "agent");
  json::object still_new = Expect(c().Get(T(1001), agent_), 200, "after note");
  EXPECT_EQ(Str(still_new, "status"), "new");
  EXPECT_TRUE(still_new.at("first_response_at").is_null());

  // The first public staff reply stops the response clock and opens the ticket.
  json::object reply = Expect(c().Post(T(1001, "/messages"),
                                       json::object{{"body", "Estamos revisando, Alice."}}, agent_),
                              201, "public reply");
  EXPECT_EQ(reply.at("internal"), json::value(false));
  EXPECT_EQ(Str(reply, "channel"), "portal");
  EXPECT_EQ(reply.at("author"), (json::value{{"id", agent_id_}, {"name", "Andrea Agente"},
                                             {"email", "agent@example.com"}, {"role", "agent"}}));
  json::object answered = Expect(c().Get(T(1001), alice), 200, "after reply");
  EXPECT_EQ(Str(answered, "status"), "open");
  EXPECT_EQ(answered.at("first_response_at"), reply.at("created_at"));
  EXPECT_EQ(answered.at("breached"), json::value(false));
  EXPECT_GT(Int(answered, "version"), version);

  // The customer never sees the internal note; staff see both, in order.
  json::array alice_msgs = Expect(c().Get(T(1001, "/messages"), alice), 200, "messages").at("messages").as_array();
  ASSERT_EQ(alice_msgs.size(), 1u) << json::serialize(alice_msgs);
  EXPECT_EQ(Str(alice_msgs[0], "body"), "Estamos revisando, Alice.");
  json::array agent_msgs = Expect(c().Get(T(1001, "/messages"), agent_), 200, "messages").at("messages").as_array();
  ASSERT_EQ(agent_msgs.size(), 2u);
  EXPECT_EQ(Int(agent_msgs[0], "id"), Int(note, "id"));
  EXPECT_EQ(Int(agent_msgs[1], "id"), Int(reply, "id"));

  // The customer answers; a customer's internal note is refused.
  json::object answer = Expect(c().Post(T(1001, "/messages"), json::object{{"body", "Gracias"}}, alice),
                               201, "customer message");
  EXPECT_EQ(Str(answer.at("author"), "role"), "customer");
  HttpResponse internal = c().Post(T(1001, "/messages"), json::object{{"body", "x"}, {"internal", true}}, alice);
  EXPECT_EQ(internal.status, 403) << internal.Describe();
  EXPECT_EQ(internal.ErrorCode(), "permission_denied");

  // History: created (by the customer), first response and new→open (by the agent).
  json::array events = History(1001);
  ASSERT_EQ(events.size(), 3u) << json::serialize(events);
  EXPECT_EQ(Str(events[0], "field"), "created");
  EXPECT_EQ(Int(events[0].at("actor"), "id"), alice_id_);
  EXPECT_EQ(Str(events[0], "after"), "new");
  EXPECT_EQ(Str(events[1], "field"), "first_response");
  EXPECT_EQ(events[1].at("after"), answered.at("first_response_at"));
  EXPECT_EQ(Int(events[1].at("actor"), "id"), agent_id_);
  EXPECT_EQ(Str(events[2], "field"), "status");
  EXPECT_EQ(Str(events[2], "before"), "new");
  EXPECT_EQ(Str(events[2], "after"), "open");

  // Resolve (agent), close (customer); a closed ticket takes no more messages.
  HttpResponse early_close = c().Patch(T(1001), json::object{{"status", "closed"}}, alice);
  EXPECT_EQ(early_close.status, 403) << "a customer may close only a resolved ticket: " << early_close.Describe();
  EXPECT_EQ(Str(Patch(1001, {{"status", "resolved"}}, agent_), "status"), "resolved");
  EXPECT_EQ(Str(Patch(1001, {{"status", "closed"}}, alice), "status"), "closed");
  HttpResponse late = c().Post(T(1001, "/messages"), json::object{{"body", "¿Sigue?"}}, alice);
  EXPECT_EQ(late.status, 409) << late.Describe();
  EXPECT_EQ(late.ErrorCode(), "failed_precondition");

  // Everything above went over one kept-alive connection.
  EXPECT_EQ(c().connections_opened(), 1);

  // Log out: needs the CSRF token; then the cookie is cleared and the session is dead.
  HttpResponse no_csrf = c().Delete("/api/v1/session", alice.WithoutCsrf());
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.Describe();
  HttpResponse logout = c().Delete("/api/v1/session", alice);
  EXPECT_EQ(logout.status, 204) << logout.Describe();
  EXPECT_EQ(logout.body, "");
  EXPECT_TRUE(logout.AllHeaders("Content-Type").empty()) << logout.Describe();  // no content to describe
  const std::string cleared = logout.Header("Set-Cookie");
  EXPECT_EQ(cleared.rfind("soporte_session=;", 0), 0u) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
  HttpResponse dead = c().Get("/api/v1/me", alice);
  EXPECT_EQ(dead.status, 401) << dead.Describe();
  EXPECT_EQ(dead.ErrorCode(), "unauthenticated");
  EXPECT_EQ(dead.Header("WWW-Authenticate"), "Bearer realm=\"soporte\"") << dead.Describe();
}

// Due times on the contract's own calendar, pinned with received_at (staff only).
struct DueCase {
  const char* name;
  const char* org;
  const char* criticality;
  const char* channel;
  const char* received_at;
  int status;
  const char* clock_start;  // expected when status is 201
  const char* due;
};

TEST_F(ApiTest, DueIsComputedOnTheContractCalendar) {
  const DueCase cases[] = {
      // 24x7: the clock runs through the weekend.
      {"24x7 critical", "acme", "critical", "portal", "2026-11-20T16:00:00-05:00", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-20T18:00:00-05:00"},
      {"24x7 normal crosses midnight", "acme", "normal", "portal", "2026-11-20T16:00:00-05:00", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-21T00:00:00-05:00"},
      {"24x7 phone", "acme", "critical", "phone", "2026-11-21T03:00:00-05:00", 201,
       "2026-11-21T03:00:00-05:00", "2026-11-21T05:00:00-05:00"},
      // 8x5: Friday 16:00 + 8 business hours = 2 h on Friday + 6 h on Monday.
      {"8x5 normal over a weekend", "initech", "normal", "portal", "2026-11-20T16:00:00-05:00", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-23T14:00:00-05:00"},
      {"8x5 important", "initech", "important", "portal", "2026-11-20T16:00:00-05:00", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-23T10:00:00-05:00"},
      {"8x5 critical ends at the close", "initech", "critical", "portal", "2026-11-20T16:00:00-05:00", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-20T18:00:00-05:00"},
      {"8x5 received on Saturday: due Monday 16:00", "initech", "normal", "portal",
       "2026-11-21T10:00:00-05:00", 201, "2026-11-21T10:00:00-05:00", "2026-11-23T16:00:00-05:00"},
      // Monday 2026-11-16 is a holiday in Colombia (Independencia de Cartagena, moved to Monday).
      {"8x5 skips a holiday Monday", "initech", "normal", "portal", "2026-11-13T16:00:00-05:00", 201,
       "2026-11-13T16:00:00-05:00", "2026-11-17T14:00:00-05:00"},
      {"received_at in UTC", "initech", "normal", "portal", "2026-11-20T21:00:00Z", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-23T14:00:00-05:00"},
      // The 8x5 contract has no phone line.
      {"8x5 phone is refused", "initech", "normal", "phone", "2026-11-20T16:00:00-05:00", 422, "", ""},
      // received_at must not be in the future, and must be an instant.
      {"future reception", "acme", "normal", "portal", "2099-01-01T00:00:00-05:00", 400, "", ""},
      {"reception without offset", "acme", "normal", "portal", "yesterday", 400, "", ""},
  };
  for (const DueCase& k : cases) {
    SCOPED_TRACE(k.name);
    HttpResponse r = c().Post("/api/v1/tickets",
                              json::object{{"org", k.org}, {"type", "incident"}, {"criticality", k.criticality},
                                           {"channel", k.channel}, {"subject", k.name},
                                           {"received_at", k.received_at}},
                              agent_);
    ASSERT_EQ(r.status, k.status) << r.Describe();
    if (k.status != 201) {
      if (k.status == 422) {
        EXPECT_EQ(r.ErrorCode(), "unprocessable");
      }
      if (k.status == 400) {
        EXPECT_EQ(r.ErrorCode(), "invalid_argument");
        EXPECT_NE(r.ErrorMessage().find("received_at"), std::string::npos) << r.Describe();
      }
      continue;
    }
    json::object t = r.Json().as_object();
    EXPECT_EQ(EpochOf(Str(t, "received_at")), EpochOf(k.received_at));
    EXPECT_EQ(Str(t, "clock_start"), k.clock_start);
    EXPECT_EQ(Str(t, "response_due"), k.due);
    EXPECT_EQ(Int(t, "contract"), std::string(k.org) == "acme" ? acme_contract_ : initech_contract_);
    // Long past due, never answered.
    EXPECT_EQ(t.at("breached"), json::value(true));
  }

  // Only staff may back-date a ticket, or open one by phone.
  Auth ivan = Login(c(), "ivan@initech.example", kPassword);
  HttpResponse backdated = c().Post("/api/v1/tickets",
                                    json::object{{"type", "request"}, {"criticality", "normal"},
                                                 {"subject", "x"}, {"received_at", "2026-11-20T16:00:00-05:00"}},
                                    ivan);
  EXPECT_EQ(backdated.status, 400) << backdated.Describe();
  EXPECT_NE(backdated.ErrorMessage().find("received_at"), std::string::npos);
  HttpResponse by_phone = c().Post("/api/v1/tickets",
                                   json::object{{"type", "request"}, {"criticality", "normal"},
                                                {"channel", "phone"}, {"subject", "x"}},
                                   ivan);
  EXPECT_EQ(by_phone.status, 400) << by_phone.Describe();
  EXPECT_NE(by_phone.ErrorMessage().find("channel"), std::string::npos);
  // A customer's own 8x5 ticket, without org: lands in its organisation, normal target.
  json::object own = Create(ivan, {{"type", "request"}, {"criticality", "normal"}, {"subject", "Usuario nuevo"}});
  EXPECT_EQ(Str(own, "org"), "initech");
  EXPECT_EQ(Str(own, "modality"), "8x5");
  EXPECT_EQ(Str(own, "channel"), "portal");
  EXPECT_TRUE(own.at("environment").is_null());
  EXPECT_GT(EpochOf(Str(own, "response_due")), EpochOf(Str(own, "received_at")));
}

TEST_F(ApiTest, PatchAssignsTagsAndRecomputesDueFromTheOriginalReception) {
  json::object t = StaffTicket("initech", "normal", "2026-11-20T16:00:00-05:00");
  const std::int64_t n = Int(t, "number");
  ASSERT_EQ(Str(t, "response_due"), "2026-11-23T14:00:00-05:00");

  // Critical: 2 business hours from Friday 16:00, not from now.
  json::object crit = Patch(n, {{"criticality", "critical"}}, agent_);
  EXPECT_EQ(Str(crit, "criticality"), "critical");
  EXPECT_EQ(Str(crit, "response_due"), "2026-11-20T18:00:00-05:00");
  EXPECT_EQ(Str(crit, "received_at"), "2026-11-20T16:00:00-05:00");
  EXPECT_EQ(Int(crit, "version"), Int(t, "version") + 1);

  json::object assigned = Patch(n, {{"assignee", agent_id_}}, agent_);
  EXPECT_EQ(assigned.at("assignee"), (json::value{{"id", agent_id_}, {"name", "Andrea Agente"},
                                                  {"email", "agent@example.com"}}));
  json::object tagged = Patch(n, {{"tags", json::array{"vpn", "urgente"}}}, agent_);
  EXPECT_EQ(tagged.at("tags"), (json::array{"vpn", "urgente"}));
  json::object unassigned = Patch(n, {{"assignee", nullptr}}, agent_);
  EXPECT_TRUE(unassigned.at("assignee").is_null());

  // A customer cannot be an assignee; customers change nothing but resolved → closed/open.
  HttpResponse bad_assignee = c().Patch(T(n), json::object{{"assignee", ivan_id_}}, agent_);
  EXPECT_EQ(bad_assignee.status, 400) << bad_assignee.Describe();
  Auth ivan = Login(c(), "ivan@initech.example", kPassword);
  HttpResponse cust_crit = c().Patch(T(n), json::object{{"criticality", "normal"}}, ivan);
  EXPECT_EQ(cust_crit.status, 403) << cust_crit.Describe();
  HttpResponse empty = c().Patch(T(n), json::object{}, agent_);
  EXPECT_EQ(empty.status, 400) << empty.Describe();

  json::array events = History(n);
  std::vector<std::string> fields;
  for (const auto& e : events) fields.push_back(Str(e, "field"));
  EXPECT_EQ(fields, (std::vector<std::string>{"created", "criticality", "response_due", "assignee", "tags",
                                              "assignee"}));
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(Str(events[1], "before"), "normal");
  EXPECT_EQ(Str(events[1], "after"), "critical");
  EXPECT_EQ(Str(events[2], "before"), "2026-11-23T14:00:00-05:00");
  EXPECT_EQ(Str(events[2], "after"), "2026-11-20T18:00:00-05:00");
  EXPECT_EQ(Int(events[2].at("actor"), "id"), agent_id_);
  EXPECT_EQ(Str(events[3], "after"), "agent@example.com");
  EXPECT_EQ(Str(events[5], "before"), "agent@example.com");
  EXPECT_EQ(Str(events[5], "after"), "");

  // The stored ticket matches the last answer.
  json::object stored = Expect(c().Get(T(n), agent_), 200, "GET");
  EXPECT_EQ(stored, unassigned);
}

// The status lifecycle: every legal move once, then each illegal move answers 409 and changes
// nothing.
TEST_F(ApiTest, StatusLifecycle) {
  const std::int64_t n = Int(StaffTicket("acme", "normal", "2026-11-20T16:00:00-05:00"), "number");
  for (const char* to : {"open", "waiting_customer", "open", "resolved", "open", "waiting_customer",
                         "resolved", "closed"}) {
    SCOPED_TRACE(to);
    EXPECT_EQ(Str(Patch(n, {{"status", to}}, agent_), "status"), to);
  }
  std::size_t status_events = 0;
  for (const auto& e : History(n)) status_events += Str(e, "field") == "status";
  EXPECT_EQ(status_events, 8u);

  struct Illegal {
    std::vector<const char*> path;  // legal moves from new
    const char* to;
  };
  const Illegal illegal[] = {
      {{}, "closed"},
      {{"open"}, "new"},
      {{"open"}, "closed"},
      {{"waiting_customer"}, "new"},
      {{"waiting_customer"}, "closed"},
      {{"resolved"}, "waiting_customer"},
      {{"resolved"}, "new"},
      {{"resolved", "closed"}, "open"},
      {{"resolved", "closed"}, "resolved"},
      {{"resolved", "closed"}, "waiting_customer"},
  };
  for (const Illegal& k : illegal) {
    const std::int64_t m = Int(StaffTicket("acme", "important", "2026-11-20T16:00:00-05:00"), "number");
    std::string from = "new";
    for (const char* step : k.path) from = Str(Patch(m, {{"status", step}}, agent_), "status");
    SCOPED_TRACE(from + " → " + k.to);
    HttpResponse r = c().Patch(T(m), json::object{{"status", k.to}}, agent_);
    EXPECT_EQ(r.status, 409) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "failed_precondition");
    EXPECT_EQ(Str(Expect(c().Get(T(m), agent_), 200, "GET"), "status"), from);
  }

  // Customers: only close or reopen a resolved ticket.
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  const std::int64_t k = Int(StaffTicket("acme", "normal", "2026-11-20T16:00:00-05:00"), "number");
  HttpResponse resolve = c().Patch(T(k), json::object{{"status", "resolved"}}, alice);
  EXPECT_EQ(resolve.status, 403) << resolve.Describe();
  Patch(k, {{"status", "resolved"}}, agent_);
  EXPECT_EQ(Str(Patch(k, {{"status", "open"}}, alice), "status"), "open");
  HttpResponse wait = c().Patch(T(k), json::object{{"status", "waiting_customer"}}, alice);
  EXPECT_EQ(wait.status, 403) << wait.Describe();
}

TEST_F(ApiTest, ListFiltersAndCursorPagination) {
  // 25 back-dated acme tickets (7 minutes apart, criticality cycling), 2 for initech, and one
  // acme ticket the customer opens now (the only one not yet breached).
  const char* kCrit[] = {"normal", "important", "critical"};
  std::map<std::int64_t, json::object> acme;
  const std::int64_t base = EpochOf("2026-11-20T08:00:00-05:00");
  for (int i = 0; i < 25; ++i) {
    const std::int64_t at = base + i * 7 * 60;
    char iso[32];
    const std::time_t tt = static_cast<std::time_t>(at - 5 * 3600);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%S-05:00", &tm);
    json::object t = StaffTicket("acme", kCrit[i % 3], iso, "list " + std::to_string(i));
    acme[Int(t, "number")] = t;
  }
  std::vector<std::int64_t> initech;
  for (int i = 0; i < 2; ++i)
    initech.push_back(Int(StaffTicket("initech", "normal", "2026-11-20T09:00:00-05:00"), "number"));
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  json::object fresh = Create(alice, {{"type", "request"}, {"criticality", "normal"}, {"subject", "nuevo"}});
  acme[Int(fresh, "number")] = fresh;

  // Expected order: response_due, then number.
  std::vector<std::pair<std::int64_t, std::int64_t>> order;
  for (const auto& [n, t] : acme) order.emplace_back(EpochOf(Str(t, "response_due")), n);
  std::sort(order.begin(), order.end());
  std::vector<std::int64_t> expected;
  for (const auto& [due, n] : order) expected.push_back(n);

  // Pages of 10 over org=acme: 10, 10, 6, then no cursor.
  std::vector<std::int64_t> seen;
  std::vector<std::size_t> sizes;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    std::string target = "/api/v1/tickets?org=acme&limit=10";
    if (!cursor.empty()) target += "&cursor=" + cursor;
    json::object body = Expect(c().Get(target, agent_), 200, target);
    const auto numbers = Numbers(body);
    sizes.push_back(numbers.size());
    seen.insert(seen.end(), numbers.begin(), numbers.end());
    if (body.at("next_cursor").is_null()) break;
    cursor = Str(body, "next_cursor");
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{10, 10, 6}));
  EXPECT_EQ(seen, expected);

  auto list = [&](const std::string& query, const Auth& who) {
    return Numbers(Expect(c().Get("/api/v1/tickets?" + query, who), 200, query));
  };
  auto sorted_subset = [&](auto pred) {
    std::vector<std::int64_t> out;
    for (std::int64_t n : expected)
      if (pred(acme.at(n))) out.push_back(n);
    return out;
  };
  EXPECT_EQ(list("org=acme&criticality=critical&limit=200", agent_),
            sorted_subset([](const json::object& t) { return Str(t, "criticality") == "critical"; }));
  EXPECT_EQ(list("org=initech", agent_), initech);
  EXPECT_EQ(list("breached=false", agent_), (std::vector<std::int64_t>{Int(fresh, "number")}));
  EXPECT_EQ(list("org=acme&breached=true&limit=200", agent_).size(), 25u);

  // Reply to three (→ open), assign two.
  std::vector<std::int64_t> replied(expected.begin() + 3, expected.begin() + 6);
  for (std::int64_t n : replied)
    Expect(c().Post(T(n, "/messages"), json::object{{"body", "Hola"}}, agent_), 201, "reply");
  std::vector<std::int64_t> assigned{expected[7], expected[9]};
  for (std::int64_t n : assigned) Patch(n, {{"assignee", agent_id_}}, agent_);
  EXPECT_EQ(list("status=open", agent_), replied);
  EXPECT_EQ(list("assignee=" + std::to_string(agent_id_), agent_), assigned);
  EXPECT_EQ(list("assignee=none&org=initech", agent_), initech);
  EXPECT_EQ(list("status=new&org=initech&criticality=normal", agent_), initech);

  // A customer lists only its own organisation, whatever it asks for.
  EXPECT_EQ(list("limit=200", alice), expected);
  EXPECT_EQ(list("org=initech", alice), std::vector<std::int64_t>{});

  // Bad queries are 400 and say what is wrong.
  for (const char* q : {"colour=red", "limit=0", "limit=201", "limit=ten", "status=done",
                        "breached=yes", "assignee=me", "cursor=garbage"}) {
    SCOPED_TRACE(q);
    HttpResponse r = c().Get(std::string("/api/v1/tickets?") + q, agent_);
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "invalid_argument");
    const std::string key(q, std::strchr(q, '='));
    EXPECT_NE(r.ErrorMessage().find(key), std::string::npos) << "the message names '" << key << "': " << r.Describe();
  }
}

TEST_F(ApiTest, AttachmentsUploadSniffDownloadAndHistory) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  const std::int64_t n = Int(Create(alice, {{"type", "incident"}, {"criticality", "important"},
                                            {"subject", "Pantallazo"}}), "number");

  // A PNG sent as "x.txt" with text/plain comes back as image/png (sniffed from the bytes).
  auto [png_type, png_body] = BuildMultipart({{"file", "x.txt", "text/plain", TinyPng()}});
  HttpResponse up = c().Send("POST", T(n, "/attachments"), alice, png_body, png_type);
  json::array png_list = Expect(up, 201, "upload png").at("attachments").as_array();
  ASSERT_EQ(png_list.size(), 1u);
  const json::value png = png_list[0];
  EXPECT_EQ(Str(png, "filename"), "x.txt");
  EXPECT_EQ(Str(png, "content_type"), "image/png");
  EXPECT_EQ(Int(png, "size"), static_cast<std::int64_t>(TinyPng().size()));
  EXPECT_EQ(Str(png, "sha256"), Sha256Hex(TinyPng()));
  EXPECT_EQ(Str(png, "url"), "/api/v1/attachments/" + std::to_string(Int(png, "id")));
  EXPECT_TRUE(Str(png, "created_at").ends_with("-05:00"));

  // 5 MB of random bytes (agent, Bearer), with a plain form field beside the file.
  const std::string big = RandomBytes(5 * 1024 * 1024, 42);
  auto [big_type, big_body] = BuildMultipart({{"comment", "", "", "volcado"},
                                              {"file", "dump.bin", "application/octet-stream", big}});
  json::array big_list = Expect(c().Send("POST", T(n, "/attachments"), agent_, big_body, big_type), 201,
                                "upload 5 MB").at("attachments").as_array();
  ASSERT_EQ(big_list.size(), 1u) << "the plain field is not a file";
  const json::value dump = big_list[0];
  EXPECT_EQ(Int(dump, "size"), static_cast<std::int64_t>(big.size()));
  EXPECT_EQ(Str(dump, "sha256"), Sha256Hex(big));
  EXPECT_EQ(Str(dump, "content_type"), "application/octet-stream");

  // Download both: same bytes, same digest, the sniffed type, a safe Content-Disposition.
  HttpResponse got_png = c().Get(Str(png, "url"), alice);
  ASSERT_EQ(got_png.status, 200) << got_png.Describe();
  EXPECT_EQ(got_png.body, TinyPng());
  EXPECT_EQ(got_png.Header("Content-Type"), "image/png");
  EXPECT_EQ(got_png.Header("Content-Disposition"), "inline; filename*=UTF-8''x.txt");
  EXPECT_EQ(got_png.Header("X-Content-Type-Options"), "nosniff");
  HttpResponse got_big = c().Get(Str(dump, "url"), alice);
  ASSERT_EQ(got_big.status, 200) << got_big.status;
  EXPECT_EQ(got_big.body.size(), big.size());
  EXPECT_TRUE(got_big.body == big) << "downloaded bytes differ from the upload";
  EXPECT_EQ(Sha256Hex(got_big.body), Str(dump, "sha256"));
  EXPECT_EQ(got_big.Header("Content-Disposition"), "attachment; filename*=UTF-8''dump.bin");
  // HEAD: the download's status and headers, its length, and no body; the connection goes on.
  const int opened = c().connections_opened();
  HttpResponse head_big = c().Send("HEAD", Str(dump, "url"), alice);
  EXPECT_EQ(head_big.status, 200) << head_big.Describe();
  EXPECT_EQ(head_big.Header("Content-Length"), std::to_string(big.size()));
  EXPECT_EQ(head_big.Header("Content-Disposition"), "attachment; filename*=UTF-8''dump.bin");
  EXPECT_EQ(head_big.body, "");
  HttpResponse head_missing = c().Send("HEAD", "/api/v1/attachments/999999", alice);
  EXPECT_EQ(head_missing.status, 404);
  EXPECT_EQ(head_missing.body, "");
  EXPECT_EQ(c().Get(Str(png, "url"), alice).body, TinyPng());
  EXPECT_EQ(c().connections_opened(), opened);

  // Listing and history.
  json::array listed = Expect(c().Get(T(n, "/attachments"), alice), 200, "list").at("attachments").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0], png);
  EXPECT_EQ(listed[1], dump);
  std::vector<std::string> attached;
  for (const auto& e : History(n))
    if (Str(e, "field") == "attachment") attached.push_back(Str(e, "after"));
  EXPECT_EQ(attached, (std::vector<std::string>{"x.txt", "dump.bin"}));

  // Not multipart: 415. Multipart without a file: 400. No CSRF: 403. Missing: 404.
  HttpResponse json_upload = c().Post(T(n, "/attachments"), json::object{{"file", "x"}}, agent_);
  EXPECT_EQ(json_upload.status, 415) << json_upload.Describe();
  EXPECT_EQ(json_upload.ErrorCode(), "unsupported_media_type");
  auto [field_type, field_body] = BuildMultipart({{"comment", "", "", "sin archivo"}});
  HttpResponse no_file = c().Send("POST", T(n, "/attachments"), agent_, field_body, field_type);
  EXPECT_EQ(no_file.status, 400) << no_file.Describe();
  HttpResponse no_csrf = c().Send("POST", T(n, "/attachments"), alice.WithoutCsrf(), png_body, png_type);
  EXPECT_EQ(no_csrf.status, 403) << no_csrf.Describe();
  HttpResponse missing = c().Get("/api/v1/attachments/999999", agent_);
  EXPECT_EQ(missing.status, 404) << missing.Describe();
  EXPECT_EQ(missing.ErrorCode(), "not_found");

  // A closed ticket takes no attachments.
  Patch(n, {{"status", "resolved"}}, agent_);
  Patch(n, {{"status", "closed"}}, agent_);
  HttpResponse closed = c().Send("POST", T(n, "/attachments"), agent_, png_body, png_type);
  EXPECT_EQ(closed.status, 409) << closed.Describe();
  EXPECT_EQ(Expect(c().Get(T(n, "/attachments"), alice), 200, "list").at("attachments").as_array().size(), 2u);
}

// Behind a TLS proxy: `serve --secure-cookies` marks the session cookie (and its clearing) Secure.
class SecureCookieTest : public ApiTest {
 protected:
  std::vector<std::string> ServeArgs() const override { return {"--secure-cookies"}; }
};

TEST_F(SecureCookieTest, TheSessionCookieIsSecure) {
  HttpResponse login = c().Post("/api/v1/session", json::object{{"email", "alice@acme.example"},
                                                                {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.Describe();
  const std::string set_cookie = login.Header("Set-Cookie");
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  HttpResponse logout = c().Delete("/api/v1/session", alice);
  EXPECT_EQ(logout.status, 204) << logout.Describe();
  EXPECT_NE(logout.Header("Set-Cookie").find("; Secure"), std::string::npos) << logout.Header("Set-Cookie");
}

class SmallAttachmentLimitTest : public ApiTest {
 protected:
  std::vector<std::string> ServeArgs() const override { return {"--attachment-limit-mb", "1"}; }
};

TEST_F(SmallAttachmentLimitTest, FileOverTheLimitIs413AndStoresNothing) {
  const std::int64_t n = Int(StaffTicket("acme", "normal", "2026-11-20T16:00:00-05:00"), "number");
  const std::string exactly = RandomBytes(1024 * 1024, 7);
  auto [type, body] = BuildMultipart({{"file", "exactly-1mb.bin", "", exactly}});
  json::array ok = Expect(c().Send("POST", T(n, "/attachments"), agent_, body, type), 201,
                          "a file of exactly the limit").at("attachments").as_array();
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(Int(ok[0], "size"), 1024 * 1024);

  const std::string over = RandomBytes(1024 * 1024 + 1, 8);
  auto [over_type, over_body] = BuildMultipart({{"file", "over.bin", "", over}});
  HttpResponse r = c().Send("POST", T(n, "/attachments"), agent_, over_body, over_type);
  EXPECT_EQ(r.status, 413) << r.Describe();
  EXPECT_EQ(r.ErrorCode(), "too_large");
  EXPECT_NE(r.ErrorMessage().find("over.bin"), std::string::npos) << r.Describe();

  // Nothing of the refused upload was recorded, and the server keeps serving.
  json::array listed = Expect(c().Get(T(n, "/attachments"), agent_), 200, "list").at("attachments").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(Str(listed[0], "filename"), "exactly-1mb.bin");
  EXPECT_EQ(c().Get("/healthz").status, 200);
}

// One row per error the API promises: status, error code, and what the message must name.
struct ErrorCase {
  const char* name;
  const char* method;
  std::string target;
  std::string body;
  const char* content_type;
  int who;  // 0 anonymous, 1 alice (session), 2 alice without CSRF, 3 agent (Bearer), 4 bad bearer, 5 supervisor
  int status;
  const char* code;
  const char* message_names;  // "" = no check
};

TEST_F(ApiTest, ErrorsHaveOneShapeAndTheRightStatus) {
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  Auth super = Login(c(), "super@example.com", kPassword);
  const std::int64_t n = Int(Create(alice, {{"type", "incident"}, {"criticality", "normal"}, {"subject", "x"}}),
                             "number");
  const std::string ticket = T(n);
  auto obj = [](json::object o) { return json::serialize(o); };
  const std::string valid = obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", "s"}});
  const std::string huge = obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", "s"},
                                {"description", std::string(300 * 1024, 'a')}});
  const char* kJson = "application/json";

  const std::vector<ErrorCase> cases = {
      {"unknown field", "POST", "/api/v1/tickets",
       obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", "s"}, {"colour", "red"}}), kJson, 1, 400,
       "invalid_argument", "colour"},
      {"bad JSON", "POST", "/api/v1/tickets", "{\"type\": ", kJson, 1, 400, "invalid_argument", "JSON"},
      {"JSON not an object", "POST", "/api/v1/tickets", "[1,2]", kJson, 1, 400, "invalid_argument", ""},
      {"bad enum", "POST", "/api/v1/tickets", obj({{"type", "incident"}, {"criticality", "urgent"}, {"subject", "s"}}),
       kJson, 1, 400, "invalid_argument", "criticality"},
      {"missing required", "POST", "/api/v1/tickets", obj({{"criticality", "normal"}, {"subject", "s"}}), kJson, 1, 400,
       "invalid_argument", "type"},
      {"wrong type", "POST", "/api/v1/tickets", obj({{"type", "incident"}, {"criticality", "normal"}, {"subject", 7}}),
       kJson, 1, 400, "invalid_argument", "subject"},
      {"bad enum on PATCH", "PATCH", ticket, obj({{"status", "done"}}), kJson, 3, 400, "invalid_argument", "status"},
      {"staff ticket without org", "POST", "/api/v1/tickets", valid, kJson, 3, 400, "invalid_argument", "org"},
      {"no cookie", "GET", "/api/v1/tickets", "", "", 0, 401, "unauthenticated", ""},
      {"no cookie on write", "POST", "/api/v1/tickets", valid, kJson, 0, 401, "unauthenticated", ""},
      {"bad bearer", "GET", "/api/v1/tickets", "", "", 4, 401, "unauthenticated", ""},
      {"CSRF missing", "POST", "/api/v1/tickets", valid, kJson, 2, 403, "permission_denied", "CSRF"},
      {"CSRF missing on PATCH", "PATCH", ticket, obj({{"status", "closed"}}), kJson, 2, 403, "permission_denied", "CSRF"},
      {"customer internal note", "POST", ticket + "/messages", obj({{"body", "b"}, {"internal", true}}), kJson, 1, 403,
       "permission_denied", ""},
      {"customer creates org", "POST", "/api/v1/orgs", obj({{"slug", "evil"}, {"name", "Evil"}}), kJson, 1, 403,
       "permission_denied", ""},
      {"agent creates org", "POST", "/api/v1/orgs", obj({{"slug", "evil"}, {"name", "Evil"}}), kJson, 3, 403,
       "permission_denied", ""},
      {"missing ticket", "GET", "/api/v1/tickets/999999", "", "", 3, 404, "not_found", ""},
      {"ticket number not a number", "GET", "/api/v1/tickets/abc", "", "", 3, 404, "not_found", ""},
      {"missing org", "GET", "/api/v1/orgs/nope", "", "", 3, 404, "not_found", ""},
      {"no such route", "GET", "/api/v1/nothing-here", "", "", 3, 404, "not_found", ""},
      {"taken slug", "POST", "/api/v1/orgs", obj({{"slug", "acme"}, {"name", "Otra"}}), kJson, 5, 409,
       "already_exists", ""},
      {"illegal transition", "PATCH", ticket, obj({{"status", "closed"}}), kJson, 3, 409, "failed_precondition", ""},
      {"JSON body over the route limit", "POST", "/api/v1/tickets", huge, kJson, 3, 413, "too_large", ""},
      {"upload not multipart", "POST", ticket + "/attachments", "just text", "text/plain", 3, 415,
       "unsupported_media_type", ""},
      {"JSON sent as a form", "POST", "/api/v1/tickets", valid, "application/x-www-form-urlencoded", 1, 415,
       "unsupported_media_type", "application/json"},
      {"JSON without a Content-Type", "PATCH", ticket, obj({{"status", "open"}}), "", 3, 415,
       "unsupported_media_type", "application/json"},
      {"phone on an 8x5-only org", "POST", "/api/v1/tickets",
       obj({{"org", "initech"}, {"type", "incident"}, {"criticality", "normal"}, {"channel", "phone"},
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
  EXPECT_EQ(Numbers(Expect(c().Get("/api/v1/tickets", agent_), 200, "list")), std::vector<std::int64_t>{n});
}

TEST_F(ApiTest, LoginIsThrottledPerAccountThenPerAddress) {
  std::string first_message;
  for (int i = 0; i < 5; ++i) {
    HttpResponse r = c().Post("/api/v1/session", json::object{{"email", "alice@acme.example"},
                                                              {"password", "wrong " + std::to_string(i)}});
    ASSERT_EQ(r.status, 401) << "attempt " << i << ": " << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "unauthenticated");
    EXPECT_TRUE(r.Header("Set-Cookie").empty());
    if (i == 0) first_message = r.ErrorMessage();
    EXPECT_EQ(r.ErrorMessage(), first_message);
  }
  // An unknown email is told exactly the same.
  HttpResponse unknown = c().Post("/api/v1/session", json::object{{"email", "nobody@acme.example"},
                                                                  {"password", "whatever1"}});
  EXPECT_EQ(unknown.status, 401) << unknown.Describe();
  EXPECT_EQ(unknown.ErrorMessage(), first_message);

  // Sixth attempt on the account, even with the right password: 429 with Retry-After.
  HttpResponse limited = c().Post("/api/v1/session", json::object{{"email", "alice@acme.example"},
                                                                  {"password", kPassword}});
  EXPECT_EQ(limited.status, 429) << limited.Describe();
  EXPECT_EQ(limited.ErrorCode(), "rate_limited");
  const std::string retry = limited.Header("Retry-After");
  ASSERT_FALSE(retry.empty());
  // The account's failures all happened just now: the lock lasts about the whole 15-minute window,
  // and the header says so (it said 60 while the lock lasted 895 s more).
  EXPECT_GT(std::stoi(retry), 15 * 60 - 120);
  EXPECT_LE(std::stoi(retry), 15 * 60);
  EXPECT_NE(limited.ErrorMessage().find("try again in " + retry + " s"), std::string::npos) << limited.Describe();

  // Another account from the same address still logs in (6 failures < 20), and API tokens are
  // not affected by login throttling.
  Auth ivan = Login(c(), "ivan@initech.example", kPassword);
  EXPECT_FALSE(ivan.session_cookie.empty());
  EXPECT_EQ(c().Get("/api/v1/me", agent_).status, 200);

  // 14 more failures from this address (20 in all): now every account is refused here.
  for (int i = 0; i < 14; ++i) {
    HttpResponse r = c().Post("/api/v1/session", json::object{{"email", "ghost" + std::to_string(i) + "@x.example"},
                                                              {"password", "whatever1"}});
    ASSERT_EQ(r.status, 401) << "failure " << i << ": " << r.Describe();
  }
  HttpResponse address_limited = c().Post("/api/v1/session", json::object{{"email", "super@example.com"},
                                                                          {"password", kPassword}});
  EXPECT_EQ(address_limited.status, 429) << address_limited.Describe();
  EXPECT_FALSE(address_limited.Header("Retry-After").empty());
  // Sessions already open keep working.
  EXPECT_EQ(c().Get("/api/v1/me", ivan).status, 200);
}

TEST_F(ApiTest, AdminEndpointsOrgsContractsUsers) {
  Auth super = Login(c(), "super@example.com", kPassword);
  json::object org = Expect(c().Post("/api/v1/orgs", json::object{{"slug", "globex"}, {"name", "Globex Seguros"}}, super),
                            201, "create org");
  EXPECT_EQ(Str(org, "slug"), "globex");
  EXPECT_EQ(Str(org, "name"), "Globex Seguros");
  EXPECT_EQ(c().Post("/api/v1/orgs", json::object{{"slug", "globex"}, {"name", "Otra"}}, super).status, 409);
  json::object fetched = Expect(c().Get("/api/v1/orgs/globex", agent_), 200, "get org");
  EXPECT_EQ(fetched, org);

  // An 8x5 contract with its own targets; the phone line is for 24x7 only.
  json::object contract = Expect(
      c().Post("/api/v1/orgs/globex/contracts",
               json::object{{"modality", "8x5"}, {"zone", "America/Bogota"}, {"valid_from", "2026-01-01"},
                            {"channels", json::array{"portal", "email"}},
                            {"targets_minutes", json::object{{"normal", 600}, {"important", 240}, {"critical", 60}}}},
               super),
      201, "create contract");
  EXPECT_EQ(Str(contract, "modality"), "8x5");
  EXPECT_EQ(Str(contract, "valid_from"), "2026-01-01");
  EXPECT_TRUE(contract.at("valid_to").is_null());
  EXPECT_EQ(contract.at("channels"), (json::array{"portal", "email"}));
  EXPECT_EQ(contract.at("targets_minutes"), (json::value{{"normal", 600}, {"important", 240}, {"critical", 60}}));
  HttpResponse phone = c().Post("/api/v1/orgs/globex/contracts",
                                json::object{{"modality", "8x5"}, {"channels", json::array{"phone"}}}, super);
  EXPECT_EQ(phone.status, 400) << phone.Describe();
  json::array contracts = Expect(c().Get("/api/v1/orgs/globex/contracts", agent_), 200, "contracts")
                              .at("contracts").as_array();
  ASSERT_EQ(contracts.size(), 1u);
  EXPECT_EQ(contracts[0], contract);

  // The contract's own targets drive the due time: 60 business minutes from Friday 17:30.
  json::object t = StaffTicket("globex", "critical", "2026-11-20T17:30:00-05:00");
  EXPECT_EQ(Int(t, "contract"), Int(contract, "id"));
  EXPECT_EQ(Str(t, "response_due"), "2026-11-23T08:30:00-05:00");

  // Users: a supervisor adds a customer, who can then log in.
  json::object user = Expect(c().Post("/api/v1/users",
                                      json::object{{"email", "gina@globex.example"}, {"name", "Gina"},
                                                   {"role", "customer"}, {"org", "globex"},
                                                   {"password", "globex-pass-1"}},
                                      super),
                             201, "create user");
  EXPECT_EQ(Str(user, "email"), "gina@globex.example");
  EXPECT_EQ(Str(user, "role"), "customer");
  json::array globex_users = Expect(c().Get("/api/v1/users?org=globex", agent_), 200, "users").at("users").as_array();
  ASSERT_EQ(globex_users.size(), 1u);
  EXPECT_EQ(globex_users[0], user);
  Auth gina = Login(c(), "gina@globex.example", "globex-pass-1");
  EXPECT_EQ(Str(Expect(c().Get("/api/v1/me", gina), 200, "me").at("org"), "slug"), "globex");
  HttpResponse agent_makes_admin = c().Post("/api/v1/users",
                                            json::object{{"email", "boss@example.com"}, {"name", "Boss"},
                                                         {"role", "admin"}, {"password", "boss-pass-1"}},
                                            super);
  EXPECT_EQ(agent_makes_admin.status, 403) << "only an admin creates admins: " << agent_makes_admin.Describe();
  HttpResponse unknown_param = c().Get("/api/v1/users?role=agent", agent_);
  EXPECT_EQ(unknown_param.status, 400) << unknown_param.Describe();

  // A customer sees only its own organisation, its contracts and its people.
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  json::array alice_orgs = Expect(c().Get("/api/v1/orgs", alice), 200, "orgs").at("orgs").as_array();
  ASSERT_EQ(alice_orgs.size(), 1u);
  EXPECT_EQ(Str(alice_orgs[0], "slug"), "acme");
  EXPECT_EQ(Expect(c().Get("/api/v1/orgs", agent_), 200, "orgs").at("orgs").as_array().size(), 3u);
  json::array alice_users = Expect(c().Get("/api/v1/users", alice), 200, "users").at("users").as_array();
  ASSERT_EQ(alice_users.size(), 1u);
  EXPECT_EQ(Int(alice_users[0], "id"), alice_id_);
  json::array alice_contracts =
      Expect(c().Get("/api/v1/orgs/acme/contracts", alice), 200, "contracts").at("contracts").as_array();
  ASSERT_EQ(alice_contracts.size(), 1u);
  EXPECT_EQ(Int(alice_contracts[0], "id"), acme_contract_);
  EXPECT_EQ(Str(alice_contracts[0], "modality"), "24x7");
}

// Finds the value of the sample `series` (name plus labels, exactly as exposed); -1 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ')
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
    Create(agent_, {{"org", "acme"}, {"type", "incident"}, {"criticality", crit}, {"subject", "m"}});
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
  EXPECT_EQ(Sample(text, R"(soporte_http_requests_total{route="/api/v1/tickets",method="POST",status="201"})"), 3)
      << text;
  EXPECT_EQ(Sample(text, R"(soporte_http_requests_total{route="/api/v1/tickets/{number}",method="GET",status="404"})"),
            2);
  EXPECT_EQ(Sample(text, R"(soporte_http_requests_total{route="/api/v1/tickets",method="GET",status="401"})"), 1);
  EXPECT_EQ(Sample(text, R"(soporte_http_requests_total{route="/healthz",method="GET",status="200"})"), 1);
  // The histogram is by route only: 3 POSTs + 1 GET on /api/v1/tickets.
  EXPECT_EQ(Sample(text, R"(soporte_http_request_duration_seconds_count{route="/api/v1/tickets"})"), 4);
  EXPECT_EQ(Sample(text, R"(soporte_http_request_duration_seconds_bucket{route="/api/v1/tickets",le="+Inf"})"), 4);
  EXPECT_EQ(Sample(text, R"(soporte_open_tickets{criticality="critical"})"), 2);
  EXPECT_EQ(Sample(text, R"(soporte_open_tickets{criticality="important"})"), 0);
  EXPECT_EQ(Sample(text, R"(soporte_open_tickets{criticality="normal"})"), 1);
  EXPECT_EQ(Sample(text, R"(soporte_sla_breaches{scope="open"})"), 1);
  EXPECT_EQ(Sample(text, R"(soporte_sla_breaches{scope="all"})"), 1);
  // The store's writer (this server's three creations at least) and its checkpointer: counts
  // since start, so Prometheus counters (rate() works on them, a gauge's does not).
  EXPECT_NE(text.find("# TYPE soporte_store_writes_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE soporte_store_checkpoints_total counter\n"), std::string::npos) << text;
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
  const std::int64_t n = Int(Create(alice, {{"type", "incident"}, {"criticality", "normal"}, {"subject", "HEAD"}}),
                             "number");
  HttpResponse head_ticket = c().Send("HEAD", T(n), agent_);
  EXPECT_EQ(head_ticket.status, 200) << head_ticket.Describe();
  EXPECT_EQ(head_ticket.Header("Content-Length"), std::to_string(c().Get(T(n), agent_).body.size()));
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
  EXPECT_EQ(Sample(m.body, R"(soporte_http_requests_total{route="/healthz",method="HEAD",status="200"})"), 1)
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
  for (const auto& [method, target, allow] : std::vector<std::tuple<std::string, std::string, std::string>>{
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
