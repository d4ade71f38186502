// The webhook rules as a table: which URLs a subscription may name, which hosts count as private
// (SSRF), the event names, and the retry schedule.
#include "domain/webhook/webhook.hpp"

#include <gtest/gtest.h>

namespace soporte::domain::webhook {
namespace {

TEST(WebhookUrl, AcceptsHttpAndHttpsOnly) {
  struct Case {
    const char* url;
    bool ok;
    const char* host;
    int port;
  };
  const Case cases[] = {
      {"https://hooks.example.com/in?x=1", true, "hooks.example.com", 0},
      {"HTTP://Hooks.Example.com:8080", true, "hooks.example.com", 8080},
      {"http://[2001:db8::1]:9000/x", true, "2001:db8::1", 9000},
      {"ftp://hooks.example.com/", false, "", 0},
      {"file:///etc/passwd", false, "", 0},
      {"gopher://x:70/", false, "", 0},
      {"javascript:alert(1)", false, "", 0},
      {"hooks.example.com/in", false, "", 0},
      {"https:///in", false, "", 0},
      {"https://user:pass@hooks.example.com/", false, "", 0},
      {"https://hooks.example.com:0/", false, "", 0},
      {"https://hooks.example.com:99999/", false, "", 0},
      {"https://hooks.example.com/a b", false, "", 0},
      {"", false, "", 0},
  };
  for (const auto& c : cases) {
    auto r = ParseWebhookUrl(c.url);
    EXPECT_EQ(r.has_value(), c.ok) << c.url;
    if (r && c.ok) {
      EXPECT_EQ(r->host, c.host) << c.url;
      EXPECT_EQ(r->port, c.port) << c.url;
    }
    if (!r) {
      EXPECT_EQ(r.error().message.rfind("url ", 0), 0u) << r.error().message;
    }
  }
}

TEST(WebhookUrl, PrivateLoopbackAndLinkLocalHostsAreKnown) {
  for (const char* h :
       {"localhost", "LOCALHOST.", "api.localhost", "127.0.0.1", "127.8.9.10", "0.0.0.0",
        "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "::1", "::", "fe80::1", "fd00::5", "::ffff:127.0.0.1", "::ffff:7f00:1"}) {
    EXPECT_TRUE(IsPrivateHost(h)) << h;
  }
  for (const char* h : {"hooks.example.com", "8.8.8.8", "172.32.0.1", "172.15.0.1", "192.169.0.1",
                        "2001:db8::1", "::ffff:8.8.8.8", "localhost.example.com", "fe7f::1"}) {
    EXPECT_FALSE(IsPrivateHost(h)) << h;
  }
}

TEST(WebhookCheck, NormalisesEventsAndNamesTheFieldOfEachError) {
  auto ok = CheckWebhook(
      {"https://h.example.com/", {"page.sent", "ticket.created", "page.sent"}, "0123456789abcdef"},
      false);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->events, (std::vector<std::string>{"ticket.created", "page.sent"}));

  auto local =
      CheckWebhook({"http://127.0.0.1:8080/", {"ticket.created"}, "0123456789abcdef"}, false);
  ASSERT_FALSE(local);
  EXPECT_NE(local.error().message.find("--webhook-allow-private"), std::string::npos);
  EXPECT_TRUE(
      CheckWebhook({"http://127.0.0.1:8080/", {"ticket.created"}, "0123456789abcdef"}, true));

  auto unknown =
      CheckWebhook({"https://h.example.com/", {"ticket.closed"}, "0123456789abcdef"}, false);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message.rfind("events: unknown event 'ticket.closed'", 0), 0u);
  auto none = CheckWebhook({"https://h.example.com/", {}, "0123456789abcdef"}, false);
  EXPECT_EQ(none.error().message.rfind("events ", 0), 0u);
  auto secret = CheckWebhook({"https://h.example.com/", {"ticket.created"}, ""}, false);
  EXPECT_EQ(secret.error().message, "secret is required");
}

TEST(WebhookEvents, NamesRoundTrip) {
  ASSERT_EQ(AllWebhookEvents().size(), 8u);
  for (auto e : AllWebhookEvents()) EXPECT_EQ(ParseWebhookEvent(WebhookEventName(e)), e);
  EXPECT_FALSE(ParseWebhookEvent("ticket.*"));
}

TEST(WebhookRetry, DoublesUpToTheCapAndGivesUpAtTheLimit) {
  RetryPolicy p{4, Seconds{30}, Seconds{100}};
  EXPECT_EQ(RetryDelay(p, 1), Seconds{30});
  EXPECT_EQ(RetryDelay(p, 2), Seconds{60});
  EXPECT_EQ(RetryDelay(p, 3), Seconds{100});
  EXPECT_EQ(RetryDelay(p, 30), Seconds{100});
  EXPECT_FALSE(GivesUp(p, 3));
  EXPECT_TRUE(GivesUp(p, 4));
  EXPECT_TRUE(Delivered(200));
  EXPECT_TRUE(Delivered(299));
  EXPECT_FALSE(Delivered(302));
  EXPECT_FALSE(Delivered(500));
}

}  // namespace
}  // namespace soporte::domain::webhook
