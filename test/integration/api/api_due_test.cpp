// Response due times through the API (api_fixture.hpp): on the contract's own calendar, and
// recomputed from the original reception when a PATCH changes what they depend on.
#include "api_fixture.hpp"

namespace soporte::test {
namespace {

using namespace api;  // NOLINT(google-build-using-namespace): the shared fixture

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
      {"8x5 critical ends at the close", "initech", "critical", "portal",
       "2026-11-20T16:00:00-05:00", 201, "2026-11-20T16:00:00-05:00", "2026-11-20T18:00:00-05:00"},
      {"8x5 received on Saturday: due Monday 16:00", "initech", "normal", "portal",
       "2026-11-21T10:00:00-05:00", 201, "2026-11-21T10:00:00-05:00", "2026-11-23T16:00:00-05:00"},
      // Monday 2026-11-16 is a holiday in Colombia (Independencia de Cartagena, moved to Monday).
      {"8x5 skips a holiday Monday", "initech", "normal", "portal", "2026-11-13T16:00:00-05:00",
       201, "2026-11-13T16:00:00-05:00", "2026-11-17T14:00:00-05:00"},
      {"received_at in UTC", "initech", "normal", "portal", "2026-11-20T21:00:00Z", 201,
       "2026-11-20T16:00:00-05:00", "2026-11-23T14:00:00-05:00"},
      // The 8x5 contract has no phone line.
      {"8x5 phone is refused", "initech", "normal", "phone", "2026-11-20T16:00:00-05:00", 422, "",
       ""},
      // received_at must not be in the future, and must be an instant.
      {"future reception", "acme", "normal", "portal", "2099-01-01T00:00:00-05:00", 400, "", ""},
      {"reception without offset", "acme", "normal", "portal", "yesterday", 400, "", ""},
  };
  for (const DueCase& k : cases) {
    SCOPED_TRACE(k.name);
    HttpResponse r = c().Post("/api/v1/tickets",
                              json::object{{"org", k.org},
                                           {"type", "incident"},
                                           {"criticality", k.criticality},
                                           {"channel", k.channel},
                                           {"subject", k.name},
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
    EXPECT_EQ(Int(t, "contract"),
              std::string(k.org) == "acme" ? acme_contract_ : initech_contract_);
    // Long past due, never answered.
    EXPECT_EQ(t.at("breached"), json::value(true));
  }

  // Only staff may back-date a ticket, or open one by phone.
  Auth ivan = Login(c(), "ivan@initech.example", kPassword);
  HttpResponse backdated = c().Post("/api/v1/tickets",
                                    json::object{{"type", "request"},
                                                 {"criticality", "normal"},
                                                 {"subject", "x"},
                                                 {"received_at", "2026-11-20T16:00:00-05:00"}},
                                    ivan);
  EXPECT_EQ(backdated.status, 400) << backdated.Describe();
  EXPECT_NE(backdated.ErrorMessage().find("received_at"), std::string::npos);
  HttpResponse by_phone = c().Post(
      "/api/v1/tickets",
      json::object{
          {"type", "request"}, {"criticality", "normal"}, {"channel", "phone"}, {"subject", "x"}},
      ivan);
  EXPECT_EQ(by_phone.status, 400) << by_phone.Describe();
  EXPECT_NE(by_phone.ErrorMessage().find("channel"), std::string::npos);
  // A customer's own 8x5 ticket, without org: lands in its organisation, normal target.
  json::object own =
      Create(ivan, {{"type", "request"}, {"criticality", "normal"}, {"subject", "Usuario nuevo"}});
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
  EXPECT_EQ(
      assigned.at("assignee"),
      (json::value{{"id", agent_id_}, {"name", "Andrea Agente"}, {"email", "agent@example.com"}}));
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

  // The SLA watch may write its own entries (sla_warning, sla_breached) between these edits: the
  // ticket was received long ago. Only the edits are compared (CI met the race once).
  json::array events;
  for (const auto& e : History(n)) {
    if (!Str(e, "field").starts_with("sla_")) events.push_back(e);
  }
  std::vector<std::string> fields;
  for (const auto& e : events) fields.push_back(Str(e, "field"));
  EXPECT_EQ(fields, (std::vector<std::string>{"created", "criticality", "response_due", "assignee",
                                              "tags", "assignee"}));
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(Str(events[1], "before"), "normal");
  EXPECT_EQ(Str(events[1], "after"), "critical");
  EXPECT_EQ(Str(events[2], "before"), "2026-11-23T14:00:00-05:00");
  EXPECT_EQ(Str(events[2], "after"), "2026-11-20T18:00:00-05:00");
  EXPECT_EQ(Int(events[2].at("actor"), "id"), agent_id_);
  EXPECT_EQ(Str(events[3], "after"), "agent@example.com");
  EXPECT_EQ(Str(events[5], "before"), "agent@example.com");
  EXPECT_EQ(Str(events[5], "after"), "");

  // The stored ticket matches the last answer, but for what each answer computes from the clock
  // when it is made (the share of the response target used, the resolution clock's elapsed time):
  // the requests in between take long enough to cross a second.
  json::object stored = Expect(c().Get(T(n), agent_), 200, "GET");
  for (json::object* o : {&stored, &unassigned}) {
    o->erase("response_used");
    o->at("resolution").as_object().erase("elapsed_seconds");
  }
  EXPECT_EQ(stored, unassigned) << json::serialize(stored) << "\n" << json::serialize(unassigned);
}

}  // namespace
}  // namespace soporte::test
