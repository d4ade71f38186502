// Managing users after creation through the real binary (issue 6): an admin grants a customer
// its organisation's administrator flag, and that customer can then read its organisation's
// secrets back (the profile's reveal rule), until the flag is revoked; a customer who
// administers its organisation manages its own colleagues only (another organisation's user is
// 404 like a missing one); a staff target is refused with 422 naming the field; deactivation
// ends the user's session and token; the system keeps its last admin; every change is in the
// user's history; and `soporte user set` does the same from the command line.
#include <optional>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

namespace soporte::test {
namespace {

namespace json = boost::json;

constexpr char kPassword[] = "user admin pass 1";
constexpr char kSecret[] = "Zq9-acme-os-secret-2231";

class UserAdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.emplace();
    data_->AddOrg("acme", "ACME S.A.");
    data_->AddOrg("globex", "Globex S.A.");
    data_->AddContract("acme", "24x7");
    root_id_ = data_->AddUser("root@example.com", "Raíz", "admin", "", kPassword);
    agent_id_ = data_->AddUser("agent@example.com", "Agente", "agent", "", kPassword);
    carla_id_ = data_->AddUser("carla@acme.example.com", "Carla", "customer", "acme", kPassword);
    olga_id_ = data_->AddUser("olga@acme.example.com", "Olga", "customer", "acme", kPassword, /*org_admin=*/true);
    gina_id_ = data_->AddUser("gina@globex.example.com", "Gina", "customer", "globex", kPassword, true);
    root_ = Auth::Bearer(data_->CreateToken("root@example.com"));
    agent_ = Auth::Bearer(data_->CreateToken("agent@example.com"));
    carla_token_ = data_->CreateToken("carla@acme.example.com");
    carla_ = Auth::Bearer(carla_token_);
    olga_ = Auth::Bearer(data_->CreateToken("olga@acme.example.com"));
    gina_ = Auth::Bearer(data_->CreateToken("gina@globex.example.com"));
  }

  void Start() {
    server_.emplace(ServerProcess::Start(data_->path()));
    client_.emplace(server_->port());
  }

  void TearDown() override {
    client_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->output();
    }
  }

  static std::string UserPath(std::int64_t id) { return "/api/v1/users/" + std::to_string(id); }

  // An os_user with a secret password in acme's profile; returns the secret's id.
  std::int64_t AcmeSecret() {
    HttpClient& c = *client_;
    const std::int64_t env = Int(Expect(c.Post("/api/v1/orgs/acme/profile/environments",
                                               json::object{{"kind", "prod"}, {"name", "Producción"}}, agent_),
                                        201, "environment"), "id");
    const json::object user = Expect(c.Post("/api/v1/orgs/acme/profile/os_users",
                                            json::object{{"environment", env}, {"user", "foxsvc"}, {"password", kSecret}},
                                            agent_), 201, "os user");
    return Int(user.at("password").as_object(), "secret_id");
  }
  HttpResponse Reveal(std::int64_t secret, const Auth& who) {
    return client_->Post("/api/v1/orgs/acme/profile/secrets/" + std::to_string(secret) + "/reveal",
                         json::object{{"reason", "ticket #1001: reiniciar FOX"}}, who);
  }

  std::optional<DataDir> data_;
  std::optional<ServerProcess> server_;
  std::optional<HttpClient> client_;
  Auth root_, agent_, carla_, olga_, gina_;
  std::string carla_token_;
  std::int64_t root_id_ = 0, agent_id_ = 0, carla_id_ = 0, olga_id_ = 0, gina_id_ = 0;
};

TEST_F(UserAdminApiTest, GrantedOrgAdminRevealsItsOrganisationsSecretsUntilRevoked) {
  Start();
  HttpClient& c = *client_;
  const std::int64_t secret = AcmeSecret();
  HttpResponse before = Reveal(secret, carla_);
  EXPECT_EQ(before.status, 403) << before.Describe();
  EXPECT_EQ(before.body.find(kSecret), std::string::npos);

  json::object granted = Expect(c.Patch(UserPath(carla_id_), json::object{{"org_admin", true}}, root_), 200, "grant");
  EXPECT_TRUE(granted.at("org_admin").as_bool());
  EXPECT_EQ(Str(granted, "role"), "customer");
  EXPECT_TRUE(Expect(c.Get("/api/v1/me", carla_), 200, "me").at("user").at("org_admin").as_bool())
      << "holds from the next request";
  json::object revealed = Expect(Reveal(secret, carla_), 200, "carla reveals");
  EXPECT_EQ(Str(revealed, "value"), kSecret);
  Expect(c.Post("/api/v1/orgs/acme/profile/contacts", json::object{{"name", "Mesa de ayuda ACME"}}, carla_), 201,
         "carla now maintains the profile");

  Expect(c.Patch(UserPath(carla_id_), json::object{{"org_admin", false}}, root_), 200, "revoke");
  HttpResponse after = Reveal(secret, carla_);
  EXPECT_EQ(after.status, 403) << after.Describe();
  EXPECT_EQ(after.body.find(kSecret), std::string::npos);

  // The history names who did it, in order, after the creation.
  json::array events = Expect(c.Get(UserPath(carla_id_) + "/history", root_), 200, "history").at("events").as_array();
  ASSERT_EQ(events.size(), 3u) << json::serialize(events);
  EXPECT_EQ(Str(events[0], "field"), "created");
  EXPECT_TRUE(events[0].at("by").is_null()) << "the command line";
  EXPECT_EQ(Str(events[1], "field"), "org_admin");
  EXPECT_EQ(Str(events[1], "before"), "false");
  EXPECT_EQ(Str(events[1], "after"), "true");
  EXPECT_EQ(Str(events[1].at("by"), "name"), "Raíz");
  EXPECT_EQ(Str(events[2], "after"), "false");
  EXPECT_NE(Str(events[2], "at").find('T'), std::string::npos);
}

TEST_F(UserAdminApiTest, ACustomerOrgAdminManagesItsOwnOrganisationOnly) {
  Start();
  HttpClient& c = *client_;
  // Olga administers acme: she may make Carla an administrator and take it back.
  EXPECT_TRUE(Expect(c.Patch(UserPath(carla_id_), json::object{{"org_admin", true}}, olga_), 200, "olga grants")
                  .at("org_admin").as_bool());
  EXPECT_FALSE(Expect(c.Patch(UserPath(carla_id_), json::object{{"org_admin", false}}, olga_), 200, "olga revokes")
                   .at("org_admin").as_bool());
  // She reads her colleague's history.
  EXPECT_EQ(Expect(c.Get(UserPath(carla_id_) + "/history", olga_), 200, "history").at("events").as_array().size(), 3u);

  // Globex's user, and a staff user, look exactly like a user that does not exist.
  HttpResponse missing = c.Patch(UserPath(999999), json::object{{"org_admin", false}}, olga_);
  for (std::int64_t id : {gina_id_, agent_id_}) {
    HttpResponse foreign = c.Patch(UserPath(id), json::object{{"org_admin", false}}, olga_);
    EXPECT_EQ(foreign.status, 404) << foreign.Describe();
    EXPECT_EQ(foreign.ErrorCode(), missing.ErrorCode());
    EXPECT_EQ(foreign.ErrorMessage(), missing.ErrorMessage());
    HttpResponse history = c.Get(UserPath(id) + "/history", olga_);
    EXPECT_EQ(history.status, 404) << history.Describe();
  }
  json::array globex = Expect(c.Get("/api/v1/users?org=globex", root_), 200, "globex").at("users").as_array();
  ASSERT_EQ(globex.size(), 1u);
  EXPECT_TRUE(globex[0].at("org_admin").as_bool()) << "gina is still globex's administrator";

  // Carla (not an administrator) may not touch Olga's flag nor her own: 403 naming the field.
  for (std::int64_t id : {olga_id_, carla_id_}) {
    HttpResponse r = c.Patch(UserPath(id), json::object{{"org_admin", id == carla_id_}}, carla_);
    EXPECT_EQ(r.status, 403) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "permission_denied");
    EXPECT_EQ(r.ErrorMessage().rfind("org_admin:", 0), 0u) << r.Describe();
  }
  EXPECT_EQ(c.Get(UserPath(olga_id_) + "/history", carla_).status, 403);
  // An agent reads but does not grant.
  EXPECT_EQ(c.Patch(UserPath(carla_id_), json::object{{"org_admin", true}}, agent_).status, 403);
  // Nor does Olga deactivate or rename colleagues (accounts are the vendor's to manage).
  EXPECT_EQ(c.Patch(UserPath(carla_id_), json::object{{"active", false}}, olga_).status, 403);
  EXPECT_EQ(c.Patch(UserPath(carla_id_), json::object{{"name", "X"}}, olga_).status, 403);
}

TEST_F(UserAdminApiTest, BadInputIsRefusedNamingTheField) {
  Start();
  HttpClient& c = *client_;
  HttpResponse staff = c.Patch(UserPath(agent_id_), json::object{{"org_admin", true}}, root_);
  EXPECT_EQ(staff.status, 422) << staff.Describe();
  EXPECT_EQ(staff.ErrorCode(), "unprocessable");
  EXPECT_EQ(staff.ErrorMessage().rfind("org_admin:", 0), 0u) << staff.Describe();
  HttpResponse across = c.Patch(UserPath(carla_id_), json::object{{"role", "agent"}}, root_);
  EXPECT_EQ(across.status, 422) << across.Describe();
  EXPECT_EQ(across.ErrorMessage().rfind("role:", 0), 0u) << across.Describe();

  struct Bad { json::object body; std::string names; };
  const Bad bad[] = {{json::object{{"org_admin", "yes"}}, "org_admin"}, {json::object{{"lang", "fr"}}, "lang"},
                     {json::object{{"name", "   "}}, "name"},         {json::object{{"role", "boss"}}, "role"},
                     {json::object{{"admin", true}}, "admin"},         {json::object{}, "nothing to change"}};
  for (const Bad& b : bad) {
    HttpResponse r = c.Patch(UserPath(carla_id_), b.body, root_);
    EXPECT_EQ(r.status, 400) << r.Describe();
    EXPECT_EQ(r.ErrorCode(), "invalid_argument");
    EXPECT_NE(r.ErrorMessage().find(b.names), std::string::npos) << r.Describe();
  }
  json::object carla = Expect(c.Patch(UserPath(carla_id_), json::object{{"name", " Carla Ruiz "}, {"lang", "en"}}, root_),
                              200, "name and lang");
  EXPECT_EQ(Str(carla, "name"), "Carla Ruiz");
  EXPECT_EQ(Str(carla, "lang"), "en");
  EXPECT_FALSE(carla.at("org_admin").as_bool()) << "absent fields keep their value";
}

TEST_F(UserAdminApiTest, DeactivationEndsSessionsAndTokensAndTheLastAdminStays) {
  Start();
  HttpClient& c = *client_;
  Auth session = Login(c, "carla@acme.example.com", kPassword);
  Expect(c.Get("/api/v1/me", session), 200, "logged in");
  json::object off = Expect(c.Patch(UserPath(carla_id_), json::object{{"active", false}}, root_), 200, "deactivate");
  EXPECT_FALSE(off.at("active").as_bool());
  EXPECT_EQ(c.Get("/api/v1/me", session).status, 401);
  EXPECT_EQ(c.Get("/api/v1/me", carla_).status, 401);
  EXPECT_EQ(c.Post("/api/v1/session", json::object{{"email", "carla@acme.example.com"}, {"password", kPassword}}).status, 401);
  Expect(c.Patch(UserPath(carla_id_), json::object{{"active", true}}, root_), 200, "reactivate");
  Auth again = Login(c, "carla@acme.example.com", kPassword);
  Expect(c.Get("/api/v1/me", again), 200, "the password works again");
  EXPECT_EQ(c.Get("/api/v1/me", carla_).status, 401) << "the old API token stays ended";

  // The only admin can neither step down nor be switched off; nor may anyone switch itself off.
  HttpResponse demote = c.Patch(UserPath(root_id_), json::object{{"role", "agent"}}, root_);
  EXPECT_EQ(demote.status, 409) << demote.Describe();
  EXPECT_EQ(demote.ErrorMessage().rfind("role:", 0), 0u);
  EXPECT_EQ(c.Patch(UserPath(root_id_), json::object{{"active", false}}, root_).status, 409);
  // Promoting the agent makes a second admin; then root may step down.
  Expect(c.Patch(UserPath(agent_id_), json::object{{"role", "admin"}}, root_), 200, "promote");
  EXPECT_EQ(Str(Expect(c.Patch(UserPath(root_id_), json::object{{"role", "supervisor"}}, root_), 200, "step down"), "role"),
            "supervisor");
}

TEST_F(UserAdminApiTest, CliUserSetGrantsRevokesAndReportsBadInput) {
  const std::string data = data_->path();
  CommandResult grant = RunSoporte({"user", "set", "--data", data, "--email", "carla@acme.example.com",
                                    "--org-admin", "true", "--lang", "en"});
  ASSERT_EQ(grant.exit_code, 0) << grant.Describe();
  EXPECT_NE(grant.out.find("org_admin"), std::string::npos) << grant.Describe();
  EXPECT_NE(grant.out.find("lang=en"), std::string::npos) << grant.Describe();

  CommandResult bad_bool = RunSoporte({"user", "set", "--data", data, "--email", "carla@acme.example.com", "--org-admin", "yes"});
  EXPECT_EQ(bad_bool.exit_code, 2) << bad_bool.Describe();
  EXPECT_NE(bad_bool.err.find("--org-admin must be true or false (got 'yes')"), std::string::npos) << bad_bool.Describe();
  CommandResult bad_lang = RunSoporte({"user", "set", "--data", data, "--email", "carla@acme.example.com", "--lang", "fr"});
  EXPECT_EQ(bad_lang.exit_code, 2) << bad_lang.Describe();
  EXPECT_NE(bad_lang.err.find("--lang"), std::string::npos) << bad_lang.Describe();
  CommandResult nothing = RunSoporte({"user", "set", "--data", data, "--email", "carla@acme.example.com"});
  EXPECT_EQ(nothing.exit_code, 2) << nothing.Describe();
  EXPECT_NE(nothing.err.find("nothing to change"), std::string::npos) << nothing.Describe();
  CommandResult staff = RunSoporte({"user", "set", "--data", data, "--email", "agent@example.com", "--org-admin", "true"});
  EXPECT_EQ(staff.exit_code, 2) << staff.Describe();
  EXPECT_NE(staff.err.find("org_admin: only a customer"), std::string::npos) << staff.Describe();
  CommandResult unknown = RunSoporte({"user", "set", "--data", data, "--email", "nadie@acme.example.com", "--name", "X"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.Describe();
  EXPECT_NE(unknown.err.find("no user with email nadie@acme.example.com"), std::string::npos) << unknown.Describe();

  // What the CLI set is what the server enforces: carla reads the secret back.
  Start();
  const std::int64_t secret = AcmeSecret();
  EXPECT_EQ(Str(Expect(Reveal(secret, carla_), 200, "reveal after user set"), "value"), kSecret);
  json::object carla = Expect(client_->Get("/api/v1/users?org=acme", root_), 200, "users");
  for (const auto& u : carla.at("users").as_array()) {
    if (Str(u, "email") == "carla@acme.example.com") {
      EXPECT_EQ(Str(u, "lang"), "en");
    }
  }
  // Revoked from the command line while the server runs: refused again.
  CommandResult revoke = RunSoporte({"user", "set", "--data", data, "--email", "carla@acme.example.com", "--org-admin", "false"});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.Describe();
  EXPECT_EQ(revoke.out.find("org_admin"), std::string::npos) << revoke.Describe();
  json::array events = Expect(client_->Get(UserPath(carla_id_) + "/history", root_), 200, "history").at("events").as_array();
  ASSERT_EQ(events.size(), 4u) << json::serialize(events);  // created, lang, org_admin, org_admin
  EXPECT_EQ(Str(events[3], "after"), "false");
}

}  // namespace
}  // namespace soporte::test
