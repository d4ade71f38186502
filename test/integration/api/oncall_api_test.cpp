// The on-call rota and paging through the real server: rota errors name the field; out of the
// staffed hours (a stored calendar that is closed now) a Crítico ticket of a 24x7 contract runs
// the page command (a script that records its stdin), escalates to the secondary when nobody
// acknowledges, and the acknowledge link works once without logging in. Nothing is sent twice
// across a restart; a page command that hangs is killed and one that fails is retried, with
// its error shown in GET /api/v1/oncall/pages.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <date/date.h>

#include "api_fixture.hpp"

namespace soporte::test::api {
namespace {

namespace fs = std::filesystem;

class OnCallApiTest : public ApiTest {
 protected:
  OnCallApiTest() {
    dir_ = fs::temp_directory_path() /
           ("soporte-page-" + std::to_string(::getpid()) + "-" + std::to_string(NowEpoch()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this) % 100000));
    fs::create_directories(dir_);
    script_ = (dir_ / "page.sh").string();
    std::ofstream(script_)
        << "#!/bin/sh\n"
           "d=$(dirname \"$0\")\n"
           "n=$(cat \"$d/count\" 2>/dev/null || echo 0)\n"
           "echo $((n+1)) > \"$d/count\"\n"
           "if [ -f \"$d/hang_first\" ] && [ \"$n\" = 0 ]; then exec sleep 30; fi\n"
           "if [ -f \"$d/fail_second\" ] && [ \"$n\" = 1 ]; then exit 3; fi\n"
           "cat >> \"$d/pages.jsonl\"\n"
           "echo >> \"$d/pages.jsonl\"\n";
    fs::permissions(script_, fs::perms::owner_all);
  }
  ~OnCallApiTest() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::vector<std::string> ServeArgs() const override {
    return {"--page-command",
            script_,
            "--page-escalate-minutes",
            "0.05",
            "--page-interval-seconds",
            "1",
            "--page-command-timeout-seconds",
            "1",
            "--page-retry-seconds",
            "1",
            "--portal-url",
            "http://127.0.0.1:9/"};
  }

  // The pages the script recorded, one JSON object each.
  std::vector<json::object> Recorded() {
    std::vector<json::object> out;
    std::ifstream in(dir_ / "pages.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(json::parse(line).as_object());
    }
    return out;
  }
  // Waits (bounded, 30 s) until the script recorded `n` pages.
  std::vector<json::object> WaitRecorded(std::size_t n) {
    for (int i = 0; i < 300; ++i) {
      auto r = Recorded();
      if (r.size() >= n) return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the page command did not record " << n << " pages";
    return Recorded();
  }

  Auth Super() { return Auth::Bearer(data_->CreateToken("super@example.com")); }

  // Staffed hours that are closed now: a calendar open one minute on Sundays (UTC), with the
  // Sundays around today closed.
  void CloseTheDesk(const Auth& super) {
    json::object hours{{"sunday", json::array{json::object{{"from", "00:00"}, {"to", "00:01"}}}}};
    auto cal = Expect(c().Post("/api/v1/calendars",
                               json::object{{"name", "Nunca"},
                                            {"zone", "UTC"},
                                            {"colombian_holidays", false},
                                            {"hours", hours}},
                               super),
                      201, "calendar");
    const auto today = date::floor<date::days>(std::chrono::system_clock::now());
    const date::weekday wd{today};
    const auto sunday = today - date::days{wd.c_encoding()};
    for (int w = -1; w <= 2; ++w) {
      const std::string day = date::format("%F", sunday + date::days{7 * w});
      Expect(c().Post("/api/v1/calendars/" + std::to_string(Int(cal, "id")) + "/closures",
                      json::object{{"date", day}, {"reason", "Prueba"}}, super),
             201, "closure");
    }
    auto put =
        c().Send("PUT", "/api/v1/oncall/staffed", super,
                 json::serialize(json::object{{"calendar", Int(cal, "id")}}), "application/json");
    Expect(put, 200, "PUT staffed");
  }

  json::object WeekRota() {
    return json::object{{"name", "Guardia"},
                        {"zone", "America/Bogota"},
                        {"shifts", json::array{json::object{{"day", "monday"},
                                                            {"start", "00:00"},
                                                            {"end_day", "monday"},
                                                            {"end", "00:00"},
                                                            {"primary", agent_id_},
                                                            {"secondary", super_id_}}}}};
  }

  fs::path dir_;
  std::string script_;
};

TEST_F(OnCallApiTest, RotaErrorsNameTheField) {
  const Auth super = Super();
  json::object overlap = WeekRota();
  overlap["shifts"].as_array().push_back(json::object{
      {"day", "tuesday"}, {"start", "18:00"}, {"end", "08:00"}, {"primary", agent_id_}});
  auto r = c().Post("/api/v1/oncall/rotas", overlap, super);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("shifts[1]: overlaps shifts[0]"), std::string::npos) << r.body;
  json::object unknown = WeekRota();
  unknown["shifts"].as_array()[0].as_object()["primary"] = 9999;
  r = c().Post("/api/v1/oncall/rotas", unknown, super);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("shifts[0].primary: unknown user 9999"), std::string::npos) << r.body;
  json::object zone = WeekRota();
  zone["zone"] = "Mars/Olympus";
  r = c().Post("/api/v1/oncall/rotas", zone, super);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("zone: 'Mars/Olympus'"), std::string::npos) << r.body;
  json::object time = WeekRota();
  time["shifts"].as_array()[0].as_object()["start"] = "25:00";
  r = c().Post("/api/v1/oncall/rotas", time, super);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("shifts[0].start"), std::string::npos) << r.body;
  r = c().Get("/api/v1/oncall/at?time=ayer", agent_);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("time must be an ISO 8601 date-time"), std::string::npos) << r.body;
  // Agents read but do not change rotas.
  EXPECT_EQ(c().Post("/api/v1/oncall/rotas", WeekRota(), agent_).status, 403);
  Expect(c().Post("/api/v1/oncall/rotas", WeekRota(), super), 201, "rota");
  auto at = Expect(c().Get("/api/v1/oncall/at?time=2026-12-24T02:00:00-05:00", agent_), 200, "at");
  ASSERT_EQ(at.at("rotas").as_array().size(), 1u);
  EXPECT_EQ(Int(at.at("rotas").as_array()[0].at("primary"), "id"), agent_id_);
}

TEST_F(OnCallApiTest, ACriticalTicketAtNightPagesEscalatesAndIsAcknowledgedOnceByLink) {
  const Auth super = Super();
  CloseTheDesk(super);
  Expect(c().Post("/api/v1/oncall/rotas", WeekRota(), super), 201, "rota");
  auto now = Expect(c().Get("/api/v1/oncall/now", agent_), 200, "now");
  EXPECT_FALSE(now.at("staffed").as_bool());

  auto t = Create(agent_, json::object{{"org", "acme"},
                                       {"type", "incident"},
                                       {"criticality", "critical"},
                                       {"channel", "portal"},
                                       {"subject", "Caída total del ERP"}});
  const std::int64_t number = Int(t, "number");
  auto pages = WaitRecorded(2);  // the primary, then (3 s later) the secondary
  EXPECT_EQ(Int(pages[0].at("ticket"), "number"), number);
  EXPECT_EQ(Str(pages[0].at("ticket"), "criticality"), "critical");
  EXPECT_EQ(Str(pages[0], "reason"), "critical_created");
  EXPECT_EQ(Str(pages[0], "level"), "primary");
  EXPECT_EQ(Str(pages[0].at("to"), "email"), "agent@example.com");
  EXPECT_EQ(Str(pages[1], "level"), "secondary");
  EXPECT_EQ(Str(pages[1].at("to"), "email"), "super@example.com");
  const std::string url = Str(pages[1], "ack_url");
  ASSERT_NE(url.find("#/ack?token="), std::string::npos) << url;
  const std::string token = url.substr(url.find("token=") + 6);

  auto open = Expect(c().Get("/api/v1/oncall/pages", agent_), 200, "pages");
  ASSERT_EQ(open.at("pages").as_array().size(), 1u);
  // The link without a session: view shows only number, subject and criticality.
  auto view =
      Expect(c().Post("/api/v1/page-links/view", json::object{{"token", token}}), 200, "view");
  EXPECT_EQ(Int(view, "number"), number);
  EXPECT_EQ(view.size(), 4u);
  EXPECT_FALSE(view.at("acknowledged").as_bool());
  Expect(c().Post("/api/v1/page-links/ack", json::object{{"token", token}}), 200, "ack");
  EXPECT_EQ(c().Post("/api/v1/page-links/ack", json::object{{"token", token}}).status, 409);
  EXPECT_EQ(c().Post("/api/v1/page-links/view", json::object{{"token", "no-such-token"}}).status,
            409);
  EXPECT_TRUE(
      Expect(c().Get("/api/v1/oncall/pages", agent_), 200, "pages").at("pages").as_array().empty());

  std::vector<std::string> fields;
  for (const auto& e : History(number)) {
    const std::string f = Str(e, "field");
    if (f.starts_with("page_")) fields.push_back(f);
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"page_sent", "page_escalated", "page_acknowledged"}));

  // A restart sends nothing twice.
  ASSERT_EQ(server_->Stop(), 0) << server_->output();
  server_.emplace(ServerProcess::Start(data_->path(), ServeArgs()));
  client_.emplace(server_->port());
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_EQ(Recorded().size(), 2u);
}

TEST_F(OnCallApiTest, AHangingThenFailingCommandIsKilledRetriedAndShown) {
  std::ofstream(dir_ / "hang_first") << "";
  std::ofstream(dir_ / "fail_second") << "";
  const Auth super = Super();
  CloseTheDesk(super);
  json::object rota = WeekRota();
  rota["shifts"].as_array()[0].as_object()["secondary"] = nullptr;
  Expect(c().Post("/api/v1/oncall/rotas", rota, super), 201, "rota");
  Create(agent_, json::object{{"org", "acme"},
                              {"type", "incident"},
                              {"criticality", "critical"},
                              {"channel", "portal"},
                              {"subject", "Sin servicio"}});
  // The first run hangs (killed after 1 s), the second exits 3; the error shows meanwhile.
  std::string seen;
  for (int i = 0; i < 100 && seen.find("page command:") == std::string::npos; ++i) {
    auto pages =
        Expect(c().Get("/api/v1/oncall/pages", agent_), 200, "pages").at("pages").as_array();
    if (!pages.empty()) seen = Str(pages[0], "last_error");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(seen.find("page command:"), std::string::npos) << seen;
  // The third run records it; the supervisors' page (the escalation after 3 s) may come first.
  std::optional<json::object> agent_page;
  for (int i = 0; i < 300 && !agent_page; ++i) {
    for (const auto& p : Recorded()) {
      if (Str(p.at("to"), "email") == "agent@example.com") agent_page = p;
    }
    if (!agent_page) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(agent_page) << "the page command never recorded the primary's page";
  EXPECT_EQ(Int(*agent_page, "attempt"), 3);
  // Each delivery recorded once.
  std::set<std::int64_t> ids;
  for (const auto& p : Recorded()) EXPECT_TRUE(ids.insert(Int(p, "delivery_id")).second);
}

}  // namespace
}  // namespace soporte::test::api
