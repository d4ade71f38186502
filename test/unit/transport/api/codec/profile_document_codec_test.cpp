// The profile document's JSON: a document survives serialize → parse unchanged, and every shape
// error names the member (format, version, kind, field, secret, encryption).
#include "transport/api/codec/profile_document_codec.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace soporte::transport::api::codec {
namespace {

namespace json = boost::json;
using domain::ProfileKind;

app::ProfileDocument Sample(bool encrypted) {
  app::ProfileDocument d;
  d.organisation = "acme";
  d.exported_at = Instant{Seconds{1796418000}};
  if (encrypted) {
    d.encryption = app::PassphraseParams{"argon2id13", "xchacha20poly1305-ietf",
                                         "c2FsdHNhbHRzYWx0c2FsdA==", 3, 268435456};
    d.check = app::PassphraseSealed{"bm9uY2U=", "Y2hlY2s="};
  }
  app::DocumentEntry env{"environment-1",
                         ProfileKind::kEnvironment,
                         "",
                         {{"kind", "prod"}, {"name", "Producción"}},
                         {}};
  app::DocumentEntry host{
      "host-1", ProfileKind::kHost, "environment-1", {{"address", "app01"}, {"port", "8443"}}, {}};
  app::DocumentEntry user{
      "os_user-1", ProfileKind::kOsUser, "environment-1", {{"user", "foxsvc"}}, {}};
  app::DocumentSecret s;
  s.set = true;
  if (encrypted) s.value = app::PassphraseSealed{"bm9uY2U=", "c2VjcmV0"};
  user.secrets["password"] = s;
  app::DocumentEntry boss{"contact-1", ProfileKind::kContact, "", {{"name", "Beatriz"}}, {}};
  app::DocumentEntry walter{"contact-2",
                            ProfileKind::kContact,
                            "",
                            {{"name", "Walter"}, {"reports_to", "contact-1"}},
                            {}};
  d.entries = {env, host, user, boss, walter};
  return d;
}

std::string Text(const app::ProfileDocument& d) { return json::serialize(ProfileDocumentJson(d)); }

void ExpectError(std::string_view text, const std::string& named) {
  auto r = ParseProfileDocumentText(text);
  ASSERT_FALSE(r) << "accepted: " << text;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find(named), std::string::npos) << r.error().message;
}

TEST(ProfileDocumentCodecTest, RoundTripKeepsEverything) {
  for (bool encrypted : {false, true}) {
    const auto doc = Sample(encrypted);
    const std::string text = Text(doc);
    auto back = ParseProfileDocumentText(text);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(Text(*back), text);
    EXPECT_EQ(back->organisation, "acme");
    EXPECT_EQ(back->exported_at, doc.exported_at);
    ASSERT_EQ(back->entries.size(), 5u);
    EXPECT_EQ(back->entries[1].parent, "environment-1");
    EXPECT_EQ(back->entries[1].fields.at("port"), "8443");
    EXPECT_EQ(back->entries[4].fields.at("reports_to"), "contact-1");
    EXPECT_TRUE(back->entries[2].secrets.at("password").set);
    EXPECT_EQ(back->entries[2].secrets.at("password").value.has_value(), encrypted);
    EXPECT_EQ(back->encryption.has_value(), encrypted);
  }
  const auto v = json::parse(Text(Sample(false))).as_object();
  EXPECT_EQ(v.at("format").as_string(), "soporte-profile");
  EXPECT_EQ(v.at("version").as_int64(), 1);
  EXPECT_EQ(v.at("secrets").as_string(), "excluded");
  EXPECT_EQ(v.at("exported_at").as_string(), "2026-12-04T21:00:00+00:00");
  EXPECT_EQ(
      v.at("entries").as_array()[1].as_object().at("fields").as_object().at("port").as_int64(),
      8443);
  EXPECT_EQ(ProfileExportFileName(Sample(false)), "soporte-profile-acme-2026-12-04.json");
  EXPECT_EQ(ProfileExportFileName(Sample(true)), "soporte-profile-acme-2026-12-04-secrets.json");
}

TEST(ProfileDocumentCodecTest, ShapeErrorsNameTheMember) {
  ExpectError("", "empty");
  ExpectError("[1]", "JSON object");
  ExpectError("{\"entries\":[", "not valid JSON");
  ExpectError(R"({"format":"other","version":1,"entries":[]})", "format");
  ExpectError(R"({"format":"soporte-profile","version":2,"entries":[]})", "version must be 1");
  ExpectError(R"({"format":"soporte-profile","version":1})", "entries is missing");
  ExpectError(R"({"format":"soporte-profile","version":1,"entries":[],"extra":1})",
              "unknown member 'extra'");
  ExpectError(R"({"format":"soporte-profile","version":1,"entries":[{"key":"a","kind":"hots"}]})",
              "entries[0].kind: unknown kind 'hots'");
  ExpectError(R"({"format":"soporte-profile","version":1,"entries":[{"kind":"host"}]})",
              "entries[0].key is missing");
  ExpectError(
      R"({"format":"soporte-profile","version":1,"entries":[{"key":"a","kind":"host","fields":{"colour":"x"}}]})",
      "entries[0].fields: unknown field 'colour' for a host");
  ExpectError(
      R"({"format":"soporte-profile","version":1,"entries":[{"key":"a","kind":"host","fields":{"address":3}}]})",
      "entries[0].fields.address must be a string");
  ExpectError(
      R"({"format":"soporte-profile","version":1,"entries":[{"key":"a","kind":"os_user","fields":{"password":"x"}}]})",
      "unknown field 'password'");  // a secret never travels as a plain field
  ExpectError(
      R"({"format":"soporte-profile","version":1,"entries":[{"key":"a","kind":"host","secrets":{"address":{"set":true}}}]})",
      "'address' is not a secret field of a host");
  ExpectError(
      R"({"format":"soporte-profile","version":1,"entries":[{"key":"a","kind":"os_user","secrets":{"password":{"nonce":"x"}}}]})",
      "entries[0].secrets.password needs both nonce and ciphertext");
  ExpectError(R"({"format":"soporte-profile","version":1,"secrets":"encrypted","entries":[]})",
              "encryption is missing");
  ExpectError(
      R"({"format":"soporte-profile","version":1,"entries":[],"encryption":{"kdf":"argon2id13"}})",
      "encryption.cipher is missing");
  ExpectError(R"({"format":"soporte-profile","version":1,"entries":[],"exported_at":"ayer"})",
              "exported_at");
  ExpectError(R"({"format":"soporte-profile","version":1,"entries":[],"organisation":")" +
                  std::string(101, 'a') + "\"}",
              "organisation must have at most 100 characters");
}

TEST(ProfileDocumentCodecTest, RequestBodies) {
  auto e = ParseExportRequest("");
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->include_secrets);
  e = ParseExportRequest(
      R"({"include_secrets":true,"passphrase":"una frase larga","reason":"migración"})");
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->include_secrets);
  EXPECT_EQ(e->passphrase, "una frase larga");
  EXPECT_EQ(e->reason, "migración");
  EXPECT_FALSE(ParseExportRequest(R"({"include_secrets":"yes"})"));
  EXPECT_FALSE(ParseExportRequest(R"({"passwd":"x"})"));

  const std::string doc = Text(Sample(false));
  auto i = ParseImportRequest(R"({"document":)" + doc + "}");
  ASSERT_TRUE(i) << i.error().message;
  EXPECT_EQ(i->mode, app::ImportMode::kMerge);
  i = ParseImportRequest(R"({"mode":"replace","passphrase":"p","document":)" + doc + "}");
  ASSERT_TRUE(i);
  EXPECT_EQ(i->mode, app::ImportMode::kReplace);
  EXPECT_EQ(i->passphrase, "p");
  auto bad = ParseImportRequest(R"({"mode":"wipe","document":)" + doc + "}");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("mode must be"), std::string::npos);
  bad = ParseImportRequest(R"({"mode":"merge"})");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("document is missing"), std::string::npos);
}

}  // namespace
}  // namespace soporte::transport::api::codec
