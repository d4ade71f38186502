#include "transport/http/router.hpp"

#include <gtest/gtest.h>

namespace soporte::transport::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) -> boost::asio::awaitable<Response> { co_return Response::Text(200, name); };
}

using Params = std::vector<std::pair<std::string_view, std::string>>;

TEST(RouterTest, MatchesStaticAndParamSegmentsWithDecodedParams) {
  Router r;
  r.Add(Verb::kGet, "/api/v1/tickets/{number}/messages", Named("messages"));
  Params params;
  RouteMatch m = r.Match(Verb::kGet, "/api/v1/tickets/T%2D42/messages", params);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/api/v1/tickets/{number}/messages");
  EXPECT_EQ(m.route->options.name, "/api/v1/tickets/{number}/messages");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].first, "number");
  EXPECT_EQ(params[0].second, "T-42");
}

TEST(RouterTest, StaticSegmentWinsOverParamAndBacktracks) {
  Router r;
  r.Add(Verb::kGet, "/tickets/{id}", Named("by-id"));
  r.Add(Verb::kGet, "/tickets/search", Named("search"));
  r.Add(Verb::kGet, "/tickets/{id}/events", Named("events"));
  Params p;
  EXPECT_EQ(r.Match(Verb::kGet, "/tickets/search", p).route->pattern, "/tickets/search");
  EXPECT_TRUE(p.empty());
  // "search" is static, but /tickets/search/events exists only under the parameter: backtrack.
  RouteMatch m = r.Match(Verb::kGet, "/tickets/search/events", p);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->pattern, "/tickets/{id}/events");
  EXPECT_EQ(p.at(0).second, "search");
}

TEST(RouterTest, UnknownPathIsNotFoundAndOtherMethodIsNotAllowedWithAllow) {
  Router r;
  r.Add(Verb::kGet, "/api/v1/tickets", Named("list"));
  r.Add(Verb::kPost, "/api/v1/tickets", Named("create"));
  Params p;
  EXPECT_EQ(r.Match(Verb::kGet, "/api/v1/nope", p).kind, RouteMatch::Kind::kNotFound);
  EXPECT_EQ(r.Match(Verb::kGet, "/api/v1", p).kind, RouteMatch::Kind::kNotFound);
  RouteMatch m = r.Match(Verb::kDelete, "/api/v1/tickets", p);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
}

TEST(RouterTest, HeadIsAnsweredByTheGetRouteAndAllowedWhereGetIs) {
  Router r;
  r.Add(Verb::kGet, "/api/v1/attachments/{id}", Named("download"));
  r.Add(Verb::kPost, "/api/v1/tickets", Named("create"));
  Params p;
  RouteMatch m = r.Match(Verb::kHead, "/api/v1/attachments/7", p);
  ASSERT_EQ(m.kind, RouteMatch::Kind::kFound);
  EXPECT_EQ(m.route->verb, Verb::kGet);
  EXPECT_EQ(m.route->pattern, "/api/v1/attachments/{id}");
  EXPECT_EQ(p.at(0).second, "7");
  // No GET, no HEAD: the Allow names only what is there.
  RouteMatch post_only = r.Match(Verb::kHead, "/api/v1/tickets", p);
  ASSERT_EQ(post_only.kind, RouteMatch::Kind::kMethodNotAllowed);
  EXPECT_EQ(post_only.allow, "POST");
  EXPECT_EQ(r.Match(Verb::kDelete, "/api/v1/attachments/7", p).allow, "GET, HEAD");
  // A HEAD route of its own wins over the GET one.
  r.Add(Verb::kHead, "/api/v1/attachments/{id}", Named("head"));
  EXPECT_EQ(r.Match(Verb::kHead, "/api/v1/attachments/7", p).route->verb, Verb::kHead);
  EXPECT_EQ(r.Match(Verb::kDelete, "/api/v1/attachments/7", p).allow, "GET, HEAD");
}

TEST(RouterTest, TrailingAndRepeatedSlashesAreIgnoredAndRootMatches) {
  Router r;
  r.Add(Verb::kGet, "/", Named("root"));
  r.Add(Verb::kGet, "/healthz", Named("health"));
  Params p;
  EXPECT_EQ(r.Match(Verb::kGet, "/", p).route->pattern, "/");
  EXPECT_EQ(r.Match(Verb::kGet, "//healthz/", p).route->pattern, "/healthz");
}

TEST(RouterTest, RouteNameOverridesPatternAndIndexesAreStable) {
  Router r;
  r.Add(Verb::kGet, "/a", Named("a"));
  r.Add(Verb::kGet, "/b/{x}", Named("b"), RouteOptions{.body_limit = 10, .streaming = true, .name = "b"});
  ASSERT_EQ(r.routes().size(), 2u);
  EXPECT_EQ(r.routes()[1]->index, 1u);
  EXPECT_EQ(r.routes()[1]->options.name, "b");
  EXPECT_TRUE(r.routes()[1]->options.streaming);
}

TEST(RouterDeathTest, DuplicateRouteIsAWiringBug) {
  Router r;
  r.Add(Verb::kGet, "/a/{x}", Named("a"));
  EXPECT_DEATH(r.Add(Verb::kGet, "/a/{y}", Named("again")), "check failed");
}

TEST(PercentDecodeTest, DecodesValidEscapesAndKeepsInvalidOnes) {
  EXPECT_EQ(PercentDecode("a%20b%C3%B3"), "a b\xC3\xB3");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
}

}  // namespace
}  // namespace soporte::transport::http
