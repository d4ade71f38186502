#include "transport/http/cookie.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

TEST(CookieTest, ParsesPairsTrimsAndUnquotes) {
  auto c = ParseCookies(" sid=abc; theme=\"dark\" ;junk; lang=es");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].first, "sid");
  EXPECT_EQ(c[1].second, "dark");
  EXPECT_EQ(FindCookie("a=1; sid=xyz", "sid").value(), "xyz");
  EXPECT_FALSE(FindCookie("a=1", "sid").has_value());
  EXPECT_FALSE(FindCookie("", "sid").has_value());
}

TEST(CookieTest, BuildsSetCookieWithSafeDefaults) {
  auto v = BuildSetCookie({.name = "sid", .value = "abc", .max_age_seconds = 3600});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "sid=abc; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax");
  auto s = BuildSetCookie({.name = "sid", .value = "", .max_age_seconds = 0, .secure = true});
  EXPECT_EQ(*s, "sid=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");
}

TEST(CookieTest, RejectsInjection) {
  EXPECT_FALSE(BuildSetCookie({.name = "sid", .value = "a; Domain=evil"}));
  EXPECT_FALSE(BuildSetCookie({.name = "s id", .value = "a"}));
  EXPECT_FALSE(BuildSetCookie({.name = "sid", .value = "a", .same_site = "Whatever"}));
  EXPECT_FALSE(BuildSetCookie({.name = "sid", .value = "a", .path = "/\r\nX: y"}));
}

TEST(BearerToken, TakesTheTokenOfTheBearerSchemeOnly) {
  EXPECT_EQ(BearerToken("Bearer abc.def"), "abc.def");
  EXPECT_EQ(BearerToken("bearer abc"), "abc");  // the scheme is case-insensitive
  EXPECT_FALSE(BearerToken(""));
  EXPECT_FALSE(BearerToken("Bearer "));
  EXPECT_FALSE(BearerToken("Basic YWxhZGRpbjpvcGVuc2VzYW1l"));
  EXPECT_FALSE(BearerToken("Bearerabc"));
}

}  // namespace
}  // namespace soporte::transport::http
