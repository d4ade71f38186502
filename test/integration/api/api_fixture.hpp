// What the ticket API tests share (ApiTest): the real `soporte serve` (ASan build in CI) on
// loopback, its data made with the real CLI, driven over HTTP/1.1 as a customer (session cookie +
// CSRF) and as support staff (Bearer token); every test owns its server and data directory. The
// tests: api_tickets_test, api_due_test, api_attachments_test, api_accounts_test, api_http_test.
//

// Times are pinned with `received_at` (staff only) at instants in the past, so response due
// times are exact values on the contract's calendar (America/Bogota, UTC-5, no DST):
// 8x5 = Monday–Friday 08:00–18:00 without Colombian holidays; targets normal 8 h, important 4 h,
// critical 2 h.
#pragma once

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

namespace soporte::test::api {

namespace json = boost::json;

inline constexpr char kPassword[] = "correct horse 1";

// A 1×1 transparent PNG (67 bytes).
inline const std::string& TinyPng() {
  static const std::string png = [] {
    static const unsigned char bytes[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
        0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
    return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }();
  return png;
}

inline std::string RandomBytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t x = rng();
    for (std::size_t j = 0; j < 8 && i + j < n; ++j)
      out[i + j] = static_cast<char>((x >> (j * 8)) & 0xff);
  }
  return out;
}

inline std::vector<std::int64_t> Numbers(const json::object& list) {
  std::vector<std::int64_t> out;
  for (const auto& t : list.at("tickets").as_array()) out.push_back(Int(t, "number"));
  return out;
}

inline std::string T(std::int64_t number, std::string_view tail = {}) {
  return "/api/v1/tickets/" + std::to_string(number) + std::string(tail);
}

inline std::int64_t NowEpoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
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
    super_id_ =
        data_->AddUser("super@example.com", "Sergio Supervisor", "supervisor", "", kPassword);
    agent_id_ = data_->AddUser("agent@example.com", "Andrea Agente", "agent", "", kPassword);
    alice_id_ =
        data_->AddUser("alice@acme.example", "Alice Cliente", "customer", "acme", kPassword);
    ivan_id_ =
        data_->AddUser("ivan@initech.example", "Iván Cliente", "customer", "initech", kPassword);
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
    json::object body{{"org", org},          {"type", "incident"}, {"criticality", criticality},
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

}  // namespace soporte::test::api
