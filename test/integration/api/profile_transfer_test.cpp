// Export and import of a profile through the real binary (issue 6, item 3): a round trip into a
// second organisation gives the same profile; a default export holds no secret value; an export
// with secrets holds none in the clear, is a logged reveal, and imports back revealable with the
// right passphrase; a wrong passphrase or a malformed document is a 400 naming the problem and
// leaves the store unchanged; the CLI writes and reads the same document.
#include <filesystem>
#include <functional>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "profile pass 1";
constexpr char kSecret[] = "Zq9-export-secret-3141";
constexpr char kKeySecret[] = "Zq9-export-key-2718";
constexpr char kPassphrase[] = "frase de paso bastante larga";

class ProfileTransferApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.AddOrg("acme", "ACME S.A.");
    data_.AddOrg("globex", "Globex S.A.");
    data_.AddUser("agent@example.com", "Agente", "agent", "", kPassword);
    data_.AddUser("super@example.com", "Supervisora", "supervisor", "", kPassword);
    data_.AddUser("carla@acme.example.com", "Carla", "customer", "acme", kPassword);
    data_.AddUser("gina@globex.example.com", "Gina", "customer", "globex", kPassword, /*org_admin=*/true);
    agent_ = Auth::Bearer(data_.CreateToken("agent@example.com"));
    super_ = Auth::Bearer(data_.CreateToken("super@example.com"));
    carla_ = Auth::Bearer(data_.CreateToken("carla@acme.example.com"));
    gina_ = Auth::Bearer(data_.CreateToken("gina@globex.example.com"));
    server_.emplace(ServerProcess::Start(data_.path()));
    client_.emplace(server_->port());
  }
  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }

  json::object Add(const std::string& kinds, const json::object& body) {
    return Expect(client_->Post("/api/v1/orgs/acme/profile/" + kinds, body, agent_), 201, "POST " + kinds);
  }

  void Populate() {
    const auto env = Int(Add("environments", {{"kind", "prod"}, {"name", "Producción"}}), "id");
    Add("hosts", {{"environment", env}, {"name", "app01"}, {"address", "app01.acme.example.com"}, {"port", 8443}});
    Add("os_users", {{"environment", env}, {"user", "foxsvc"}, {"password", kSecret}});
    const auto comp = Int(Add("components", {{"environment", env}, {"name", "FOX"}, {"version", "1.4.2"}}), "id");
    Add("patches", {{"component", comp}, {"name", "hotfix-12"}, {"applied_on", "2026-10-01"}});
    const auto boss = Int(Add("contacts", {{"name", "Beatriz"}, {"email", "beatriz@acme.example.com"}}), "id");
    Add("contacts", {{"name", "Walter"}, {"reports_to", boss}});
    Add("remote_access", {{"environment", env}, {"method", "vpn"}, {"address", "vpn.acme.example.com"},
                          {"private_key", kKeySecret}});
  }

  // The profile of `org` without ids and times, references and parents by name, secrets as
  // set/unset: two organisations with the same profile give the same text.
  std::string Shape(const std::string& org) {
    json::object p = Expect(client_->Get("/api/v1/orgs/" + org + "/profile", agent_), 200, "profile");
    std::map<std::int64_t, std::string> contact_names;
    for (const auto& c : p.at("contacts").as_array()) {
      contact_names[Int(c.as_object(), "id")] = Str(c.as_object(), "name");
    }
    std::function<void(json::value&)> strip = [&](json::value& v) {
      if (v.is_array()) {
        for (auto& x : v.as_array()) strip(x);
      } else if (v.is_object()) {
        auto& o = v.as_object();
        for (const char* k : {"id", "created_at", "updated_at", "environment", "component", "secret_id"}) o.erase(k);
        if (o.contains("reports_to") && o.at("reports_to").is_int64()) {
          o["reports_to"] = contact_names[o.at("reports_to").as_int64()];
        }
        for (auto& kv : o) strip(kv.value());
      }
    };
    p.erase("org");
    json::value v = p;
    strip(v);
    return json::serialize(v);
  }

  std::vector<std::int64_t> SecretIds(const std::string& org) {
    std::vector<std::int64_t> ids;
    const std::string body = client_->Get("/api/v1/orgs/" + org + "/profile", agent_).body;
    for (std::size_t at = body.find("\"secret_id\":"); at != std::string::npos; at = body.find("\"secret_id\":", at + 1)) {
      ids.push_back(std::stoll(body.substr(at + 12)));
    }
    return ids;
  }

  std::set<std::string> RevealAll(const std::string& org) {
    std::set<std::string> values;
    for (auto id : SecretIds(org)) {
      json::object r = Expect(client_->Post("/api/v1/orgs/" + org + "/profile/secrets/" + std::to_string(id) + "/reveal",
                                            json::object{{"reason", "comprobar importación"}}, agent_),
                              200, "reveal");
      values.insert(Str(r, "value"));
    }
    return values;
  }

  HttpResponse Import(const std::string& org, const json::value& document, const std::string& passphrase,
                      const Auth& who, const std::string& mode = "merge") {
    json::object body{{"document", document}, {"mode", mode}};
    if (!passphrase.empty()) body["passphrase"] = passphrase;
    return client_->Post("/api/v1/orgs/" + org + "/profile/import", body, who);
  }

  DataDir data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth agent_, super_, carla_, gina_;
};

TEST_F(ProfileTransferApiTest, DefaultExportLeavesSecretsOutAndRoundTripsIntoAnotherOrg) {
  Populate();
  const HttpResponse r = client_->Get("/api/v1/orgs/acme/profile/export", carla_);  // any reader may export
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_NE(r.Header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_NE(r.Header("Content-Disposition").find("soporte-profile-acme-"), std::string::npos);
  // The grep can fail: a non-secret value is found, the secrets are not.
  EXPECT_NE(r.body.find("app01.acme.example.com"), std::string::npos);
  EXPECT_EQ(r.body.find(kSecret), std::string::npos);
  EXPECT_EQ(r.body.find(kKeySecret), std::string::npos);
  const json::value doc = r.Json();
  EXPECT_EQ(Str(doc, "format"), "soporte-profile");
  EXPECT_EQ(Int(doc, "version"), 1);
  EXPECT_EQ(Str(doc, "secrets"), "excluded");
  EXPECT_EQ(doc.as_object().at("entries").as_array().size(), 8u);
  EXPECT_EQ(r.body.find("\"id\""), std::string::npos);  // no database ids

  json::object summary = Expect(Import("globex", doc, "", gina_), 200, "import");
  EXPECT_EQ(Int(summary, "created"), 8);
  EXPECT_EQ(Int(summary, "secrets_skipped"), 2);
  // Same profile but the secrets, which were not exported.
  std::string acme = Shape("acme");
  for (std::size_t at = acme.find("\"set\":true"); at != std::string::npos; at = acme.find("\"set\":true")) {
    acme.replace(at, 10, "\"set\":false");
  }
  EXPECT_EQ(Shape("globex"), acme);
  // Importing again changes nothing (merge matches every entry).
  summary = Expect(Import("globex", doc, "", gina_), 200, "import again");
  EXPECT_EQ(Int(summary, "created"), 0);
  EXPECT_EQ(Int(summary, "unchanged"), 8);
}

TEST_F(ProfileTransferApiTest, ExportWithSecretsIsALoggedRevealAndImportsRevealable) {
  Populate();
  const std::string path = "/api/v1/orgs/acme/profile/export";
  // Who and how: customers may not, a reason and a long passphrase are required.
  HttpResponse r = client_->Post(path, json::object{{"include_secrets", true}, {"passphrase", kPassphrase}, {"reason", "x"}}, carla_);
  EXPECT_EQ(r.status, 403) << r.Describe();
  r = client_->Post(path, json::object{{"include_secrets", true}, {"passphrase", kPassphrase}}, agent_);
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.ErrorMessage().find("reason"), std::string::npos);
  r = client_->Post(path, json::object{{"include_secrets", true}, {"passphrase", "corta"}, {"reason", "migración"}}, agent_);
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.ErrorMessage().find("at least 12 characters"), std::string::npos);
  EXPECT_TRUE(Expect(client_->Get("/api/v1/orgs/acme/profile/reveals", super_), 200, "log").at("reveals").as_array().empty());

  r = client_->Post(path, json::object{{"include_secrets", true}, {"passphrase", kPassphrase}, {"reason", "migración a globex"}}, agent_);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_NE(r.Header("Content-Disposition").find("-secrets.json"), std::string::npos);
  EXPECT_EQ(r.body.find(kSecret), std::string::npos);
  EXPECT_EQ(r.body.find(kKeySecret), std::string::npos);
  EXPECT_EQ(r.body.find(kPassphrase), std::string::npos);
  EXPECT_NE(r.body.find("\"ciphertext\""), std::string::npos);
  const json::value doc = r.Json();
  EXPECT_EQ(Str(doc, "secrets"), "encrypted");
  EXPECT_EQ(Str(doc.as_object().at("encryption"), "kdf"), "argon2id13");

  // One reveal record per secret, by the agent, with the reason.
  json::array log = Expect(client_->Get("/api/v1/orgs/acme/profile/reveals", super_), 200, "log").at("reveals").as_array();
  ASSERT_EQ(log.size(), 2u);
  for (const auto& x : log) {
    EXPECT_EQ(Str(x.as_object(), "reason"), "profile export: migración a globex");
    EXPECT_EQ(Str(x.as_object().at("by"), "email"), "agent@example.com");
  }

  // A wrong passphrase: 400, and globex's profile is untouched.
  const std::string before = client_->Get("/api/v1/orgs/globex/profile", agent_).body;
  r = Import("globex", doc, "no es la frase correcta", gina_);
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.ErrorMessage().find("passphrase is wrong"), std::string::npos);
  r = Import("globex", doc, "", gina_);
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.ErrorMessage().find("passphrase is required"), std::string::npos);
  EXPECT_EQ(client_->Get("/api/v1/orgs/globex/profile", agent_).body, before);

  json::object summary = Expect(Import("globex", doc, kPassphrase, gina_), 200, "import");
  EXPECT_EQ(Int(summary, "created"), 8);
  EXPECT_EQ(Int(summary, "secrets_imported"), 2);
  EXPECT_EQ(Shape("globex"), Shape("acme"));
  EXPECT_EQ(RevealAll("globex"), (std::set<std::string>{kSecret, kKeySecret}));
}

TEST_F(ProfileTransferApiTest, MalformedDocumentsAre400NamingTheProblemAndStoreNothing) {
  Populate();
  const json::value good = client_->Get("/api/v1/orgs/acme/profile/export", agent_).Json();
  const std::string before = client_->Get("/api/v1/orgs/globex/profile", agent_).body;
  const std::string history_before = client_->Get("/api/v1/orgs/globex/profile/history", agent_).body;
  auto refused = [&](const json::value& doc, const std::string& named) {
    HttpResponse r = Import("globex", doc, "", agent_);
    EXPECT_EQ(r.status, 400) << named << ": " << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "invalid_argument") << r.Describe();
    EXPECT_NE(r.ErrorMessage().find(named), std::string::npos) << r.ErrorMessage();
  };
  json::value d = good;
  d.as_object()["version"] = 2;
  refused(d, "version must be 1");
  d = good;
  d.as_object()["entries"].as_array()[3].as_object()["kind"] = "hots";
  refused(d, "entries[3].kind: unknown kind 'hots'");
  d = good;
  d.as_object()["entries"].as_array()[2].as_object()["fields"].as_object()["colour"] = "red";
  refused(d, "entries[2].fields: unknown field 'colour'");
  // The last entry is valid only with its parent: remove the environment it needs.
  d = good;
  auto& entries = d.as_object()["entries"].as_array();
  entries.erase(entries.begin());
  refused(d, "entries[0] (host-1): parent 'environment-1' is not the key of an earlier environment");
  d = good;
  d.as_object()["entries"].as_array().back().as_object()["fields"].as_object()["address"] = "";
  refused(d, "address is required");

  HttpResponse r = client_->Send("POST", "/api/v1/orgs/globex/profile/import", agent_, "{\"document\":", "application/json");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.ErrorMessage().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(client_->Get("/api/v1/orgs/globex/profile", agent_).body, before);
  EXPECT_EQ(client_->Get("/api/v1/orgs/globex/profile/history", agent_).body, history_before);

  // Who may import: staff and the organisation's administrator; other customers may not.
  r = Import("acme", good, "", carla_);
  EXPECT_EQ(r.status, 403) << r.Describe();
}

TEST_F(ProfileTransferApiTest, ReplaceModeSwapsTheWholeProfileInOneStep) {
  Populate();
  const json::value doc = client_->Get("/api/v1/orgs/acme/profile/export", agent_).Json();
  Expect(client_->Post("/api/v1/orgs/globex/profile/contacts", json::object{{"name", "Antiguo"}}, gina_), 201, "contact");
  json::object s = Expect(Import("globex", doc, "", gina_, "replace"), 200, "replace");
  EXPECT_EQ(Int(s, "deleted"), 1);
  EXPECT_EQ(Int(s, "created"), 8);
  EXPECT_EQ(client_->Get("/api/v1/orgs/globex/profile", agent_).body.find("Antiguo"), std::string::npos);
  HttpResponse r = Import("globex", doc, "", gina_, "wipe");
  EXPECT_EQ(r.status, 400) << r.Describe();
  EXPECT_NE(r.ErrorMessage().find("mode must be"), std::string::npos);
}

TEST_F(ProfileTransferApiTest, TheCommandLineWritesAndReadsTheSameDocument) {
  Populate();
  TempDir dir;
  const std::string file = dir.path() + "/acme.json";
  CommandResult out = RunSoporte({"profile", "export", "--data", data_.path(), "--org", "acme", "--include-secrets",
                                  "--passphrase-stdin", "--reason", "copia de seguridad", "--as", "agent@example.com",
                                  "--out", file},
                                 std::string(kPassphrase) + "\n");
  ASSERT_EQ(out.exit_code, 0) << out.Describe();
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find("\"encrypted\""), std::string::npos);
  EXPECT_EQ(ss.str().find(kSecret), std::string::npos);
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::group_read,
            std::filesystem::perms::none);
  // Without --as an export with secrets is refused (the reveal log names a person).
  out = RunSoporte({"profile", "export", "--data", data_.path(), "--org", "acme", "--include-secrets",
                    "--passphrase-stdin", "--reason", "x"}, std::string(kPassphrase) + "\n");
  EXPECT_EQ(out.exit_code, 2) << out.Describe();

  out = RunSoporte({"profile", "import", "--data", data_.path(), "--org", "globex", "--file", file,
                    "--passphrase-stdin"}, "otra frase equivocada\n");
  EXPECT_NE(out.exit_code, 0) << out.Describe();
  EXPECT_NE(out.err.find("passphrase is wrong"), std::string::npos) << out.Describe();
  out = RunSoporte({"profile", "import", "--data", data_.path(), "--org", "globex", "--file", file,
                    "--passphrase-stdin"}, std::string(kPassphrase) + "\n");
  ASSERT_EQ(out.exit_code, 0) << out.Describe();
  EXPECT_NE(out.out.find("8 created"), std::string::npos) << out.Describe();
  EXPECT_EQ(Shape("globex"), Shape("acme"));
  EXPECT_EQ(RevealAll("globex"), (std::set<std::string>{kSecret, kKeySecret}));
  // Default export to standard output.
  out = RunSoporte({"profile", "export", "--data", data_.path(), "--org", "globex"});
  ASSERT_EQ(out.exit_code, 0) << out.Describe();
  EXPECT_NE(out.out.find("\"soporte-profile\""), std::string::npos);
  EXPECT_EQ(out.out.find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace soporte::test
