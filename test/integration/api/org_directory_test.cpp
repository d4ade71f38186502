// The organisations directory through the real API (issue 19, item 5): GET /api/v1/orgs for
// staff searches by name or slug, filters by contract and by what the profile lacks, counts open
// tickets and pages with next_cursor; bad parameters are a 400 naming the field; a customer's
// session is refused the directory and still reads its own organisation.
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api_fixture.hpp"

namespace soporte::test {
namespace {

using namespace api;  // NOLINT(google-build-using-namespace): the shared fixture

class OrgDirectoryTest : public ApiTest {
 protected:
  json::object Dir(const std::string& query, const Auth& who) {
    return Expect(c().Get("/api/v1/orgs" + query, who), 200, "GET /api/v1/orgs" + query);
  }
  std::vector<std::string> Slugs(const std::string& query) {
    std::vector<std::string> out;
    const json::object page =
        Dir(query, agent_);  // kept: a range over a temporary's member dangles
    for (const auto& o : page.at("orgs").as_array()) out.push_back(Str(o, "slug"));
    return out;
  }
  static const json::object& Row(const json::object& page, const std::string& slug) {
    for (const auto& o : page.at("orgs").as_array())
      if (Str(o, "slug") == slug) return o.as_object();
    throw std::runtime_error("no row " + slug);
  }
  static std::set<std::string> Words(const json::value& a) {
    std::set<std::string> out;
    for (const auto& x : a.as_array()) out.insert(std::string(x.as_string()));
    return out;
  }
};

TEST_F(OrgDirectoryTest, StaffSearchFilterAndPage) {
  const Auth super = Login(c(), "super@example.com", kPassword);
  Expect(c().Post("/api/v1/orgs", json::object{{"slug", "zeta"}, {"name", "Zeta Seguros"}}, super),
         201,
         "zeta");  // no contract
  StaffTicket("acme", "critical", "2026-03-02T10:00:00-05:00");
  const auto closed = StaffTicket("acme", "normal", "2026-03-02T11:00:00-05:00");
  Patch(Int(closed, "number"), json::object{{"status", "open"}}, agent_);
  Patch(Int(closed, "number"), json::object{{"status", "resolved"}}, agent_);
  StaffTicket("initech", "normal", "2026-03-02T12:00:00-05:00");
  Expect(c().Post("/api/v1/orgs/acme/profile/contacts", json::object{{"name", "Carla Contacto"}},
                  agent_),
         201, "contact");

  const json::object all = Dir("", agent_);
  EXPECT_EQ(Slugs(""), (std::vector<std::string>{"acme", "initech", "zeta"}));  // by name
  EXPECT_TRUE(all.at("next_cursor").is_null());
  const auto& acme = Row(all, "acme");
  EXPECT_EQ(Str(acme, "name"), "ACME Logística");
  EXPECT_EQ(Int(acme, "open_tickets"), 1);  // the resolved one does not count
  EXPECT_EQ(Words(acme.at("contracts")), std::set<std::string>{"24x7"});
  EXPECT_EQ(Words(acme.at("missing")),
            (std::set<std::string>{"environments", "versions", "remote_access"}));
  EXPECT_EQ(Words(Row(all, "initech").at("contracts")), std::set<std::string>{"8x5"});
  EXPECT_EQ(Int(Row(all, "initech"), "open_tickets"), 1);
  EXPECT_TRUE(Row(all, "zeta").at("contracts").as_array().empty());
  EXPECT_EQ(Words(Row(all, "zeta").at("missing")),
            (std::set<std::string>{"environments", "versions", "contacts", "remote_access"}));

  EXPECT_EQ(Slugs("?q=SEGUROS"), std::vector<std::string>{"zeta"});  // the name, without case
  EXPECT_EQ(Slugs("?q=init"), std::vector<std::string>{"initech"});  // the slug
  EXPECT_EQ(Slugs("?q=nadie"), std::vector<std::string>{});
  EXPECT_EQ(Slugs("?contract=8x5"), std::vector<std::string>{"initech"});
  EXPECT_EQ(Slugs("?contract=none"), std::vector<std::string>{"zeta"});
  EXPECT_EQ(Slugs("?missing=contacts"), (std::vector<std::string>{"initech", "zeta"}));
  EXPECT_EQ(Slugs("?missing=contacts&contract=24x7"), std::vector<std::string>{});
  EXPECT_EQ(Slugs("?q=&contract="), (std::vector<std::string>{"acme", "initech", "zeta"}));

  // Paging: two, then the rest from next_cursor, then nothing more.
  const json::object first = Dir("?limit=2", agent_);
  ASSERT_EQ(first.at("orgs").as_array().size(), 2u);
  ASSERT_TRUE(first.at("next_cursor").is_string());
  const std::string cursor(first.at("next_cursor").as_string());
  const json::object second = Dir("?limit=2&cursor=" + cursor, agent_);
  ASSERT_EQ(second.at("orgs").as_array().size(), 1u);
  EXPECT_EQ(Str(second.at("orgs").as_array()[0], "slug"), "zeta");
  EXPECT_TRUE(second.at("next_cursor").is_null());
}

TEST_F(OrgDirectoryTest, BadParametersAreA400NamingTheField) {
  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"?contract=12x5", "contract"},
                                                        {"?missing=secrets", "missing"},
                                                        {"?limit=0", "limit"},
                                                        {"?limit=201", "limit"},
                                                        {"?cursor=abc", "cursor"},
                                                        {"?sort=name", "sort"},
                                                        {"?q=" + std::string(101, 'a'), "q"}}) {
    const auto r = c().Get("/api/v1/orgs" + query, agent_);
    ASSERT_EQ(r.status, 400) << query << ": " << r.Describe();
    // Keep the parsed value alive: a reference into a temporary reads freed memory.
    const json::value parsed = r.Json();
    const auto& error = parsed.as_object().at("error").as_object();
    EXPECT_EQ(Str(error, "code"), "invalid_argument") << query;
    EXPECT_EQ(Str(error, "field"), field) << query;
  }
}

TEST_F(OrgDirectoryTest, ACustomerIsRefusedTheDirectoryAndSeesOnlyItsOrganisation) {
  const Auth alice = Login(c(), "alice@acme.example", kPassword);
  for (const char* query : {"?q=init", "?contract=8x5", "?limit=10", "?missing=versions"}) {
    const auto r = c().Get(std::string("/api/v1/orgs") + query, alice);
    EXPECT_EQ(r.status, 403) << query << ": " << r.Describe();
    EXPECT_EQ(r.body.find("initech"), std::string::npos);
  }
  const json::object own = Dir("", alice);
  ASSERT_EQ(own.at("orgs").as_array().size(), 1u);
  EXPECT_EQ(Str(own.at("orgs").as_array()[0], "slug"), "acme");
  EXPECT_FALSE(own.at("orgs").as_array()[0].as_object().contains("open_tickets"));
}

}  // namespace
}  // namespace soporte::test
