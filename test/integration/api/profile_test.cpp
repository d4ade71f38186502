// The customer profile through the real binary (issue 6): CRUD of every section, secrets shown
// only as "set", reveal with and without a reason and its log, the role matrix, and the
// promises about secrets at rest: the database, its WAL, a backup and the server's logs hold no
// secret in the clear (each grep is shown able to fail on a non-secret marker written beside
// them); key rotation keeps every secret readable; a wrong or unsafe key file is refused with a
// clear message and changes nothing.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

constexpr char kPassword[] = "profile pass 1";
// Written as secrets: must never be found in the clear on disk or in a log.
const std::vector<std::string> kSecrets = {"Zq9-os-user-secret-7731", "Zq9-console-secret-4410",
                                           "Zq9-vpn-secret-9921", "Zq9-private-key-5508"};
// Written as ordinary fields beside them: must be found (the grep can fail).
constexpr char kMarker[] = "marker-not-secret-6612.acme.example.com";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Sha256File(const std::string& path) { return Sha256Hex(ReadAll(path)); }

class ProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.emplace();
    data_->AddOrg("acme", "ACME S.A.");
    data_->AddOrg("globex", "Globex S.A.");
    data_->AddContract("acme", "24x7");
    data_->AddUser("agent@example.com", "Agente", "agent", "", kPassword);
    data_->AddUser("super@example.com", "Supervisora", "supervisor", "", kPassword);
    data_->AddUser("carla@acme.example.com", "Carla", "customer", "acme", kPassword);
    data_->AddUser("olga@acme.example.com", "Olga", "customer", "acme", kPassword, /*org_admin=*/true);
    data_->AddUser("gina@globex.example.com", "Gina", "customer", "globex", kPassword, true);
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    super_ = Auth::Bearer(data_->CreateToken("super@example.com"));
    carla_ = Auth::Bearer(data_->CreateToken("carla@acme.example.com"));
    olga_ = Auth::Bearer(data_->CreateToken("olga@acme.example.com"));
    gina_ = Auth::Bearer(data_->CreateToken("gina@globex.example.com"));
    log_ = fs::path(data_->path()).parent_path().string() + "/server.stderr";
    Start();
  }

  void Start() {
    server_.emplace(ServerProcess::Start(data_->path(), {"--access-log"}, log_));
    client_.emplace(server_->port());
  }
  void StopServer() {
    client_.reset();
    ASSERT_EQ(server_->Stop(), 0) << server_->output();
    server_log_ += server_->output();
    server_.reset();
  }

  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }

  json::object Post(const std::string& path, const json::object& body, const Auth& who, int status = 201) {
    return Expect(client_->Post("/api/v1/orgs/acme/profile/" + path, body, who), status, "POST " + path);
  }

  // A profile with one secret of each kind that has them.
  void Populate() {
    env_ = Int(Post("environments", {{"kind", "prod"}, {"name", "Producción"}, {"notes", "cluster principal"}}, agent_), "id");
    Post("hosts", {{"environment", env_}, {"name", "app01"}, {"address", kMarker}, {"port", 8443}}, agent_);
    os_user_ = Post("os_users", {{"environment", env_}, {"user", "foxsvc"}, {"password", kSecrets[0]}}, agent_);
    Post("component_paths", {{"environment", env_}, {"component", "FOX"}, {"path", "/opt/fox"}}, agent_);
    Post("start_commands", {{"environment", env_}, {"component", "FOX"}, {"command", "/opt/fox/bin/start.sh"}}, agent_);
    Post("admin_consoles", {{"environment", env_}, {"name", "WebLogic"}, {"url", "https://console.acme.example.com"},
                            {"user", "weblogic"}, {"password", kSecrets[1]}}, olga_);
    Post("test_users", {{"environment", env_}, {"user", "prueba1"}}, agent_);
    comp_ = Int(Post("components", {{"environment", env_}, {"name", "FOX"}, {"version", "1.4.2.3"}}, agent_), "id");
    Post("patches", {{"component", comp_}, {"name", "hotfix-12"}, {"applied_on", "2026-10-01"}}, agent_);
    boss_ = Int(Post("contacts", {{"name", "Beatriz Jefe"}, {"role", "TI"}, {"phone", "+57 1 555 0100"},
                                  {"extension", "204"}, {"email", "beatriz@acme.example.com"}}, olga_), "id");
    Post("contacts", {{"name", "Walter"}, {"reports_to", boss_}}, olga_);
    remote_ = Post("remote_access", {{"environment", env_}, {"method", "vpn"}, {"address", "vpn.acme.example.com"},
                                     {"user", "soporte"}, {"password", kSecrets[2]}, {"private_key", kSecrets[3]},
                                     {"instructions", "Pedir token a Beatriz"}}, agent_);
  }

  std::int64_t SecretId(const json::object& entry, const char* field) {
    return Int(entry.at(field).as_object(), "secret_id");
  }

  // Every secret id of the profile (as `who` sees it).
  std::vector<std::int64_t> AllSecretIds(const Auth& who) {
    std::vector<std::int64_t> ids;
    const std::string body = client_->Get("/api/v1/orgs/acme/profile", who).body;
    for (std::size_t at = body.find("\"secret_id\":"); at != std::string::npos; at = body.find("\"secret_id\":", at + 1)) {
      ids.push_back(std::stoll(body.substr(at + 12)));
    }
    return ids;
  }

  std::string Reveal(std::int64_t id, const Auth& who, const std::string& reason = "ticket #1001") {
    auto r = client_->Post("/api/v1/orgs/acme/profile/secrets/" + std::to_string(id) + "/reveal",
                           json::object{{"reason", reason}}, who);
    return Str(Expect(r, 200, "reveal"), "value");
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  std::string log_, server_log_;
  Auth agent_, super_, carla_, olga_, gina_;
  std::int64_t env_ = 0, comp_ = 0, boss_ = 0;
  json::object os_user_, remote_;
};

TEST_F(ProfileTest, TheProfileIsATreeAndSecretsAreOnlySet) {
  Populate();
  const HttpResponse r = client_->Get("/api/v1/orgs/acme/profile", carla_);
  json::object p = Expect(r, 200, "profile");
  for (const auto& s : kSecrets) EXPECT_EQ(r.body.find(s), std::string::npos) << "secret in a read: " << s;
  EXPECT_EQ(p.at("can_edit").as_bool(), false);
  ASSERT_EQ(p.at("environments").as_array().size(), 1u);
  const json::object& env = p.at("environments").as_array()[0].as_object();
  EXPECT_EQ(Str(env, "kind"), "prod");
  EXPECT_EQ(Int(env.at("hosts").as_array()[0], "port"), 8443);
  EXPECT_EQ(env.at("os_users").as_array()[0].at("password").at("set").as_bool(), true);
  EXPECT_EQ(env.at("test_users").as_array()[0].at("password").at("set").as_bool(), false);
  const json::object& comp = env.at("components").as_array()[0].as_object();
  EXPECT_EQ(Str(comp, "version"), "1.4.2.3");
  EXPECT_EQ(Str(comp.at("patches").as_array()[0], "applied_on"), "2026-10-01");
  EXPECT_EQ(p.at("contacts").as_array().size(), 2u);
  EXPECT_EQ(Int(p.at("contacts").as_array()[1], "reports_to"), boss_);
  EXPECT_EQ(Int(p.at("remote_access").as_array()[0], "environment"), env_);
  for (const auto& s : kSecrets) EXPECT_EQ(os_user_.at("password").as_object().contains("value"), false) << s;

  // Replace a host's fields; delete the component with its patch.
  const std::int64_t host = Int(env.at("hosts").as_array()[0], "id");
  auto put = client_->Send("PUT", "/api/v1/orgs/acme/profile/hosts/" + std::to_string(host), agent_,
                           json::serialize(json::object{{"address", "10.9.9.9"}, {"port", "9443"}}), "application/json");
  EXPECT_EQ(Int(Expect(put, 200, "put host"), "port"), 9443);
  EXPECT_EQ(Int(Expect(put, 200, "put host"), "environment"), env_) << "parent kept";
  Expect(client_->Delete("/api/v1/orgs/acme/profile/components/" + std::to_string(comp_), agent_), 200, "delete");
  json::object after = Expect(client_->Get("/api/v1/orgs/acme/profile", agent_), 200, "after");
  EXPECT_TRUE(after.at("environments").as_array()[0].at("components").as_array().empty());

  // History: who did what, never a secret's value.
  const HttpResponse h = client_->Get("/api/v1/orgs/acme/profile/history", carla_);
  json::array events = Expect(h, 200, "history").at("events").as_array();
  EXPECT_GE(events.size(), 14u);
  EXPECT_NE(h.body.find("address: " + std::string(kMarker) + " -> 10.9.9.9"), std::string::npos) << h.body;
  EXPECT_NE(h.body.find("password changed"), std::string::npos);
  for (const auto& s : kSecrets) EXPECT_EQ(h.body.find(s), std::string::npos) << s;
}

TEST_F(ProfileTest, BadInputIsRefusedNamingTheProblem) {
  Populate();
  struct Bad { std::string path; json::object body; int status; std::string code, words; };
  const std::vector<Bad> cases = {
      {"hosts", json::object{{"environment", env_}, {"address", "h"}, {"port", 70000}}, 400, "invalid_argument", "port must be"},
      {"hosts", json::object{{"address", "h"}}, 400, "invalid_argument", "environment is required"},
      {"hosts", json::object{{"environment", 999999}, {"address", "h"}}, 400, "invalid_argument", "does not exist"},
      {"patches", json::object{{"component", env_}, {"name", "p"}}, 400, "invalid_argument", "does not exist"},
      {"environments", json::object{{"kind", "staging"}, {"name", "x"}}, 400, "invalid_argument", "kind must be one of"},
      {"environments", json::object{{"kind", "dev"}, {"name", "x"}, {"colour", "red"}}, 400, "invalid_argument", "unknown field 'colour'"},
      {"contacts", json::object{{"name", "x"}, {"reports_to", env_}}, 400, "invalid_argument", "reports_to"},
      {"os_users", json::object{{"environment", env_}, {"user", "u"}, {"password", 5}}, 400, "invalid_argument", "password must be a string"},
      {"planets", json::object{{"name", "x"}}, 404, "not_found", "no profile section 'planets'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path + " " + json::serialize(c.body));
    auto r = client_->Post("/api/v1/orgs/acme/profile/" + c.path, c.body, agent_);
    EXPECT_EQ(r.status, c.status) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), c.code);
    EXPECT_NE(r.ErrorMessage().find(c.words), std::string::npos) << r.ErrorMessage();
  }
}

TEST_F(ProfileTest, RevealNeedsAReasonAndEveryRevealIsLogged) {
  Populate();
  const std::int64_t id = SecretId(os_user_, "password");
  const std::string target = "/api/v1/orgs/acme/profile/secrets/" + std::to_string(id) + "/reveal";
  for (const std::string& body : {std::string(""), std::string("{}"), std::string(R"({"reason":"   "})")}) {
    auto r = client_->Send("POST", target, agent_, body, "application/json");
    EXPECT_EQ(r.status, 400) << body << " → " << r.Describe();
    EXPECT_NE(r.ErrorMessage().find("reason"), std::string::npos) << r.Describe();
    for (const auto& s : kSecrets) EXPECT_EQ(r.body.find(s), std::string::npos);
  }
  EXPECT_TRUE(Expect(client_->Get("/api/v1/orgs/acme/profile/reveals", super_), 200, "log").at("reveals").as_array().empty())
      << "a refused reveal is not a reveal";

  EXPECT_EQ(Reveal(id, agent_, "ticket #1001: reiniciar FOX"), kSecrets[0]);
  json::array log = Expect(client_->Get("/api/v1/orgs/acme/profile/reveals", super_), 200, "log").at("reveals").as_array();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(Str(log[0], "reason"), "ticket #1001: reiniciar FOX");
  EXPECT_EQ(Str(log[0].at("by"), "email"), "agent@example.com");
  EXPECT_EQ(Str(log[0], "field"), "password");
  EXPECT_FALSE(Str(log[0], "at").empty());
  EXPECT_EQ(client_->Get("/api/v1/orgs/acme/profile/reveals", agent_).status, 403) << "agents do not read the log";
  const HttpResponse h = client_->Get("/api/v1/orgs/acme/profile/history", agent_);
  EXPECT_NE(h.body.find("password revealed: ticket #1001: reiniciar FOX"), std::string::npos) << h.body;
  EXPECT_EQ(h.body.find(kSecrets[0]), std::string::npos);
}

TEST_F(ProfileTest, RoleMatrix) {
  Populate();
  const std::int64_t id = SecretId(remote_, "password");
  const json::object host{{"environment", env_}, {"address", "10.0.0.7"}};
  // A customer who is not its organisation's administrator: reads, but may not write or reveal.
  EXPECT_EQ(client_->Get("/api/v1/orgs/acme/profile", carla_).status, 200);
  EXPECT_EQ(client_->Post("/api/v1/orgs/acme/profile/hosts", host, carla_).status, 403);
  EXPECT_EQ(client_->Post("/api/v1/orgs/acme/profile/secrets/" + std::to_string(id) + "/reveal",
                          json::object{{"reason", "ver"}}, carla_).status, 403);
  EXPECT_EQ(client_->Get("/api/v1/orgs/acme/profile/reveals", carla_).status, 403);
  // The organisation's administrator: writes its secrets and reads them back, sees the log.
  json::object mine = Post("os_users", {{"environment", env_}, {"user", "olga"}, {"password", "olga-pw-1"}}, olga_);
  EXPECT_EQ(Reveal(SecretId(mine, "password"), olga_, "la olvidé"), "olga-pw-1");
  EXPECT_EQ(Reveal(id, olga_, "auditoría"), kSecrets[2]);
  EXPECT_EQ(client_->Get("/api/v1/orgs/acme/profile/reveals", olga_).status, 200);
  json::object profile = Expect(client_->Get("/api/v1/orgs/acme/profile", olga_), 200, "olga");
  EXPECT_TRUE(profile.at("can_edit").as_bool());
  EXPECT_TRUE(profile.at("can_reveal").as_bool());
  // Staff: agents and supervisors write and reveal.
  EXPECT_EQ(Reveal(id, super_, "escalamiento"), kSecrets[2]);
  // Another organisation's administrator: acme's secret is not reachable through globex either.
  auto cross = client_->Post("/api/v1/orgs/globex/profile/secrets/" + std::to_string(id) + "/reveal",
                             json::object{{"reason", "x"}}, gina_);
  EXPECT_EQ(cross.status, 404) << cross.Describe();
  EXPECT_EQ(cross.body.find(kSecrets[2]), std::string::npos);
}

TEST_F(ProfileTest, NoSecretInTheClearInTheDatabaseWalBackupOrLogs) {
  Populate();
  for (auto id : AllSecretIds(agent_)) Reveal(id, agent_);
  EXPECT_EQ(AllSecretIds(agent_).size(), kSecrets.size());
  // Backup while the server runs (the online backup API), and copy the live WAL as it is now.
  const std::string dir = fs::path(data_->path()).parent_path().string();
  const std::string backup = dir + "/backup.db";
  CommandResult b = RunSoporte({"backup", "--data", data_->path(), "--out", backup});
  ASSERT_EQ(b.exit_code, 0) << b.Describe();
  struct stat st {};
  ASSERT_EQ(::stat(backup.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u) << "the backup is readable by its owner only";
  const std::string wal = data_->path() + "/soporte.db-wal";
  ASSERT_TRUE(fs::exists(wal)) << "the server keeps a WAL while it runs";
  const std::string wal_copy = ReadAll(wal);
  const std::string db_copy = ReadAll(data_->path() + "/soporte.db");
  StopServer();

  const std::vector<std::pair<std::string, std::string>> files = {
      {"soporte.db (running)", db_copy},
      {"soporte.db-wal (running)", wal_copy},
      {"soporte.db (stopped)", ReadAll(data_->path() + "/soporte.db")},
      {"backup", ReadAll(backup)},
  };
  // The marker is found in what holds the data (the database file or its WAL, and the backup):
  // the search works, so finding no secret means something.
  EXPECT_NE((db_copy + wal_copy).find(kMarker), std::string::npos);
  EXPECT_NE(files[2].second.find(kMarker), std::string::npos);
  EXPECT_NE(files[3].second.find(kMarker), std::string::npos);
  for (const auto& [name, bytes] : files) {
    ASSERT_FALSE(bytes.empty()) << name;
    for (const auto& s : kSecrets) EXPECT_EQ(bytes.find(s), std::string::npos) << s << " in the clear in " << name;
  }
  const std::string logs = server_log_ + ReadAll(log_);
  // The access log names the route template, never the raw path.
  EXPECT_NE(logs.find("/api/v1/orgs/{slug}/profile/secrets/{id}/reveal"), std::string::npos)
      << "the access log was written: " << logs;
  for (const auto& s : kSecrets) EXPECT_EQ(logs.find(s), std::string::npos) << s << " in the server's logs";
  // The reveal log holds who/when/why, not values: it is in the database, so covered above.
}

TEST_F(ProfileTest, RotatingTheKeyKeepsEverySecretReadable) {
  Populate();
  const std::string key = data_->path() + "/secret.key";
  const std::string old_key = ReadAll(key);
  StopServer();
  CommandResult r = RunSoporte({"secrets", "rotate-key", "--data", data_->path()});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("4 secrets re-sealed"), std::string::npos) << r.out;
  EXPECT_NE(ReadAll(key), old_key);
  EXPECT_FALSE(fs::exists(key + ".new"));
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A second rotation right after also works (and is idempotent on the data it finds).
  CommandResult again = RunSoporte({"secrets", "rotate-key", "--data", data_->path()});
  ASSERT_EQ(again.exit_code, 0) << again.Describe();
  Start();
  std::vector<std::string> values;
  for (auto id : AllSecretIds(agent_)) values.push_back(Reveal(id, agent_));
  std::sort(values.begin(), values.end());
  auto expected = kSecrets;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(values, expected);
  EXPECT_NE(client_->Get("/api/v1/orgs/acme/profile/history", super_).body.find("rotated"), std::string::npos);
}

TEST_F(ProfileTest, AWrongOrUnsafeKeyIsRefusedClearlyAndChangesNothing) {
  Populate();
  StopServer();
  const std::string key = data_->path() + "/secret.key";
  const std::string db = data_->path() + "/soporte.db";
  const std::string right = ReadAll(key);
  const std::string before = Sha256File(db);

  // Another valid key: serve and rotate-key both refuse, naming the problem; the data is untouched.
  fs::remove(key);
  {
    std::string other(32, '\0');
    for (std::size_t i = 0; i < other.size(); ++i) other[i] = static_cast<char>(right[i] ^ 0x5a);
    std::ofstream(key, std::ios::binary) << other;
    fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  }
  CommandResult serve = RunSoporte({"serve", "--data", data_->path(), "--listen", "127.0.0.1:0"});
  EXPECT_NE(serve.exit_code, 0);
  EXPECT_NE(serve.err.find("sealed under key"), std::string::npos) << serve.Describe();
  EXPECT_NE(serve.err.find("secret.key"), std::string::npos) << serve.Describe();
  CommandResult rotate = RunSoporte({"secrets", "rotate-key", "--data", data_->path()});
  EXPECT_NE(rotate.exit_code, 0);
  EXPECT_NE(rotate.err.find("nothing was changed"), std::string::npos) << rotate.Describe();
  EXPECT_FALSE(fs::exists(key + ".new"));
  EXPECT_EQ(Sha256File(db), before);

  // The right key, readable by others: refused before anything opens.
  std::ofstream(key, std::ios::binary | std::ios::trunc) << right;
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  CommandResult loose = RunSoporte({"serve", "--data", data_->path(), "--listen", "127.0.0.1:0"});
  EXPECT_NE(loose.exit_code, 0);
  EXPECT_NE(loose.err.find("mode 0644"), std::string::npos) << loose.Describe();
  EXPECT_NE(loose.err.find("chmod 600"), std::string::npos) << loose.Describe();

  // A damaged (short) key file.
  std::ofstream(key, std::ios::binary | std::ios::trunc) << right.substr(0, 20);
  fs::permissions(key, fs::perms::owner_read | fs::perms::owner_write);
  CommandResult torn = RunSoporte({"serve", "--data", data_->path(), "--listen", "127.0.0.1:0"});
  EXPECT_NE(torn.exit_code, 0);
  EXPECT_NE(torn.err.find("has 20 bytes"), std::string::npos) << torn.Describe();
  EXPECT_EQ(Sha256File(db), before);

  // Back to the right key: everything opens again.
  std::ofstream(key, std::ios::binary | std::ios::trunc) << right;
  Start();
  EXPECT_EQ(Reveal(SecretId(os_user_, "password"), agent_), kSecrets[0]);
}

TEST_F(ProfileTest, TicketsCarryTheIntakeChecklist) {
  // A customer's incident with its steps and versions: environment, steps and versions present.
  json::object tk = Expect(client_->Post("/api/v1/tickets",
                                         json::object{{"type", "incident"}, {"criticality", "important"}, {"environment", "prod"},
                                                      {"subject", "FOX no inicia"},
                                                      {"intake", json::object{{"steps", "1. iniciar FOX\n2. error"},
                                                                              {"versions", "FOX 1.4.2.3"}, {"logs", "  "}}}},
                                         carla_), 201, "ticket");
  auto state = [](const json::object& ticket) {
    std::map<std::string, bool> out;
    for (const auto& c : ticket.at("checklist").as_array()) out[Str(c, "item")] = c.at("present").as_bool();
    return out;
  };
  EXPECT_EQ(state(tk), (std::map<std::string, bool>{{"environment", true}, {"steps", true}, {"screenshots", false},
                                                    {"logs", false}, {"modifications", false}, {"versions", true}}));
  EXPECT_EQ(Str(tk.at("intake"), "versions"), "FOX 1.4.2.3");
  EXPECT_FALSE(tk.at("intake").as_object().contains("logs")) << "a blank answer is no answer";
  // A log file attached later counts as logs.
  const std::string t = "/api/v1/tickets/" + std::to_string(Int(tk, "number"));
  auto [type, body] = BuildMultipart({{"file", "server.log", "text/plain", "ERROR boot failed\n"}});
  Expect(client_->Send("POST", t + "/attachments", agent_, body, type), 201, "attach");
  EXPECT_TRUE(state(Expect(client_->Get(t, carla_), 200, "ticket")).at("logs"));
  // Requests ask less; unknown items are refused.
  json::object req = Expect(client_->Post("/api/v1/tickets",
                                          json::object{{"type", "request"}, {"criticality", "normal"}, {"subject", "usuario"}},
                                          carla_), 201, "request");
  EXPECT_EQ(state(req), (std::map<std::string, bool>{{"environment", false}, {"versions", false}}));
  auto bad = client_->Post("/api/v1/tickets",
                           json::object{{"type", "incident"}, {"criticality", "normal"}, {"subject", "s"},
                                        {"intake", json::object{{"horoscope", "x"}}}}, carla_);
  EXPECT_EQ(bad.status, 400) << bad.Describe();
  EXPECT_NE(bad.ErrorMessage().find("horoscope"), std::string::npos);

  // The rules are configuration: a file that asks only for the environment of critical tickets.
  StopServer();
  const std::string rules = fs::path(data_->path()).parent_path().string() + "/intake.json";
  std::ofstream(rules) << R"([{"criticality":"critical","items":["environment"]},{"items":["steps"]}])";
  server_.emplace(ServerProcess::Start(data_->path(), {"--intake-rules", rules}));
  client_.emplace(server_->port());
  json::object crit = Expect(client_->Post("/api/v1/tickets",
                                           json::object{{"type", "incident"}, {"criticality", "critical"}, {"subject", "caído"}},
                                           carla_), 201, "critical");
  EXPECT_EQ(state(crit), (std::map<std::string, bool>{{"environment", false}}));
  StopServer();
  std::ofstream(rules, std::ios::trunc) << R"([{"items":["telepathy"]}])";
  CommandResult refused = RunSoporte({"serve", "--data", data_->path(), "--listen", "127.0.0.1:0", "--intake-rules", rules});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("intake rule 1"), std::string::npos) << refused.Describe();
}

}  // namespace
}  // namespace soporte::test
