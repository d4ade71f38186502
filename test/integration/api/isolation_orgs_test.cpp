// Tenant isolation of organisations: org-scoped endpoints and lists (isolation_fixture.hpp).
#include "isolation_fixture.hpp"

namespace soporte::test {
namespace {

using namespace isolation;  // NOLINT(google-build-using-namespace): the shared fixture

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
    return json::serialize(json::object{
        {"org", org}, {"type", "incident"}, {"criticality", "normal"}, {"subject", "intruso"}});
  };
  const std::vector<OrgProbe> probes = {
      {"get org", "GET", "/api/v1/orgs/acme", "/api/v1/orgs/nope", "", ""},
      {"contracts", "GET", "/api/v1/orgs/acme/contracts", "/api/v1/orgs/nope/contracts", "", ""},
      {"add contract", "POST", "/api/v1/orgs/acme/contracts", "/api/v1/orgs/nope/contracts",
       R"({"modality":"24x7"})", R"({"modality":"24x7"})"},
      {"users of org", "GET", "/api/v1/users?org=acme", "/api/v1/users?org=nope", "", ""},
      {"tickets of org", "GET", "/api/v1/tickets?org=acme", "/api/v1/tickets?org=nope", "", ""},
      {"ticket in org", "POST", "/api/v1/tickets", "/api/v1/tickets", ticket_in("acme"),
       ticket_in("nope")},
      {"user language", "PATCH", "/api/v1/users/" + std::to_string(alice_id_),
       "/api/v1/users/999999", R"({"lang":"en"})", R"({"lang":"en"})"},
      // Managing users (issue 6): the administrator flag, deactivation, the history.
      {"user org_admin", "PATCH", "/api/v1/users/" + std::to_string(alice_id_),
       "/api/v1/users/999999", R"({"org_admin":true})", R"({"org_admin":true})"},
      {"user active", "PATCH", "/api/v1/users/" + std::to_string(alice_id_), "/api/v1/users/999999",
       R"({"active":false})", R"({"active":false})"},
      {"user history", "GET", "/api/v1/users/" + std::to_string(alice_id_) + "/history",
       "/api/v1/users/999999/history", "", ""},
      // The customer profile (issue 6): every route.
      {"profile", "GET", "/api/v1/orgs/acme/profile", "/api/v1/orgs/nope/profile", "", ""},
      {"profile history", "GET", "/api/v1/orgs/acme/profile/history",
       "/api/v1/orgs/nope/profile/history", "", ""},
      {"reveal log", "GET", "/api/v1/orgs/acme/profile/reveals",
       "/api/v1/orgs/nope/profile/reveals", "", ""},
      {"add environment", "POST", "/api/v1/orgs/acme/profile/environments",
       "/api/v1/orgs/nope/profile/environments", R"({"kind":"prod","name":"intruso"})",
       R"({"kind":"prod","name":"intruso"})"},
      {"replace host", "PUT", "/api/v1/orgs/acme/profile/hosts/" + std::to_string(acme_host_),
       "/api/v1/orgs/nope/profile/hosts/" + std::to_string(acme_host_), R"({"address":"x"})",
       R"({"address":"x"})"},
      {"delete environment", "DELETE",
       "/api/v1/orgs/acme/profile/environments/" + std::to_string(acme_env_),
       "/api/v1/orgs/nope/profile/environments/" + std::to_string(acme_env_), "", ""},
      {"reveal", "POST",
       "/api/v1/orgs/acme/profile/secrets/" + std::to_string(acme_secret_) + "/reveal",
       "/api/v1/orgs/nope/profile/secrets/" + std::to_string(acme_secret_) + "/reveal",
       R"({"reason":"x"})", R"({"reason":"x"})"},
      // Export and import of the profile (a valid document: the answer must come from the org).
      {"export profile", "GET", "/api/v1/orgs/acme/profile/export",
       "/api/v1/orgs/nope/profile/export", "", ""},
      {"export secrets", "POST", "/api/v1/orgs/acme/profile/export",
       "/api/v1/orgs/nope/profile/export", kExportSecrets, kExportSecrets},
      {"import profile", "POST", "/api/v1/orgs/acme/profile/import",
       "/api/v1/orgs/nope/profile/import", kImportDocument, kImportDocument},
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
    EXPECT_EQ(foreign.status, missing.status)
        << "foreign: " << foreign.Describe() << "\nmissing: " << missing.Describe();
    EXPECT_EQ(foreign.ErrorCode(), missing.ErrorCode());
    EXPECT_EQ(ReplaceAll(foreign.ErrorMessage(), "acme", "X"),
              ReplaceAll(missing.ErrorMessage(), "nope", "X"));
    if (foreign.status == 200) {
      EXPECT_EQ(foreign.body, missing.body) << "a list of acme must look like a list of nothing";
    }
    EXPECT_EQ(foreign.body.find("alice"), std::string::npos) << foreign.Describe();
    EXPECT_EQ(foreign.body.find("secreto"), std::string::npos) << foreign.Describe();
  }

  // Alice's language was not changed by the probe above.
  const json::object acme_users =
      Expect(c.Get("/api/v1/users?org=acme", agent_), 200, "acme users");
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
  EXPECT_EQ(numbers("/api/v1/tickets?limit=200&breached=false"),
            std::vector<std::int64_t>{globex_.ticket});
  json::array orgs = Expect(c.Get("/api/v1/orgs", gina_), 200, "orgs").at("orgs").as_array();
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(Str(orgs[0], "slug"), "globex");
  json::array users = Expect(c.Get("/api/v1/users", gina_), 200, "users").at("users").as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(Str(users[0], "email"), "gina@globex.example");
  // Staff see both (so the lists above were filtered, not empty by accident).
  EXPECT_EQ(
      Expect(c.Get("/api/v1/tickets", agent_), 200, "staff list").at("tickets").as_array().size(),
      2u);
}

}  // namespace
}  // namespace soporte::test
