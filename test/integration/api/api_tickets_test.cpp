// The ticket API end to end (api_fixture.hpp): a customer and an agent through a ticket's life,
// the status lifecycle, and list filters with cursor pagination.
#include <algorithm>

#include "api_fixture.hpp"

namespace soporte::test {
namespace {

using namespace api;  // NOLINT(google-build-using-namespace): the shared fixture

TEST_F(ApiTest, CustomerAndAgentHappyPath) {
  // Log in as the customer: user, CSRF token, and an HttpOnly SameSite=Lax session cookie.
  HttpResponse login = c().Post(
      "/api/v1/session", json::object{{"email", "alice@acme.example"}, {"password", kPassword}});
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
  EXPECT_EQ(set_cookie.find("; Secure"), std::string::npos)
      << "plain HTTP unless --secure-cookies: " << set_cookie;
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
                                  json::object{{"type", "incident"},
                                               {"criticality", "critical"},
                                               {"channel", "portal"},
                                               {"environment", "prod"},
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
  EXPECT_EQ(
      t.at("requester"),
      (json::value{{"id", alice_id_}, {"name", "Alice Cliente"}, {"email", "alice@acme.example"}}));
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
  json::object note =
      Expect(c().Post(T(1001, "/messages"),
                      json::object{{"body", "Revisar el balanceador"}, {"internal", true}}, agent_),
             201, "internal note");
  EXPECT_EQ(note.at("internal"), json::value(true));
  EXPECT_EQ(Int(note.at("author"), "id"), agent_id_);
  EXPECT_EQ(Str(note.at("author"), "role"), "agent");
  json::object still_new = Expect(c().Get(T(1001), agent_), 200, "after note");
  EXPECT_EQ(Str(still_new, "status"), "new");
  EXPECT_TRUE(still_new.at("first_response_at").is_null());

  // The first public staff reply stops the response clock and opens the ticket.
  json::object reply = Expect(
      c().Post(T(1001, "/messages"), json::object{{"body", "Estamos revisando, Alice."}}, agent_),
      201, "public reply");
  EXPECT_EQ(reply.at("internal"), json::value(false));
  EXPECT_EQ(Str(reply, "channel"), "portal");
  EXPECT_EQ(reply.at("author"), (json::value{{"id", agent_id_},
                                             {"name", "Andrea Agente"},
                                             {"email", "agent@example.com"},
                                             {"role", "agent"}}));
  json::object answered = Expect(c().Get(T(1001), alice), 200, "after reply");
  EXPECT_EQ(Str(answered, "status"), "open");
  EXPECT_EQ(answered.at("first_response_at"), reply.at("created_at"));
  EXPECT_EQ(answered.at("breached"), json::value(false));
  EXPECT_GT(Int(answered, "version"), version);

  // The customer never sees the internal note; staff see both, in order.
  json::array alice_msgs =
      Expect(c().Get(T(1001, "/messages"), alice), 200, "messages").at("messages").as_array();
  ASSERT_EQ(alice_msgs.size(), 1u) << json::serialize(alice_msgs);
  EXPECT_EQ(Str(alice_msgs[0], "body"), "Estamos revisando, Alice.");
  json::array agent_msgs =
      Expect(c().Get(T(1001, "/messages"), agent_), 200, "messages").at("messages").as_array();
  ASSERT_EQ(agent_msgs.size(), 2u);
  EXPECT_EQ(Int(agent_msgs[0], "id"), Int(note, "id"));
  EXPECT_EQ(Int(agent_msgs[1], "id"), Int(reply, "id"));

  // The customer answers; a customer's internal note is refused.
  json::object answer =
      Expect(c().Post(T(1001, "/messages"), json::object{{"body", "Gracias"}}, alice), 201,
             "customer message");
  EXPECT_EQ(Str(answer.at("author"), "role"), "customer");
  HttpResponse internal =
      c().Post(T(1001, "/messages"), json::object{{"body", "x"}, {"internal", true}}, alice);
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
  EXPECT_EQ(early_close.status, 403)
      << "a customer may close only a resolved ticket: " << early_close.Describe();
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
  EXPECT_TRUE(logout.AllHeaders("Content-Type").empty())
      << logout.Describe();  // no content to describe
  const std::string cleared = logout.Header("Set-Cookie");
  EXPECT_EQ(cleared.rfind("soporte_session=;", 0), 0u) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos) << cleared;
  HttpResponse dead = c().Get("/api/v1/me", alice);
  EXPECT_EQ(dead.status, 401) << dead.Describe();
  EXPECT_EQ(dead.ErrorCode(), "unauthenticated");
  EXPECT_EQ(dead.Header("WWW-Authenticate"), "Bearer realm=\"soporte\"") << dead.Describe();
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
    const std::int64_t m =
        Int(StaffTicket("acme", "important", "2026-11-20T16:00:00-05:00"), "number");
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
  json::object fresh =
      Create(alice, {{"type", "request"}, {"criticality", "normal"}, {"subject", "nuevo"}});
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
  EXPECT_EQ(
      list("org=acme&criticality=critical&limit=200", agent_),
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
  // "active": new, open and waiting_customer together (the console's default view); a later
  // single status replaces it.
  auto active = sorted_subset([](const json::object&) { return true; });
  EXPECT_EQ(list("org=acme&status=active&limit=200", agent_), active);
  Patch(expected[4], {{"status", "resolved"}}, agent_);
  active.erase(std::find(active.begin(), active.end(), expected[4]));
  EXPECT_EQ(list("org=acme&status=active&limit=200", agent_), active);
  EXPECT_EQ(list("status=active&org=acme&status=resolved", agent_),
            (std::vector<std::int64_t>{expected[4]}));

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
    EXPECT_NE(r.ErrorMessage().find(key), std::string::npos)
        << "the message names '" << key << "': " << r.Describe();
  }
}

// The consoles' pages are kept between changes (PageCache): a page asked for again comes from
// what was kept, yet every change shows in the very next page, and a customer never gets a page
// kept for staff or for another organisation.
TEST_F(ApiTest, KeptListPagesShowEveryChangeAtOnceAndStayInTheirScope) {
  const std::int64_t a =
      Int(StaffTicket("acme", "normal", "2026-11-20T09:00:00-05:00", "uno"), "number");
  const std::int64_t i =
      Int(StaffTicket("initech", "normal", "2026-11-20T09:00:00-05:00", "dos"), "number");
  Auth alice = Login(c(), "alice@acme.example", kPassword);
  Auth ivan = Login(c(), "ivan@initech.example", kPassword);
  const std::string q = "/api/v1/tickets?status=active&limit=50";
  auto list = [&](const Auth& who) { return Numbers(Expect(c().Get(q, who), 200, q)); };
  using N = std::vector<std::int64_t>;
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(list(agent_), (N{a, i}));
    EXPECT_EQ(list(agent_), (N{a, i}));
    EXPECT_EQ(list(alice), N{a});
    EXPECT_EQ(list(ivan), N{i});
  }
  // Each change is in the next page asked for, by whoever made it or anyone else.
  const std::int64_t b =
      Int(StaffTicket("acme", "critical", "2026-11-20T08:00:00-05:00", "tres"), "number");
  EXPECT_EQ(list(agent_), (N{b, a, i}));
  EXPECT_EQ(list(alice), (N{b, a}));
  Patch(b, {{"status", "resolved"}}, agent_);
  EXPECT_EQ(list(alice), N{a});
  EXPECT_EQ(list(agent_), (N{a, i}));
  Expect(c().Post(T(a, "/messages"), json::object{{"body", "Hola"}}, agent_), 201, "reply");
  const json::object page = Expect(c().Get(q, alice), 200, q);
  EXPECT_EQ(Str(page.at("tickets").as_array().at(0), "status"), "open");

  // The repeated pages above were served from what was kept.
  const HttpResponse m = c().Get("/metrics");
  ASSERT_EQ(m.status, 200) << m.Describe();
  const std::string kept = "soporte_list_pages_total{source=\"kept\"} ";
  const auto at = m.body.find(kept);
  ASSERT_NE(at, std::string::npos) << m.body;
  EXPECT_GT(std::stod(m.body.substr(at + kept.size())), 0.0) << m.body;
}

}  // namespace
}  // namespace soporte::test
