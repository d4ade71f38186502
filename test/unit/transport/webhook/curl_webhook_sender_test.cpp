// The webhook signature against RFC 4231's HMAC-SHA256 vectors, the payload JSON (an internal
// note is marked; ticket.message carries the article) and the sender's refusals that need no
// network: a URL curl is not allowed to speak, and a loopback receiver without
// --webhook-allow-private (refused at connect, after name resolution).
#include "transport/webhook/curl_webhook_sender.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "transport/api/codec/webhook_codec.hpp"
#include "transport/security/sodium_security.hpp"

namespace soporte::transport::webhook {
namespace {

TEST(WebhookSignature, MatchesRfc4231) {
  ASSERT_TRUE(security::InitSodium());
  // RFC 4231, test case 2.
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size.
  EXPECT_EQ(WebhookSignature(std::string(131, '\xaa'),
                             "Test Using Larger Than Block-Size Key - Hash Key First"),
            "sha256=60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(CurlWebhookSender, RefusesLoopbackUnlessAllowed) {
  ASSERT_TRUE(security::InitSodium());
  CurlWebhookSender strict;
  // "localhost" resolves to a loopback address: refused at connect, whatever the name.
  auto r = strict.Post({"http://localhost:9/", "ticket.created", "d1", "{}", "secret"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("refused to connect"), std::string::npos) << r.error().message;
  auto scheme = strict.Post({"ftp://example.com/", "ticket.created", "d1", "{}", "secret"});
  ASSERT_FALSE(scheme);
}

TEST(WebhookPayloadJson, MarksInternalNotesAndCarriesTheMessage) {
  app::WebhookPayload p;
  p.event = "ticket.message";
  p.delivery_id = "abc";
  p.occurred_at = Instant{Seconds{1796418000}};
  p.ticket.id = TicketId{5};
  p.ticket.number = 1042;
  p.ticket.subject = "No \"abre\"";
  p.org_slug = "acme";
  p.org_name = "ACME";
  domain::Article a;
  a.id = ArticleId{9};
  a.body = "Revisar el log";
  a.internal = true;
  p.article = a;
  p.author = app::WebhookPerson{3, "Andrea", "agent"};
  p.actor = *p.author;
  api::codec::JsonWebhookPayloadEncoder enc;
  auto v = boost::json::parse(enc.Encode(p)).as_object();
  EXPECT_EQ(v.at("event").as_string(), "ticket.message");
  EXPECT_EQ(v.at("delivery_id").as_string(), "abc");
  EXPECT_EQ(v.at("ticket").at("number").as_int64(), 1042);
  EXPECT_EQ(v.at("ticket").at("subject").as_string(), "No \"abre\"");
  EXPECT_EQ(v.at("ticket").at("org").at("slug").as_string(), "acme");
  EXPECT_TRUE(v.at("message").at("internal").as_bool());
  EXPECT_EQ(v.at("message").at("visibility").as_string(), "internal");
  EXPECT_EQ(v.at("message").at("body").as_string(), "Revisar el log");
  EXPECT_EQ(v.at("message").at("author").at("name").as_string(), "Andrea");
  EXPECT_FALSE(v.contains("sla"));
  EXPECT_FALSE(v.contains("changes"));
  EXPECT_FALSE(v.at("ticket").as_object().contains("description"));
}

}  // namespace
}  // namespace soporte::transport::webhook
