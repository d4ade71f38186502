#include "domain/profile/profile.hpp"

#include <set>

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

using Fields = std::map<std::string, std::string>;

TEST(ProfileSchemaTest, EveryKindParsesByNameAndPluralAndIsInTableOrder) {
  std::set<std::string_view> plurals;
  for (std::size_t i = 0; i < ProfileKinds().size(); ++i) {
    const auto& spec = ProfileKinds()[i];
    EXPECT_EQ(static_cast<std::size_t>(spec.kind), i) << spec.name;
    EXPECT_EQ(ParseProfileKind(spec.name), spec.kind);
    EXPECT_EQ(ParseProfileKindPlural(spec.plural), spec.kind);
    EXPECT_TRUE(plurals.insert(spec.plural).second) << spec.plural;
    EXPECT_FALSE(spec.fields.empty());
  }
  EXPECT_FALSE(ParseProfileKindPlural("secrets"));  // a route, never a section
  EXPECT_FALSE(ParseProfileKind("environments"));
}

TEST(ProfileSchemaTest, TheProtocolsItemsAreAllThere) {
  // protocol: environments with hosts/ports, OS users, paths, start commands, consoles, test users;
  // component versions and patches; contacts with phone, extension, e-mail; remote access.
  for (auto [kind, field] : std::initializer_list<std::pair<ProfileKind, std::string_view>>{
           {ProfileKind::kEnvironment, "kind"}, {ProfileKind::kHost, "port"},
           {ProfileKind::kOsUser, "password"}, {ProfileKind::kComponentPath, "path"},
           {ProfileKind::kStartCommand, "command"}, {ProfileKind::kAdminConsole, "url"},
           {ProfileKind::kTestUser, "user"}, {ProfileKind::kComponent, "version"},
           {ProfileKind::kPatch, "applied_on"}, {ProfileKind::kContact, "extension"},
           {ProfileKind::kContact, "reports_to"}, {ProfileKind::kRemoteAccess, "method"}}) {
    EXPECT_NE(FieldOf(kind, field), nullptr) << SpecOf(kind).name << "." << field;
  }
  EXPECT_EQ(SecretFields(ProfileKind::kRemoteAccess), (std::vector<std::string_view>{"password", "private_key"}));
  EXPECT_TRUE(SecretFields(ProfileKind::kContact).empty());
}

TEST(NormalizeFieldsTest, AcceptsAValidHostAndDropsEmptyValues) {
  Fields f{{"address", "10.0.0.5"}, {"port", "8443"}, {"name", ""}};
  ASSERT_TRUE(NormalizeFields(ProfileKind::kHost, f));
  EXPECT_EQ(f, (Fields{{"address", "10.0.0.5"}, {"port", "8443"}}));
}

TEST(NormalizeFieldsTest, NamesTheFieldAndTheRule) {
  struct Case { ProfileKind kind; Fields fields; std::string message; };
  const std::vector<Case> cases = {
      {ProfileKind::kHost, {{"address", "h"}, {"port", "70000"}}, "port must be a port number from 1 to 65535"},
      {ProfileKind::kHost, {{"address", "h"}, {"port", "80a"}}, "port must be a port number"},
      {ProfileKind::kHost, {{"port", "80"}}, "address is required for a host"},
      {ProfileKind::kEnvironment, {{"kind", "staging"}, {"name", "x"}}, "kind must be one of dev,qa,prod"},
      {ProfileKind::kPatch, {{"name", "p"}, {"applied_on", "2026-02-30"}}, "applied_on must be a date"},
      {ProfileKind::kContact, {{"name", "Ana"}, {"email", "nope"}}, "email must be an e-mail address"},
      {ProfileKind::kOsUser, {{"user", "app"}, {"password", "x"}}, "unknown field 'password'"},
      {ProfileKind::kOsUser, {{"user", "a\x01"}}, "user must not contain control characters"},
      {ProfileKind::kHost, {{"address", "h"}, {"colour", "red"}}, "unknown field 'colour' for a host"},
      {ProfileKind::kContact, {{"name", "Ana"}, {"reports_to", "abc"}}, "reports_to must be an entry id"},
  };
  for (auto c : cases) {
    auto st = NormalizeFields(c.kind, c.fields);
    ASSERT_FALSE(st) << c.message;
    EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(st.error().message.find(c.message), std::string::npos) << st.error().message;
  }
}

TEST(NormalizeFieldsTest, LongTextKeepsNewlinesAndHasItsOwnLimit) {
  Fields ok{{"command", "cd /opt/app\n./start.sh"}};
  EXPECT_TRUE(NormalizeFields(ProfileKind::kStartCommand, ok));
  Fields too_long{{"user", std::string(501, 'a')}};
  EXPECT_FALSE(NormalizeFields(ProfileKind::kTestUser, too_long));
}

TEST(DescribeChangeTest, ShowsFieldChangesAndNamesSecretsWithoutValues) {
  Fields before{{"address", "10.0.0.1"}, {"user", "root"}, {"method", "ssh"}};
  Fields after{{"address", "10.0.0.2"}, {"user", "root"}, {"method", "ssh"}};
  EXPECT_EQ(DescribeChange(ProfileKind::kRemoteAccess, &before, after, {"password"}),
            "address: 10.0.0.1 -> 10.0.0.2; password changed");
  EXPECT_EQ(DescribeChange(ProfileKind::kRemoteAccess, nullptr, after, {}),
            "method: ssh; address: 10.0.0.2; user: root");
}

}  // namespace
}  // namespace soporte::domain
