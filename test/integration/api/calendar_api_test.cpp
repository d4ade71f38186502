// Calendars and closure days through the real API: a supervisor defines a calendar, assigns it to
// an 8x5 contract and closes a day; a ticket created afterwards (staff, pinned `received_at`) gets
// its response due moved past the closed day, while a ticket created before keeps its due. Also
// the errors a client sees (validation, 24x7 contracts, duplicates, permissions). America/Bogota
// is UTC-5 with no DST.
#include <chrono>
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

constexpr char kPassword[] = "calendar pass 1";

json::object Weekdays(std::string name) {
  json::object hours;
  for (const char* d : {"monday", "tuesday", "wednesday", "thursday", "friday"}) {
    hours[d] = json::array{json::object{{"from", "08:00"}, {"to", "18:00"}}};
  }
  return json::object{{"name", name}, {"zone", "America/Bogota"}, {"colombian_holidays", true}, {"hours", hours}};
}

class CalendarApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.emplace();
    data_->AddOrg("initech", "Initech");
    c8_ = data_->AddContract("initech", "8x5");
    c24_ = data_->AddContract("initech", "24x7");
    data_->AddUser("super@example.com", "Sara Supervisora", "supervisor", "", kPassword);
    data_->AddUser("agent@example.com", "Andrea Agente", "agent", "", kPassword);
    data_->AddUser("ivan@initech.example", "Iván Cliente", "customer", "initech", kPassword);
    super_ = Auth::Bearer(data_->CreateToken("super@example.com"));
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    server_.emplace(ServerProcess::Start(data_->path()));
    client_.emplace(server_->port());
    ivan_ = Login(*client_, "ivan@initech.example", kPassword);
  }

  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }

  HttpClient& c() { return *client_; }

  std::int64_t DueOfTicketReceived(const std::string& received_at) {
    json::object body{{"org", "initech"}, {"type", "incident"}, {"criticality", "normal"},
                      {"channel", "portal"}, {"subject", "Pedido bloqueado"}, {"received_at", received_at}};
    auto t = Expect(c().Post("/api/v1/tickets", body, agent_), 201, "ticket");
    return EpochOf(Str(t, "response_due"));
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  std::int64_t c8_ = 0, c24_ = 0;
  Auth super_, agent_, ivan_;
};

TEST_F(CalendarApiTest, ClosingADayMovesTheDueOfTicketsCreatedAfterwards) {
  // Friday 2026-11-06 16:00 Bogota; normal = 8 business hours. Built-in 8x5: Fri 2 h + Mon 6 h =
  // Monday 2026-11-09 14:00 Bogota = 19:00 UTC.
  const std::string received = "2026-11-06T16:00:00-05:00";
  const std::int64_t monday_2pm = EpochOf("2026-11-09T14:00:00-05:00");
  const std::int64_t tuesday_2pm = EpochOf("2026-11-10T14:00:00-05:00");
  ASSERT_EQ(DueOfTicketReceived(received), monday_2pm);

  auto cal = Expect(c().Post("/api/v1/calendars", Weekdays("Planta Initech"), super_), 201, "create calendar");
  const std::int64_t id = Int(cal, "id");
  EXPECT_EQ(Int(cal, "version"), 1);
  const std::string path = "/api/v1/calendars/" + std::to_string(id);
  const std::string contract = "/api/v1/orgs/initech/contracts/" + std::to_string(c8_);
  auto assigned = Expect(c().Patch(contract, json::object{{"calendar_id", id}}, super_), 200, "assign");
  EXPECT_EQ(Int(assigned, "calendar_id"), id);
  // Same hours as the built-in: same due.
  const std::int64_t before_closure = DueOfTicketReceived(received);
  EXPECT_EQ(before_closure, monday_2pm);

  auto closed = Expect(c().Post(path + "/closures", json::object{{"date", "2026-11-09"}, {"reason", "Inventario anual"}}, super_),
                       201, "close monday");
  EXPECT_EQ(Int(closed, "version"), 2);
  ASSERT_EQ(closed.at("closures").as_array().size(), 1u);
  EXPECT_EQ(Str(closed.at("closures").as_array()[0], "reason"), "Inventario anual");

  // Monday closed: Fri 2 h + Tue 6 h = Tuesday 14:00.
  EXPECT_EQ(DueOfTicketReceived(received), tuesday_2pm);
  // The contract list shows the calendar; the first ticket kept its due.
  auto contracts = Expect(c().Get("/api/v1/orgs/initech/contracts", agent_), 200, "contracts");
  EXPECT_EQ(Int(contracts.at("contracts").as_array()[0], "calendar_id"), id);
  auto first = Expect(c().Get("/api/v1/tickets/1001", agent_), 200, "first ticket");
  EXPECT_EQ(EpochOf(Str(first, "response_due")), monday_2pm);

  // Reopening the day restores the due for new tickets.
  Expect(c().Send("DELETE", path + "/closures/2026-11-09", super_, "", ""), 200, "reopen monday");
  EXPECT_EQ(DueOfTicketReceived(received), monday_2pm);
}

TEST_F(CalendarApiTest, PreviewUsesTheContractCalendar) {
  auto cal = Expect(c().Post("/api/v1/calendars", Weekdays("Cerrado por obras"), super_), 201, "create");
  const std::string path = "/api/v1/calendars/" + std::to_string(Int(cal, "id"));
  Expect(c().Patch("/api/v1/orgs/initech/contracts/" + std::to_string(c8_), json::object{{"calendar_id", Int(cal, "id")}}, super_),
         200, "assign");
  // Close every day from yesterday to 12 days ahead (UTC dates; the zone is a few hours off).
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  for (int d = -1; d <= 12; ++d) {
    const std::string day = date::format("%F", date::sys_days{(today + std::chrono::days{d}).time_since_epoch()});
    Expect(c().Post(path + "/closures", json::object{{"date", day}, {"reason", "Obras"}}, super_), 201, "close " + day);
  }
  auto preview = Expect(c().Get("/api/v1/sla/preview?contract=" + std::to_string(c8_) + "&criticality=critical&channel=portal", agent_),
                        200, "preview");
  const std::int64_t due = EpochOf(Str(preview, "response_due"));
  const std::int64_t eleven_days = std::chrono::duration_cast<std::chrono::seconds>(
                                       (today + std::chrono::days{11}).time_since_epoch()).count();
  EXPECT_GT(due, eleven_days) << json::serialize(preview);
}

TEST_F(CalendarApiTest, ErrorsNameTheProblem) {
  json::object bad = Weekdays("Mal");
  bad["hours"].as_object()["monday"] = json::array{json::object{{"from", "08:00"}, {"to", "13:00"}},
                                                   json::object{{"from", "12:00"}, {"to", "18:00"}}};
  auto r = c().Post("/api/v1/calendars", bad, super_);
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_EQ(r.ErrorMessage(), "hours.monday: intervals 08:00–13:00 and 12:00–18:00 overlap");
  json::object zone = Weekdays("Zona");
  zone["zone"] = "Europe/Atlantis";
  EXPECT_EQ(c().Post("/api/v1/calendars", zone, super_).status, 400);
  json::object typo = Weekdays("Typo");
  typo["hours"].as_object()["lunes"] = json::array{};
  EXPECT_EQ(c().Post("/api/v1/calendars", typo, super_).ErrorMessage(), "hours: 'lunes' is not a weekday (monday … sunday)");

  auto cal = Expect(c().Post("/api/v1/calendars", Weekdays("Oficina"), super_), 201, "create");
  const std::string path = "/api/v1/calendars/" + std::to_string(Int(cal, "id"));
  EXPECT_EQ(c().Post("/api/v1/calendars", Weekdays("Oficina"), super_).status, 409);
  Expect(c().Post(path + "/closures", json::object{{"date", "2026-12-24"}, {"reason", "Nochebuena"}}, super_), 201, "close");
  EXPECT_EQ(c().Post(path + "/closures", json::object{{"date", "2026-12-24"}, {"reason", "Otra"}}, super_).status, 409);
  EXPECT_EQ(c().Post(path + "/closures", json::object{{"date", "2026-13-01"}, {"reason", "x"}}, super_).status, 400);
  EXPECT_EQ(c().Send("DELETE", path + "/closures/2026-12-25", super_, "", "").status, 404);
  // A stale version is a 409; the current one updates.
  json::object edit = Weekdays("Oficina central");
  edit["version"] = 1;
  EXPECT_EQ(c().Send("PUT", path, super_, json::serialize(edit), "application/json").status, 409);
  edit["version"] = 2;
  auto updated = Expect(c().Send("PUT", path, super_, json::serialize(edit), "application/json"), 200, "update");
  EXPECT_EQ(Str(updated, "name"), "Oficina central");
  EXPECT_EQ(updated.at("closures").as_array().size(), 1u) << "an update keeps the closure days";
  // 24x7 contracts take no calendar.
  auto r24 = c().Patch("/api/v1/orgs/initech/contracts/" + std::to_string(c24_), json::object{{"calendar_id", Int(cal, "id")}}, super_);
  EXPECT_EQ(r24.status, 422) << r24.Describe();
  EXPECT_EQ(c().Patch("/api/v1/orgs/initech/contracts/" + std::to_string(c8_), json::object{{"calendar_id", 999}}, super_).status, 400);
  // A body not sent as JSON is refused.
  EXPECT_EQ(c().Send("POST", "/api/v1/calendars", super_, json::serialize(Weekdays("X")), "text/plain").status, 415);
}

TEST_F(CalendarApiTest, AgentsReadManagersWriteCustomersNothing) {
  auto cal = Expect(c().Post("/api/v1/calendars", Weekdays("Oficina"), super_), 201, "create");
  const std::string path = "/api/v1/calendars/" + std::to_string(Int(cal, "id"));
  EXPECT_EQ(Expect(c().Get("/api/v1/calendars", agent_), 200, "list").at("calendars").as_array().size(), 1u);
  Expect(c().Get(path, agent_), 200, "get");
  EXPECT_EQ(c().Post("/api/v1/calendars", Weekdays("Agente"), agent_).status, 403);
  EXPECT_EQ(c().Post(path + "/closures", json::object{{"date", "2026-12-24"}, {"reason", "x"}}, agent_).status, 403);
  for (const auto& [method, target, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/api/v1/calendars", ""},
           {"GET", path, ""},
           {"POST", "/api/v1/calendars", json::serialize(Weekdays("Cliente"))},
           {"PUT", path, json::serialize(Weekdays("Cliente"))},
           {"POST", path + "/closures", R"({"date":"2026-12-24","reason":"x"})"},
           {"DELETE", path + "/closures/2026-12-24", ""},
           {"PATCH", "/api/v1/orgs/initech/contracts/" + std::to_string(c8_), R"({"calendar_id":null})"}}) {
    SCOPED_TRACE(method + " " + target);
    auto r = c().Send(method, target, ivan_, body, body.empty() ? "" : "application/json");
    EXPECT_EQ(r.status, 403) << r.Describe();
    EXPECT_EQ(r.body.find("Oficina"), std::string::npos);
  }
}

}  // namespace
}  // namespace soporte::test
