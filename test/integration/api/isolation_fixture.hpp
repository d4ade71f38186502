// What the tenant-isolation tests share. A customer of one organisation (globex) tries every
// endpoint against another's (acme's) resources through the real API: each ticket-scoped answer
// must be exactly the answer for a ticket that does not exist (same status, code and message but
// for the number), so nothing — not even existence — leaks; lists must contain nothing of acme.
// Table-driven: a new endpoint is a row (TicketProbes). The fixture starts its own server.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test::isolation {

// Bodies of the profile's export (with secrets) and import probes: valid, so that only the
// organisation decides the answer.
inline constexpr char kExportSecrets[] =
    R"({"include_secrets":true,"passphrase":"una frase bastante larga","reason":"x"})";
inline constexpr char kImportDocument[] =
    R"({"document":{"format":"soporte-profile","version":1,"entries":[)"
    R"({"key":"e","kind":"environment","fields":{"kind":"prod","name":"intruso"}}]}})";

namespace json = boost::json;

inline constexpr char kPassword[] = "isolation pass 1";
inline constexpr std::int64_t kMissingTicket = 999999;
inline constexpr std::int64_t kMissingAttachment = 999999;

inline std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

struct Fixture {
  std::int64_t ticket = 0;
  std::int64_t attachment = 0;
};

class IsolationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.emplace();
    for (const char* org : {"acme", "globex"}) {
      data_->AddOrg(org, std::string(org) + " S.A.");
      data_->AddContract(org, "24x7");
    }
    data_->AddUser("agent@example.com", "Agente", "agent", "", kPassword);
    alice_id_ = data_->AddUser("alice@acme.example", "Alice", "customer", "acme", kPassword);
    data_->AddUser("gina@globex.example", "Gina", "customer", "globex", kPassword);
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    // Mail from an unknown sender, kept for staff (the email desk's probes below).
    const std::string kept = data_->IngestMail(
        "From: Extra <extra@nowhere.example>\r\nTo: soporte@example.com\r\nSubject: correo "
        "secreto\r\n"
        "Message-ID: <kept-1@nowhere.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "secreto del buzón\r\n");
    if (kept.rfind("unassigned ", 0) != 0)
      throw std::runtime_error("expected mail kept for staff, got: " + kept);
    kept_mail_ = std::stoll(kept.substr(11));
    server_.emplace(ServerProcess::Start(data_->path()));
    client_.emplace(server_->port());
    alice_ = Login(*client_, "alice@acme.example", kPassword);
    gina_ = Login(*client_, "gina@globex.example", kPassword);
    acme_ = Populate(alice_, "acme");
    globex_ = Populate(gina_, "globex");
    PopulateProfile();
  }

  // acme's profile: an environment, a host and a secret ("secreto" must never reach gina).
  void PopulateProfile() {
    HttpClient& c = *client_;
    acme_env_ = Int(Expect(c.Post("/api/v1/orgs/acme/profile/environments",
                                  json::object{{"kind", "prod"}, {"name", "secreto prod"}}, agent_),
                           201, "env"),
                    "id");
    acme_host_ = Int(
        Expect(c.Post("/api/v1/orgs/acme/profile/hosts",
                      json::object{{"environment", acme_env_}, {"address", "secreto.acme.example"}},
                      agent_),
               201, "host"),
        "id");
    const json::object user = Expect(
        c.Post("/api/v1/orgs/acme/profile/os_users",
               json::object{{"environment", acme_env_}, {"user", "u"}, {"password", "secreto-pw"}},
               agent_),
        201, "os user");
    acme_secret_ = Int(user.at("password").as_object(), "secret_id");
  }

  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }

  // A ticket opened by `customer`, with a public message, an internal note and an attachment.
  Fixture Populate(const Auth& customer, const std::string& org) {
    HttpClient& c = *client_;
    Fixture f;
    f.ticket = Int(Expect(c.Post("/api/v1/tickets",
                                 json::object{{"type", "incident"},
                                              {"criticality", "important"},
                                              {"subject", "secreto de " + org}},
                                 customer),
                          201, "create"),
                   "number");
    const std::string t = "/api/v1/tickets/" + std::to_string(f.ticket);
    Expect(c.Post(t + "/messages", json::object{{"body", "mensaje de " + org}}, customer), 201,
           "message");
    Expect(c.Post(t + "/messages",
                  json::object{{"body", "nota interna " + org}, {"internal", true}}, agent_),
           201, "note");
    auto [type, body] =
        BuildMultipart({{"file", org + ".log", "text/plain", "log de " + org + "\n"}});
    HttpResponse up;
    try {
      up = c.Send("POST", t + "/attachments", agent_, body, type);
    } catch (const std::exception& e) {
      up.body = e.what();
    }
    if (up.status == 201) {
      f.attachment = Int(up.Json().as_object().at("attachments").as_array().at(0), "id");
    } else {
      // Reported once here; the probes still run (attachment id 0 names nothing).
      ADD_FAILURE() << "attaching to " << org << "'s ticket failed: " << up.Describe();
    }
    return f;
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth agent_, alice_, gina_;
  Fixture acme_, globex_;
  std::int64_t kept_mail_ = 0;
  std::int64_t alice_id_ = 0;
  std::int64_t acme_env_ = 0, acme_host_ = 0, acme_secret_ = 0;
};

// A request against one ticket; {T} is the ticket number, {A} an attachment id.
struct Probe {
  const char* method;
  const char* path;
  std::string body;
  bool multipart = false;
};

inline std::string Fill(std::string path, std::int64_t ticket, std::int64_t attachment) {
  path = ReplaceAll(path, "{T}", std::to_string(ticket));
  return ReplaceAll(path, "{A}", std::to_string(attachment));
}

inline const std::vector<Probe>& TicketProbes() {
  static const std::vector<Probe> probes = {
      {"GET", "/api/v1/tickets/{T}", ""},
      {"PATCH", "/api/v1/tickets/{T}", R"({"status":"closed"})"},
      {"PATCH", "/api/v1/tickets/{T}", R"({"status":"open"})"},
      {"PATCH", "/api/v1/tickets/{T}", R"({"criticality":"critical"})"},
      {"GET", "/api/v1/tickets/{T}/messages", ""},
      {"POST", "/api/v1/tickets/{T}/messages", R"({"body":"hola"})"},
      {"POST", "/api/v1/tickets/{T}/messages", R"({"body":"hola","internal":true})"},
      {"GET", "/api/v1/tickets/{T}/attachments", ""},
      {"POST", "/api/v1/tickets/{T}/attachments", "", true},
      {"GET", "/api/v1/tickets/{T}/history", ""},
      {"GET", "/api/v1/attachments/{A}", ""},
      {"POST", "/api/v1/tickets/{T}/calls", R"({"caller":"x","duration_minutes":3,"notes":"y"})"},
  };
  return probes;
}

inline HttpResponse SendProbe(HttpClient& c, const Probe& p, const Auth& who, std::int64_t ticket,
                              std::int64_t attachment) {
  const std::string target = Fill(p.path, ticket, attachment);
  if (p.multipart) {
    auto [type, body] =
        BuildMultipart({{"file", "intruso.txt", "text/plain", "no debería guardarse"}});
    return c.Send(p.method, target, who, body, type);
  }
  return c.Send(p.method, target, who, p.body, p.body.empty() ? "" : "application/json");
}

}  // namespace soporte::test::isolation
