// Durability through a crash: 8 clients create tickets concurrently (Bearer token) while the
// server is killed with SIGKILL mid-flight. Every ticket the server acknowledged with 201 must
// be there after a restart on the same data directory, with the same subject, and the SQLite
// file must pass PRAGMA integrity_check. Ticket numbers must never be handed out twice.
#include <sqlite3.h>

#include <atomic>
#include <csignal>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr int kClients = 8;
// Kill once this many tickets are acknowledged (a few seconds under ASan), or after 3 s.
constexpr int kAcksBeforeKill = 120;

std::string QueryOne(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return std::string("error: ") + sqlite3_errmsg(db);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    out = text ? reinterpret_cast<const char*>(text) : "NULL";
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST(CrashTest, EveryAcknowledgedTicketSurvivesSigkill) {
  DataDir data;
  data.AddOrg("acme", "ACME");
  data.AddContract("acme", "24x7");
  data.AddUser("agent@example.com", "Agente", "agent", "", "crash pass 1");
  const Auth agent = Auth::Bearer(data.CreateToken("agent@example.com"));
  std::optional<ServerProcess> server(ServerProcess::Start(data.path()));
  const std::uint16_t port = server->port();

  std::mutex mutex;
  std::condition_variable acked_cv;
  std::map<std::int64_t, std::string> acked;  // number → subject, for every 201
  std::vector<std::string> anomalies;         // 201s that contradict each other
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};               // requests that ended without an answer

  std::vector<std::thread> clients;
  for (int id = 0; id < kClients; ++id) {
    clients.emplace_back([&, id] {
      HttpClient c(port);
      for (int i = 0; !stop.load(); ++i) {
        const std::string subject = "crash c" + std::to_string(id) + " #" + std::to_string(i);
        HttpResponse r;
        try {
          r = c.Post("/api/v1/tickets",
                     json::object{{"org", "acme"}, {"type", "incident"}, {"criticality", "critical"},
                                  {"subject", subject}},
                     agent);
        } catch (const std::exception&) {
          // The server died under us: this request was never acknowledged.
          failures.fetch_add(1);
          return;
        }
        if (r.status != 201) {
          std::lock_guard lock(mutex);
          anomalies.push_back("unexpected answer while the server was up: " + r.Describe());
          return;
        }
        const std::int64_t number = Int(r.Json(), "number");
        std::lock_guard lock(mutex);
        if (!acked.emplace(number, subject).second) anomalies.push_back("number " + std::to_string(number) + " given twice");
        acked_cv.notify_all();
      }
    });
  }

  {
    std::unique_lock lock(mutex);
    acked_cv.wait_for(lock, std::chrono::seconds(3), [&] { return static_cast<int>(acked.size()) >= kAcksBeforeKill; });
  }
  const int killed_with = server->Kill();  // mid-flight: clients are still sending
  stop.store(true);
  for (auto& t : clients) t.join();
  EXPECT_EQ(killed_with, 128 + SIGKILL);
  server.reset();

  ASSERT_TRUE(anomalies.empty()) << anomalies.front();
  ASSERT_GE(acked.size(), 8u) << "too few tickets were created before the kill to prove anything";
  EXPECT_GE(failures.load(), 1) << "no request was in flight when the server was killed";

  // The database as the crash left it (SQLite replays its WAL on open).
  const std::string db_path = data.path() + "/soporte.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    EXPECT_EQ(QueryOne(db, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(QueryOne(db, "PRAGMA foreign_key_check"), "");
    const std::int64_t rows = std::stoll(QueryOne(db, "SELECT count(*) FROM tickets"));
    EXPECT_GE(rows, static_cast<std::int64_t>(acked.size()));
    EXPECT_LE(rows, static_cast<std::int64_t>(acked.size()) + kClients) << "at most one unacknowledged per client";
    sqlite3_close(db);
  }

  // Restart on the same data: every acknowledged ticket is there, as it was acknowledged.
  ServerProcess again = ServerProcess::Start(data.path());
  HttpClient c(again.port());
  for (const auto& [number, subject] : acked) {
    HttpResponse r = c.Get("/api/v1/tickets/" + std::to_string(number), agent);
    ASSERT_EQ(r.status, 200) << "acknowledged ticket " << number << " lost: " << r.Describe();
    EXPECT_EQ(Str(r.Json(), "subject"), subject);
  }
  json::object fresh = Expect(c.Post("/api/v1/tickets",
                                     json::object{{"org", "acme"}, {"type", "request"}, {"criticality", "normal"},
                                                  {"subject", "after the crash"}},
                                     agent),
                              201, "create after restart");
  EXPECT_GT(Int(fresh, "number"), acked.rbegin()->first) << "a number was handed out twice";
  EXPECT_EQ(again.Stop(), 0) << again.output();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(QueryOne(db, "PRAGMA integrity_check"), "ok");
  sqlite3_close(db);
}

}  // namespace
}  // namespace soporte::test
