#include "transport/http/utf8.hpp"

#include <initializer_list>

#include <gtest/gtest.h>

#include "transport/http/router.hpp"

namespace soporte::transport::http {
namespace {

constexpr std::string_view kFffd = "\xEF\xBF\xBD";

// Concatenation without `"literal" + std::string` (GCC 12 warns -Wrestrict on it, falsely).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

TEST(Utf8Test, AcceptsWellFormedTextAndRejectsEveryIllFormedKind) {
  for (std::string_view ok : {"", "ascii", "Caída ñ", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF",
                              "\xED\x9F\xBF"}) {
    EXPECT_TRUE(IsValidUtf8(ok)) << ok;
  }
  for (std::string_view bad : {"\xFF", "\xFE", "\x80", "\xC0\xAF" /* overlong '/' */, "\xC1\xBF",
                               "\xE0\x80\xAF" /* overlong */, "\xED\xA0\x80" /* surrogate */,
                               "\xF4\x90\x80\x80" /* past U+10FFFF */, "\xF5\x80\x80\x80", "\xC3" /* truncated */,
                               "a\xE2\x82", "\xC3(" }) {
    EXPECT_FALSE(IsValidUtf8(bad)) << testing::PrintToString(std::string(bad));
  }
}

TEST(Utf8Test, PercentDecodedPathsAreCheckedWithoutDecodingThemFirst) {
  EXPECT_TRUE(PercentDecodesToUtf8("/api/v1/orgs/acme"));
  EXPECT_TRUE(PercentDecodesToUtf8("/api/v1/orgs/Ca%C3%ADda"));
  EXPECT_TRUE(PercentDecodesToUtf8("/a/%zz/%4"));  // invalid escapes stay literal, as PercentDecode keeps them
  EXPECT_FALSE(PercentDecodesToUtf8("/api/v1/orgs/%ff"));
  EXPECT_FALSE(PercentDecodesToUtf8("/api/v1/tickets/%ff%fe"));
  EXPECT_FALSE(PercentDecodesToUtf8("/api/v1/attachments/%c0%af"));
  EXPECT_FALSE(PercentDecodesToUtf8("/x/%C3"));
  EXPECT_FALSE(PercentDecodesToUtf8("/x/\xFF"));  // a raw byte too
  // The same verdict as decoding, then validating.
  for (std::string_view p : {"/%e2%82%ac", "/%e2%82", "/%f0%9f%98%80x", "/%ed%a0%80", "/%41%42"})
    EXPECT_EQ(PercentDecodesToUtf8(p), IsValidUtf8(PercentDecode(p))) << p;
}

TEST(Utf8Test, IllFormedSubsequencesBecomeOneReplacementCharacterEach) {
  EXPECT_EQ(ToValidUtf8("no organisation 'acme'"), "no organisation 'acme'");
  EXPECT_EQ(ToValidUtf8("Caída"), "Caída");
  EXPECT_EQ(ToValidUtf8("no organisation '\xFF'"), Cat({"no organisation '", kFffd, "'"}));
  EXPECT_EQ(ToValidUtf8("\xFF\xFE"), Cat({kFffd, kFffd}));
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), Cat({kFffd, kFffd}));
  // A started sequence cut short is one U+FFFD, and the byte that cut it is read afresh.
  EXPECT_EQ(ToValidUtf8("\xE2\x82(x"), Cat({kFffd, "(x"}));
  EXPECT_EQ(ToValidUtf8("\xE2\x82\xC3\xB1"), Cat({kFffd, "ñ"}));
  EXPECT_EQ(ToValidUtf8("a\xF0\x9F\x98"), Cat({"a", kFffd}));
  for (std::string_view s : {"\xFF", "a\xE2\x82", "\xED\xA0\x80", "\xF4\x90\x80\x80z", "\xC3("})
    EXPECT_TRUE(IsValidUtf8(ToValidUtf8(s))) << testing::PrintToString(std::string(s));
}

TEST(Utf8Test, QueryStringsMustDecodeToUtf8AndTheErrorSaysWhich) {
  std::vector<std::pair<std::string, std::string>> out;
  ASSERT_TRUE(ParseQueryString("q=Ca%C3%ADda&state=open", out));
  EXPECT_EQ(out.at(0).second, "Caída");
  out.clear();
  auto bad_value = ParseQueryString("state=open&q=%ff", out);
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_value.error().message, "query parameter 'q' is not valid UTF-8 once percent-decoded");
  auto bad_name = ParseQueryString("foo%ff=1", out);
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(bad_name.error().message, "a query parameter name is not valid UTF-8 once percent-decoded");
  auto bad_escape = ParseQueryString("q=%zz", out);
  ASSERT_FALSE(bad_escape);
  EXPECT_NE(bad_escape.error().message.find("malformed query string"), std::string::npos);
}

}  // namespace
}  // namespace soporte::transport::http
