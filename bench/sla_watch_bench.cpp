// The SLA watch's costs (issue 12, part 10), on the real SQLite store in a temporary directory:
//   1. a tick with nothing due while 1,000,000 tickets are open (each with two armed thresholds),
//      against an empty write transaction measured in the same run (the floor of any tick);
//   2. one tick that fires 10,000 warnings due at once (history events, observers, commits);
//   3. ticket creation with and without the watch observing it (ABAB rounds, same store).
// Prints medians. The 1,000,000 tickets are copied from one created through TicketService with
// one INSERT … SELECT on a second connection (seeding only; the watch reads through its port).
// usage: sla_watch_bench [open_tickets=1000000] [due=10000] [creates_per_round=500]
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "app/accounts/admin_service.hpp"
#include "app/sla/sla_watch.hpp"
#include "app/tickets/ticket_service.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace {

using namespace soporte;
using Wall = std::chrono::steady_clock;

double Ms(Wall::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench setup failed: %s\n", what);
    std::exit(1);
  }
}
void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "seed: %s\n", err ? err : "?");
    std::exit(1);
  }
}

// A plain hasher: the bench creates users, it does not log in.
class PlainHasher final : public app::PasswordHasher {
 public:
  Result<std::string> Hash(std::string_view p) const override { return "plain$" + std::string(p); }
  bool Verify(std::string_view e, std::string_view p) const override {
    return e == "plain$" + std::string(p);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const long open = argc > 1 ? std::atol(argv[1]) : 1'000'000;
  const long due = argc > 2 ? std::atol(argv[2]) : 10'000;
  const int per_round = argc > 3 ? std::atoi(argv[3]) : 500;
  std::string dir_tmpl =
      (std::filesystem::temp_directory_path() / "sla-watch-bench-XXXXXX").string();
  Check(::mkdtemp(dir_tmpl.data()) != nullptr, "mkdtemp");
  const std::string db_path = dir_tmpl + "/soporte.db";

  auto store = storage::SqliteStore::Open(db_path);
  Check(store.has_value(), "open store");
  auto engine = domain::sla::SlaEngine::Create();
  Check(engine.has_value(), "sla engine");
  const Instant t0 = std::chrono::floor<Seconds>(std::chrono::system_clock::now());
  FakeClock clock(t0);
  PlainHasher hasher;
  app::NullEventBus bus;
  app::AdminService admin(**store, hasher, *engine, clock);
  app::TicketService plain(**store, *engine, bus, clock);    // without the watch
  app::TicketService watched(**store, *engine, bus, clock);  // with it
  app::SlaWatchOptions options;
  options.node = "bench";
  options.batch = 1000;
  options.fire_batch = 500;
  app::SlaWatch watch(**store, *engine, clock, watched.observers(), options);
  watched.AddObserver(&watch);

  const app::Principal sys = app::SystemPrincipal();
  Check(admin.CreateOrg(sys, "acme", "ACME").has_value(), "org");
  app::NewContract c24;
  c24.modality = domain::sla::Modality::k24x7;
  c24.valid_from = std::chrono::floor<std::chrono::days>(t0 - std::chrono::hours{24 * 400});
  Check(admin.CreateContract(sys, "acme", c24).has_value(), "contract");
  auto agent =
      admin.CreateUser(sys, app::NewUser{"bench@vendor.test", "Bench", domain::Role::kAgent,
                                         std::nullopt, "password123"});
  Check(agent.has_value(), "agent");
  const app::Principal who = app::PrincipalOf(*agent);
  app::NewTicket in;
  in.subject = "Bench";
  in.org_slug = "acme";
  in.channel = domain::sla::Channel::kPhone;
  in.criticality = domain::sla::Criticality::kNormal;  // 8 h on 24x7: nothing due during the bench
  auto first = watched.Create(who, in);
  Check(first.has_value(), "template ticket");

  // Seed: `open` copies of the template ticket, each with its two thresholds far in the future,
  // except the first `due` warnings, due now.
  {
    sqlite3* db = nullptr;
    Check(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK, "seed connection");
    sqlite3_busy_timeout(db, 10000);
    const auto start = Wall::now();
    const std::string id = std::to_string(first->ticket.id.value());
    const std::string now = std::to_string(t0.time_since_epoch().count());
    Exec(db, "BEGIN");
    Exec(db, "CREATE TEMP TABLE seq(n INTEGER PRIMARY KEY)");
    Exec(db, "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < " +
                 std::to_string(open) + ") INSERT INTO seq SELECT n FROM s");
    Exec(db,
         "INSERT INTO tickets(id, number, org_id, contract_id, requester_id, type, criticality, "
         "status, "
         "channel, environment, subject, description, assignee_id, tags, received_at, clock_start, "
         "response_due, first_response_at, created_at, updated_at, version) "
         "SELECT " +
             id +
             " + n, number + n, org_id, contract_id, requester_id, type, criticality, status, "
             "channel, environment, subject, description, assignee_id, tags, received_at, "
             "clock_start, "
             "response_due, first_response_at, created_at, updated_at, version FROM tickets, seq "
             "WHERE id = " +
             id);
    Exec(db, "INSERT INTO sla_thresholds(ticket_id, kind, due, fire_at) SELECT " + id +
                 " + n, 'warning', " + now + " + 86400, CASE WHEN n <= " + std::to_string(due) +
                 " THEN " + now + " - 1 ELSE " + now + " + 3600 + n END FROM seq");
    Exec(db, "INSERT INTO sla_thresholds(ticket_id, kind, due, fire_at) SELECT " + id +
                 " + n, 'breach', " + now + " + 86400, " + now + " + 86401 FROM seq");
    // Numbers are given from a counter (0001_init.sql): new tickets go after the copies.
    Exec(db,
         "UPDATE counters SET value = (SELECT MAX(number) + 1 FROM tickets) WHERE name = "
         "'ticket_number'");
    Exec(db, "COMMIT");
    Exec(db, "ANALYZE");
    sqlite3_close(db);
    std::printf("seeded %ld open tickets (%ld thresholds) in %.1f s\n", open + 1, 2 * open + 2,
                Ms(Wall::now() - start) / 1000);
  }

  // 1. Nothing due: move the clock before the due warnings.
  clock.Set(t0 - Seconds{3600});
  std::vector<double> empty_write, idle_tick;
  for (int i = 0; i < 201; ++i) {
    auto a = Wall::now();
    Check((*store)->Write([](app::WriteTx&) { return Ok(); }).has_value(), "empty write");
    empty_write.push_back(Ms(Wall::now() - a));
    auto b = Wall::now();
    auto r = watch.Tick();
    idle_tick.push_back(Ms(Wall::now() - b));
    Check(r.has_value() && r->warnings == 0, "idle tick fired something");
  }
  std::printf(
      "idle tick (%ld open tickets, nothing due): median %.3f ms; empty write transaction: median "
      "%.3f ms\n",
      open + 1, Median(idle_tick), Median(empty_write));

  // 2. `due` warnings due at once.
  clock.Set(t0);
  auto f = Wall::now();
  auto fired = watch.Tick();
  const double fire_ms = Ms(Wall::now() - f);
  Check(fired.has_value(), "firing tick");
  std::printf("firing tick: %d warnings in %.0f ms\n", fired->warnings, fire_ms);

  // 3. Create throughput, with and without the watch (ABAB rounds; medians per create).
  std::vector<double> with, without;
  // Two warm-up rounds (the seed's WAL is checkpointed meanwhile), then ABBA order so neither side
  // always goes first.
  for (int round = -2; round < 8; ++round) {
    for (bool first : {false, true}) {
      const bool w = (round % 2 == 0) ? first : !first;
      app::TicketService& svc = w ? watched : plain;
      auto s = Wall::now();
      for (int i = 0; i < per_round; ++i) {
        auto created = svc.Create(who, in);
        if (!created) std::fprintf(stderr, "create: %s\n", created.error().message.c_str());
        Check(created.has_value(), "create");
      }
      if (round >= 0) (w ? with : without).push_back(Ms(Wall::now() - s) / per_round);
    }
  }
  const double a = Median(without), b = Median(with);
  std::printf("create: median %.3f ms without the watch, %.3f ms with it (%+.1f %%)\n", a, b,
              (b - a) / a * 100);
  std::filesystem::remove_all(dir_tmpl);
  return 0;
}
