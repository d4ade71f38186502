// Tenant isolation through the real API: a customer of one organisation (globex) tries every
// endpoint against another's (acme's) resources. Each ticket-scoped answer must be exactly the
// answer for a ticket that does not exist (same status, same error code, same message but for
// the number), so nothing — not even existence — leaks; lists must contain nothing of acme.
// Anonymous callers get 401 from every /api/v1 endpoint. Table-driven: a new endpoint is a row.
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

namespace soporte::test {
namespace {

// Bodies of the profile's export (with secrets) and import probes: valid, so that only the
// organisation decides the answer.
constexpr char kExportSecrets[] = R"({"include_secrets":true,"passphrase":"una frase bastante larga","reason":"x"})";
constexpr char kImportDocument[] =
    R"({"document":{"format":"soporte-profile","version":1,"entries":[)"
    R"({"key":"e","kind":"environment","fields":{"kind":"prod","name":"intruso"}}]}})";

namespace json = boost::json;

constexpr char kPassword[] = "isolation pass 1";
constexpr std::int64_t kMissingTicket = 999999;
constexpr std::int64_t kMissingAttachment = 999999;

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
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
        "From: Extra <extra@nowhere.example>\r\nTo: soporte@example.com\r\nSubject: correo secreto\r\n"
        "Message-ID: <kept-1@nowhere.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "secreto del buzón\r\n");
    if (kept.rfind("unassigned ", 0) != 0) throw std::runtime_error("expected mail kept for staff, got: " + kept);
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
                                  json::object{{"kind", "prod"}, {"name", "secreto prod"}}, agent_), 201, "env"), "id");
    acme_host_ = Int(Expect(c.Post("/api/v1/orgs/acme/profile/hosts",
                                   json::object{{"environment", acme_env_}, {"address", "secreto.acme.example"}}, agent_),
                            201, "host"), "id");
    const json::object user = Expect(c.Post("/api/v1/orgs/acme/profile/os_users",
                                            json::object{{"environment", acme_env_}, {"user", "u"}, {"password", "secreto-pw"}},
                                            agent_), 201, "os user");
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
                                 json::object{{"type", "incident"}, {"criticality", "important"},
                                              {"subject", "secreto de " + org}},
                                 customer),
                          201, "create"),
                   "number");
    const std::string t = "/api/v1/tickets/" + std::to_string(f.ticket);
    Expect(c.Post(t + "/messages", json::object{{"body", "mensaje de " + org}}, customer), 201, "message");
    Expect(c.Post(t + "/messages", json::object{{"body", "nota interna " + org}, {"internal", true}}, agent_), 201,
           "note");
    auto [type, body] = BuildMultipart({{"file", org + ".log", "text/plain", "log de " + org + "\n"}});
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

std::string Fill(std::string path, std::int64_t ticket, std::int64_t attachment) {
  path = ReplaceAll(path, "{T}", std::to_string(ticket));
  return ReplaceAll(path, "{A}", std::to_string(attachment));
}

const std::vector<Probe>& TicketProbes() {
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

HttpResponse SendProbe(HttpClient& c, const Probe& p, const Auth& who, std::int64_t ticket, std::int64_t attachment) {
  const std::string target = Fill(p.path, ticket, attachment);
  if (p.multipart) {
    auto [type, body] = BuildMultipart({{"file", "intruso.txt", "text/plain", "no debería guardarse"}});
    return c.Send(p.method, target, who, body, type);
  }
  return c.Send(p.method, target, who, p.body, p.body.empty() ? "" : "application/json");
}

TEST_F(IsolationTest, ForeignTicketsAnswerExactlyLikeMissingOnes) {
  HttpClient& c = *client_;
  for (const Probe& p : TicketProbes()) {
    SCOPED_TRACE(std::string(p.method) + " " + p.path + " " + p.body);
    HttpResponse foreign = SendProbe(c, p, gina_, acme_.ticket, acme_.attachment);
    HttpResponse missing = SendProbe(c, p, gina_, kMissingTicket, kMissingAttachment);
    EXPECT_EQ(foreign.status, missing.status) << "foreign: " << foreign.Describe() << "\nmissing: " << missing.Describe();
    EXPECT_EQ(foreign.ErrorCode(), missing.ErrorCode());
    const std::string foreign_msg = ReplaceAll(ReplaceAll(foreign.ErrorMessage(), std::to_string(acme_.ticket), "N"),
                                               std::to_string(acme_.attachment), "N");
    const std::string missing_msg = ReplaceAll(missing.ErrorMessage(), std::to_string(kMissingTicket), "N");
    EXPECT_EQ(foreign_msg, missing_msg);
    EXPECT_FALSE(foreign.ErrorCode().empty()) << "must be refused: " << foreign.Describe();
    // Reads and status changes name no ticket: 404. (Customers may never set criticality or
    // write internal notes, so those two are 403 whatever the ticket.)
    const bool always_forbidden = p.body.find("criticality") != std::string::npos ||
                                  p.body.find("internal") != std::string::npos ||
                                  p.body.find("caller") != std::string::npos;  // staff only
    EXPECT_EQ(foreign.status, always_forbidden ? 403 : 404) << foreign.Describe();
    EXPECT_EQ(foreign.body.find("acme"), std::string::npos) << foreign.Describe();
    EXPECT_EQ(foreign.body.find("secreto"), std::string::npos) << foreign.Describe();
  }

  // Nothing was changed or added on acme's ticket by any of the above.
  const std::string t = "/api/v1/tickets/" + std::to_string(acme_.ticket);
  json::object ticket = Expect(c.Get(t, alice_), 200, "alice reads her ticket");
  EXPECT_EQ(Str(ticket, "status"), "new");
  EXPECT_EQ(Str(ticket, "criticality"), "important");
  EXPECT_EQ(Expect(c.Get(t + "/messages", agent_), 200, "messages").at("messages").as_array().size(), 2u);
  EXPECT_EQ(Expect(c.Get(t + "/attachments", agent_), 200, "attachments").at("attachments").as_array().size(), 1u);
  EXPECT_EQ(Expect(c.Get(t + "/history", agent_), 200, "history").at("events").as_array().size(), 2u)
      << "created + attachment";
}

// The positive control: the same probes on globex's own ticket succeed for globex's customer,
// so the 404s above are about ownership, not broken endpoints.
TEST_F(IsolationTest, OwnTicketsAnswerNormally) {
  HttpClient& c = *client_;
  const std::string t = "/api/v1/tickets/" + std::to_string(globex_.ticket);
  EXPECT_EQ(Str(Expect(c.Get(t, gina_), 200, "own ticket"), "org"), "globex");
  json::array msgs = Expect(c.Get(t + "/messages", gina_), 200, "own messages").at("messages").as_array();
  ASSERT_EQ(msgs.size(), 1u) << "the internal note is hidden from the customer";
  EXPECT_EQ(Str(msgs[0], "body"), "mensaje de globex");
  EXPECT_EQ(Expect(c.Get(t + "/attachments", gina_), 200, "own attachments").at("attachments").as_array().size(), 1u);
  HttpResponse file = c.Get("/api/v1/attachments/" + std::to_string(globex_.attachment), gina_);
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "log de globex\n");
  EXPECT_EQ(Expect(c.Get(t + "/history", gina_), 200, "own history").at("events").as_array().size(), 2u);
  Expect(c.Post(t + "/messages", json::object{{"body", "sigo esperando"}}, gina_), 201, "own message");
}

// Org-scoped endpoints and lists: acme is indistinguishable from an organisation that does
// not exist, and no list shows anything of acme.
TEST_F(IsolationTest, ForeignOrganisationsAreInvisible) {
  HttpClient& c = *client_;
  struct OrgProbe {
    const char* name;
    const char* method;
    std::string acme_target, missing_target;
    std::string acme_body, missing_body;
  };
  auto ticket_in = [](const char* org) {
    return json::serialize(json::object{{"org", org}, {"type", "incident"}, {"criticality", "normal"},
                                        {"subject", "intruso"}});
  };
  const std::vector<OrgProbe> probes = {
      {"get org", "GET", "/api/v1/orgs/acme", "/api/v1/orgs/nope", "", ""},
      {"contracts", "GET", "/api/v1/orgs/acme/contracts", "/api/v1/orgs/nope/contracts", "", ""},
      {"add contract", "POST", "/api/v1/orgs/acme/contracts", "/api/v1/orgs/nope/contracts",
       R"({"modality":"24x7"})", R"({"modality":"24x7"})"},
      {"users of org", "GET", "/api/v1/users?org=acme", "/api/v1/users?org=nope", "", ""},
      {"tickets of org", "GET", "/api/v1/tickets?org=acme", "/api/v1/tickets?org=nope", "", ""},
      {"ticket in org", "POST", "/api/v1/tickets", "/api/v1/tickets", ticket_in("acme"), ticket_in("nope")},
      {"user language", "PATCH", "/api/v1/users/" + std::to_string(alice_id_), "/api/v1/users/999999",
       R"({"lang":"en"})", R"({"lang":"en"})"},
      // Managing users (issue 6): the administrator flag, deactivation, the history.
      {"user org_admin", "PATCH", "/api/v1/users/" + std::to_string(alice_id_), "/api/v1/users/999999",
       R"({"org_admin":true})", R"({"org_admin":true})"},
      {"user active", "PATCH", "/api/v1/users/" + std::to_string(alice_id_), "/api/v1/users/999999",
       R"({"active":false})", R"({"active":false})"},
      {"user history", "GET", "/api/v1/users/" + std::to_string(alice_id_) + "/history", "/api/v1/users/999999/history",
       "", ""},
      // The customer profile (issue 6): every route.
      {"profile", "GET", "/api/v1/orgs/acme/profile", "/api/v1/orgs/nope/profile", "", ""},
      {"profile history", "GET", "/api/v1/orgs/acme/profile/history", "/api/v1/orgs/nope/profile/history", "", ""},
      {"reveal log", "GET", "/api/v1/orgs/acme/profile/reveals", "/api/v1/orgs/nope/profile/reveals", "", ""},
      {"add environment", "POST", "/api/v1/orgs/acme/profile/environments", "/api/v1/orgs/nope/profile/environments",
       R"({"kind":"prod","name":"intruso"})", R"({"kind":"prod","name":"intruso"})"},
      {"replace host", "PUT", "/api/v1/orgs/acme/profile/hosts/" + std::to_string(acme_host_),
       "/api/v1/orgs/nope/profile/hosts/" + std::to_string(acme_host_), R"({"address":"x"})", R"({"address":"x"})"},
      {"delete environment", "DELETE", "/api/v1/orgs/acme/profile/environments/" + std::to_string(acme_env_),
       "/api/v1/orgs/nope/profile/environments/" + std::to_string(acme_env_), "", ""},
      {"reveal", "POST", "/api/v1/orgs/acme/profile/secrets/" + std::to_string(acme_secret_) + "/reveal",
       "/api/v1/orgs/nope/profile/secrets/" + std::to_string(acme_secret_) + "/reveal", R"({"reason":"x"})", R"({"reason":"x"})"},
      // Export and import of the profile (a valid document: the answer must come from the org).
      {"export profile", "GET", "/api/v1/orgs/acme/profile/export", "/api/v1/orgs/nope/profile/export", "", ""},
      {"export secrets", "POST", "/api/v1/orgs/acme/profile/export", "/api/v1/orgs/nope/profile/export",
       kExportSecrets, kExportSecrets},
      {"import profile", "POST", "/api/v1/orgs/acme/profile/import", "/api/v1/orgs/nope/profile/import",
       kImportDocument, kImportDocument},
      {"assign calendar", "PATCH", "/api/v1/orgs/acme/contracts/1", "/api/v1/orgs/nope/contracts/1",
       R"({"calendar_id":null})", R"({"calendar_id":null})"},
  };
  for (const OrgProbe& p : probes) {
    SCOPED_TRACE(p.name);
    auto send = [&](const std::string& target, const std::string& body) {
      return c.Send(p.method, target, gina_, body, body.empty() ? "" : "application/json");
    };
    HttpResponse foreign = send(p.acme_target, p.acme_body);
    HttpResponse missing = send(p.missing_target, p.missing_body);
    EXPECT_EQ(foreign.status, missing.status) << "foreign: " << foreign.Describe() << "\nmissing: " << missing.Describe();
    EXPECT_EQ(foreign.ErrorCode(), missing.ErrorCode());
    EXPECT_EQ(ReplaceAll(foreign.ErrorMessage(), "acme", "X"), ReplaceAll(missing.ErrorMessage(), "nope", "X"));
    if (foreign.status == 200) {
      EXPECT_EQ(foreign.body, missing.body) << "a list of acme must look like a list of nothing";
    }
    EXPECT_EQ(foreign.body.find("alice"), std::string::npos) << foreign.Describe();
    EXPECT_EQ(foreign.body.find("secreto"), std::string::npos) << foreign.Describe();
  }

  // Alice's language was not changed by the probe above.
  const json::object acme_users = Expect(c.Get("/api/v1/users?org=acme", agent_), 200, "acme users");
  for (const auto& u : acme_users.at("users").as_array()) {
    EXPECT_EQ(Str(u, "lang"), "") << Str(u, "email");
    EXPECT_FALSE(u.at("org_admin").as_bool()) << Str(u, "email");
    EXPECT_TRUE(u.at("active").as_bool()) << Str(u, "email");
  }
  // acme's profile is untouched and its secret never reached gina (checked in each body above).
  const HttpResponse profile = c.Get("/api/v1/orgs/acme/profile", agent_);
  json::array envs = Expect(profile, 200, "acme profile").at("environments").as_array();
  ASSERT_EQ(envs.size(), 1u);
  EXPECT_EQ(Str(envs[0].at("hosts").as_array().at(0), "address"), "secreto.acme.example");
  EXPECT_EQ(profile.body.find("intruso"), std::string::npos);

  // Unfiltered lists hold globex only.
  auto numbers = [&](const std::string& target) {
    std::vector<std::int64_t> out;
    // Keep the parsed value alive: a range-for over a member of a temporary reads freed memory.
    const json::object page = Expect(c.Get(target, gina_), 200, target);
    for (const auto& t : page.at("tickets").as_array()) out.push_back(Int(t, "number"));
    return out;
  };
  EXPECT_EQ(numbers("/api/v1/tickets"), std::vector<std::int64_t>{globex_.ticket});
  EXPECT_EQ(numbers("/api/v1/tickets?limit=200&breached=false"), std::vector<std::int64_t>{globex_.ticket});
  json::array orgs = Expect(c.Get("/api/v1/orgs", gina_), 200, "orgs").at("orgs").as_array();
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(Str(orgs[0], "slug"), "globex");
  json::array users = Expect(c.Get("/api/v1/users", gina_), 200, "users").at("users").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(Str(users[0], "email"), "gina@globex.example");
  // Staff see both (so the lists above were filtered, not empty by accident).
  EXPECT_EQ(Expect(c.Get("/api/v1/tickets", agent_), 200, "staff list").at("tickets").as_array().size(), 2u);
}

// The email desk (kept inbound mail, failed outgoing mail) is staff's only: a customer gets 403
// from every route and nothing of the mail; staff get it (so the 403s are about the caller).
TEST_F(IsolationTest, EmailDeskIsStaffOnly) {
  HttpClient& c = *client_;
  const std::string m = "/api/v1/inbound/" + std::to_string(kept_mail_);
  struct Call {
    const char* method;
    std::string target;
    std::string body;
  };
  const std::vector<Call> calls = {
      {"GET", "/api/v1/inbound", ""},
      {"GET", "/api/v1/inbound?status=all", ""},
      {"GET", m, ""},
      {"GET", m + "/raw", ""},
      {"GET", m + "/files/0", ""},
      {"POST", m + "/actions", R"({"action":"assign","org":"globex","create_name":"Intruso"})"},
      {"POST", m + "/actions", R"({"action":"spam","reason":"x"})"},
      {"GET", "/api/v1/outbox/failed", ""},
      {"POST", "/api/v1/outbox/1/retry", ""},
  };
  for (const Auth* who : {&gina_, &alice_}) {
    for (const Call& k : calls) {
      SCOPED_TRACE(std::string(k.method) + " " + k.target);
      HttpResponse r = c.Send(k.method, k.target, *who, k.body, k.body.empty() ? "" : "application/json");
      EXPECT_EQ(r.status, 403) << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "permission_denied") << r.Describe();
      EXPECT_EQ(r.body.find("secreto"), std::string::npos) << r.Describe();
      EXPECT_EQ(r.body.find("extra@"), std::string::npos) << r.Describe();
    }
  }
  // Still open, and visible to staff with its text.
  json::object kept = Expect(c.Get(m, agent_), 200, "staff reads the kept mail");
  EXPECT_EQ(Str(kept, "status"), "open");
  EXPECT_EQ(Str(kept, "from"), "extra@nowhere.example");
  EXPECT_NE(Str(kept, "text").find("secreto del buz"), std::string::npos);
  EXPECT_EQ(Expect(c.Get("/api/v1/inbound", agent_), 200, "staff list").at("messages").as_array().size(), 1u);
  EXPECT_EQ(Expect(c.Get("/api/v1/tickets?org=globex", agent_), 200, "globex").at("tickets").as_array().size(), 1u)
      << "no ticket was created by a customer's assign";
}

TEST_F(IsolationTest, AnonymousCallersGet401Everywhere) {
  HttpClient& c = *client_;
  const std::string t = std::to_string(acme_.ticket);
  const std::string a = std::to_string(acme_.attachment);
  struct Anon {
    const char* method;
    std::string target;
    std::string body;
  };
  const std::vector<Anon> calls = {
      {"GET", "/api/v1/me", ""},
      {"DELETE", "/api/v1/session", ""},
      {"GET", "/api/v1/tickets", ""},
      {"POST", "/api/v1/tickets", R"({"type":"incident","criticality":"normal","subject":"s"})"},
      {"GET", "/api/v1/tickets/" + t, ""},
      {"PATCH", "/api/v1/tickets/" + t, R"({"status":"open"})"},
      {"GET", "/api/v1/tickets/" + t + "/messages", ""},
      {"POST", "/api/v1/tickets/" + t + "/messages", R"({"body":"b"})"},
      {"GET", "/api/v1/tickets/" + t + "/attachments", ""},
      {"POST", "/api/v1/tickets/" + t + "/attachments", "multipart"},
      {"GET", "/api/v1/tickets/" + t + "/history", ""},
      {"POST", "/api/v1/tickets/" + t + "/calls", R"({"caller":"x","notes":"y"})"},
      {"GET", "/api/v1/tickets/" + t + "/sla", ""},
      {"GET", "/api/v1/attachments/" + a, ""},
      {"GET", "/api/v1/settings", ""},
      {"PUT", "/api/v1/settings", R"({"phone":"1"})"},
      {"GET", "/api/v1/orgs", ""},
      {"POST", "/api/v1/orgs", R"({"slug":"x","name":"X"})"},
      {"GET", "/api/v1/orgs/acme", ""},
      {"GET", "/api/v1/orgs/acme/contracts", ""},
      {"POST", "/api/v1/orgs/acme/contracts", R"({"modality":"24x7"})"},
      {"GET", "/api/v1/users", ""},
      {"POST", "/api/v1/users", R"({"email":"x@x.example","name":"X","role":"agent","password":"12345678"})"},
      {"PATCH", "/api/v1/users/1", R"({"lang":"en"})"},
      {"PATCH", "/api/v1/users/1", R"({"org_admin":true})"},
      {"GET", "/api/v1/users/1/history", ""},
      {"GET", "/api/v1/inbound", ""},
      {"GET", "/api/v1/inbound/" + std::to_string(kept_mail_), ""},
      {"GET", "/api/v1/inbound/" + std::to_string(kept_mail_) + "/raw", ""},
      {"GET", "/api/v1/inbound/" + std::to_string(kept_mail_) + "/files/0", ""},
      {"POST", "/api/v1/inbound/" + std::to_string(kept_mail_) + "/actions", R"({"action":"spam","reason":"x"})"},
      {"GET", "/api/v1/outbox/failed", ""},
      {"POST", "/api/v1/outbox/1/retry", ""},
      {"GET", "/api/v1/orgs/acme/profile", ""},
      {"GET", "/api/v1/orgs/acme/profile/history", ""},
      {"GET", "/api/v1/orgs/acme/profile/reveals", ""},
      {"POST", "/api/v1/orgs/acme/profile/environments", R"({"kind":"prod","name":"x"})"},
      {"PUT", "/api/v1/orgs/acme/profile/hosts/" + std::to_string(acme_host_), R"({"address":"x"})"},
      {"DELETE", "/api/v1/orgs/acme/profile/environments/" + std::to_string(acme_env_), ""},
      {"POST", "/api/v1/orgs/acme/profile/secrets/" + std::to_string(acme_secret_) + "/reveal", R"({"reason":"x"})"},
      {"GET", "/api/v1/orgs/acme/profile/export", ""},
      {"POST", "/api/v1/orgs/acme/profile/export", kExportSecrets},
      {"POST", "/api/v1/orgs/acme/profile/import", kImportDocument},
      {"PATCH", "/api/v1/orgs/acme/contracts/1", R"({"calendar_id":null})"},
      {"GET", "/api/v1/calendars", ""},
      {"POST", "/api/v1/calendars", R"({"name":"X","hours":{"monday":[{"from":"08:00","to":"18:00"}]}})"},
      {"GET", "/api/v1/calendars/1", ""},
      {"PUT", "/api/v1/calendars/1", R"({"name":"X","hours":{"monday":[{"from":"08:00","to":"18:00"}]}})"},
      {"POST", "/api/v1/calendars/1/closures", R"({"date":"2026-12-24","reason":"x"})"},
      {"DELETE", "/api/v1/calendars/1/closures/2026-12-24", ""},
  };
  // Anonymous, a forged cookie, a forged bearer token: all the same 401.
  Auth forged_cookie;
  forged_cookie.session_cookie = "forged";
  forged_cookie.csrf_token = "forged";
  for (const Auth& who : {Auth{}, forged_cookie, Auth::Bearer("forged")}) {
    for (const Anon& k : calls) {
      SCOPED_TRACE(std::string(k.method) + " " + k.target + (who.bearer.empty() ? "" : " (bearer)") +
                   (who.session_cookie.empty() ? "" : " (cookie)"));
      HttpResponse r;
      if (k.body == "multipart") {
        auto [type, body] = BuildMultipart({{"file", "x.txt", "", "x"}});
        r = c.Send(k.method, k.target, who, body, type);
      } else {
        r = c.Send(k.method, k.target, who, k.body, k.body.empty() ? "" : "application/json");
      }
      if (k.target == "/api/v1/session" && !who.session_cookie.empty()) {
        // Logging out of a session that does not exist is idempotent: cookie cleared, 204.
        EXPECT_EQ(r.status, 204) << r.Describe();
        continue;
      }
      EXPECT_EQ(r.status, 401) << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "unauthenticated") << r.Describe();
      EXPECT_EQ(r.Header("WWW-Authenticate"), "Bearer realm=\"soporte\"") << r.Describe();
    }
  }
  // Logging in and the operational endpoints are the only open doors.
  EXPECT_EQ(c.Get("/healthz").status, 200);
  EXPECT_EQ(c.Get("/metrics").status, 200);
  // Nothing was created by anyone above.
  EXPECT_EQ(Expect(c.Get("/api/v1/tickets", agent_), 200, "staff list").at("tickets").as_array().size(), 2u);
  EXPECT_EQ(Expect(c.Get("/api/v1/orgs", agent_), 200, "orgs").at("orgs").as_array().size(), 2u);
  EXPECT_EQ(Expect(c.Get("/api/v1/calendars", agent_), 200, "calendars").at("calendars").as_array().size(), 0u);
}

// Calendars are the vendor's: a customer gets 403 on every calendar route (existing or not, so
// nothing leaks) and cannot move its own contract's calendar either.
TEST_F(IsolationTest, CalendarsAreForStaffOnly) {
  HttpClient& c = *client_;
  const std::string hours = R"("hours":{"monday":[{"from":"08:00","to":"18:00"}]})";
  for (const Auth& customer : {gina_, alice_}) {
    for (const auto& [method, target, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "/api/v1/calendars", ""},
             {"GET", "/api/v1/calendars/1", ""},
             {"GET", "/api/v1/calendars/999", ""},
             {"POST", "/api/v1/calendars", "{\"name\":\"Intruso\"," + hours + "}"},
             {"PUT", "/api/v1/calendars/1", "{\"name\":\"Intruso\"," + hours + "}"},
             {"POST", "/api/v1/calendars/1/closures", R"({"date":"2026-12-24","reason":"x"})"},
             {"DELETE", "/api/v1/calendars/1/closures/2026-12-24", ""},
             {"PATCH", "/api/v1/orgs/acme/contracts/1", R"({"calendar_id":null})"},
             {"PATCH", "/api/v1/orgs/globex/contracts/2", R"({"calendar_id":null})"}}) {
      SCOPED_TRACE(method + " " + target);
      HttpResponse r = c.Send(method, target, customer, body, body.empty() ? "" : "application/json");
      EXPECT_EQ(r.status, 403) << r.Describe();
      EXPECT_EQ(r.ErrorCode(), "permission_denied") << r.Describe();
    }
  }
  EXPECT_EQ(Expect(c.Get("/api/v1/calendars", agent_), 200, "calendars").at("calendars").as_array().size(), 0u);
}

}  // namespace
}  // namespace soporte::test
