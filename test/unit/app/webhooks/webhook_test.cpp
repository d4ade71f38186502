// Webhooks over the memory store and a FakeClock (issue 12, part 5): only admins subscribe, bad
// input names its field, the secret is sealed; the observer writes one delivery per matching
// subscription inside the change's transaction (internal notes marked, SLA and page events too);
// delivery retries with backoff under the same delivery id, gives up, is retried by an admin; two
// nodes never send one delivery twice; a deleted subscription's pending deliveries are never sent.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>

#include "app/accounts/admin_service.hpp"
#include "app/tickets/ticket_service.hpp"
#include "app/webhooks/webhook_delivery.hpp"
#include "app/webhooks/webhook_observer.hpp"
#include "app/webhooks/webhook_service.hpp"
#include "storage/memory/memory_store.hpp"
#include "unit/app/fakes.hpp"

namespace soporte::app {
namespace {

using domain::Role;

constexpr Instant kFriday4pm{Seconds{1796418000}};

// Renders the parts a test checks as "event|#number|internal=…|extra" (the JSON encoder is
// transport's, tested in test/unit/transport).
class TextEncoder final : public WebhookPayloadEncoder {
 public:
  std::string Encode(const WebhookPayload& p) const override {
    std::string out = p.event + "|#" + std::to_string(p.ticket.number) + "|" + p.org_slug;
    if (p.article)
      out += "|internal=" + std::string(p.article->internal ? "yes" : "no") + "|" + p.article->body;
    if (!p.changes.empty()) out += "|" + p.changes.front().field;
    if (!p.sla_threshold.empty()) out += "|" + p.sla_threshold;
    if (p.engineer) out += "|engineer=" + p.engineer->name;
    out += "|id=" + p.delivery_id;
    return out;
  }
};

// Answers each Post with the next scripted status (the last one repeats); records every request.
class ScriptedSender final : public WebhookSender {
 public:
  Result<int> Post(const WebhookRequest& r) const override {
    sent.push_back(r);
    if (during_post) during_post();
    const int i =
        std::min<int>(static_cast<int>(sent.size()) - 1, static_cast<int>(script.size()) - 1);
    if (script[static_cast<std::size_t>(i)] == 0)
      return Fail(ErrorCode::kUnavailable, "connection refused");
    return script[static_cast<std::size_t>(i)];
  }
  std::vector<int> script{204};
  mutable std::vector<WebhookRequest> sent;
  std::function<void()> during_post;
};

class WebhookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sla_ = std::make_unique<sla::SlaEngine>(*sla::SlaEngine::Create());
    admin_ = std::make_unique<AdminService>(store_, hasher_, *sla_, clock_);
    tickets_ = std::make_unique<TicketService>(store_, *sla_, bus_, clock_);
    const Principal sys = SystemPrincipal();
    ASSERT_TRUE(admin_->CreateOrg(sys, "acme", "ACME"));
    NewContract c;
    c.modality = sla::Modality::k24x7;
    c.valid_from = std::chrono::floor<std::chrono::days>(kFriday4pm - std::chrono::hours(24 * 300));
    ASSERT_TRUE(admin_->CreateContract(sys, "acme", c));
    customer_ = Make("carlos@acme.example.com", Role::kCustomer, "acme");
    agent_ = Make("andrea@example.com", Role::kAgent, std::nullopt);
    root_ = Make("root@example.com", Role::kAdmin, std::nullopt);
    service_ = std::make_unique<WebhookService>(store_, box_, clock_, WebhookOptions{false});
    observer_ = std::make_unique<WebhookObserver>(encoder_, ids_, clock_);
    tickets_->AddObserver(observer_.get());
  }

  Principal Make(std::string email, Role role, std::optional<std::string> org) {
    auto u = admin_->CreateUser(SystemPrincipal(),
                                NewUser{email, "N " + email, role, org, "password123"});
    EXPECT_TRUE(u) << (u ? "" : u.error().message);
    return PrincipalOf(*u);
  }

  std::int64_t Subscribe(std::vector<std::string> events,
                         std::string url = "https://hooks.example.com/in") {
    auto h = service_->Subscribe(root_, {url, std::move(events), "a-long-shared-secret"});
    EXPECT_TRUE(h) << (h ? "" : h.error().message);
    return h ? h->id : 0;
  }

  std::vector<WebhookDeliveryRecord> Deliveries(std::int64_t hook) {
    auto d = service_->Deliveries(root_, hook, 200);
    EXPECT_TRUE(d);
    return d ? *d : std::vector<WebhookDeliveryRecord>{};
  }

  std::int64_t OpenTicket() {
    NewTicket in;
    in.subject = "No abre el módulo";
    in.criticality = sla::Criticality::kCritical;
    auto t = tickets_->Create(customer_, in);
    EXPECT_TRUE(t) << (t ? "" : t.error().message);
    return t ? t->ticket.number : 0;
  }

  WebhookDelivery Delivery(ScriptedSender& sender, std::string node = "n1", int max_attempts = 3) {
    WebhookDeliveryOptions o;
    o.node = std::move(node);
    o.retry.max_attempts = max_attempts;
    o.retry.first = Seconds{30};
    return WebhookDelivery(store_, sender, box_, clock_, o);
  }

  FakeClock clock_{kFriday4pm};
  storage::MemoryStore store_;
  testing::PlainHasher hasher_;
  testing::RecordingBus bus_;
  testing::CountingTokens ids_;
  testing::XorSecretBox box_{'k'};
  TextEncoder encoder_;
  std::unique_ptr<sla::SlaEngine> sla_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<TicketService> tickets_;
  std::unique_ptr<WebhookService> service_;
  std::unique_ptr<WebhookObserver> observer_;
  Principal customer_, agent_, root_;
};

TEST_F(WebhookTest, OnlyAdminsSubscribeAndBadInputNamesItsField) {
  for (const Principal& who : {customer_, agent_}) {
    auto r = service_->Subscribe(
        who, {"https://hooks.example.com/in", {"ticket.created"}, "a-long-shared-secret"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(service_->List(who).error().code, ErrorCode::kPermissionDenied);
  }
  struct Case {
    domain::webhook::WebhookInput in;
    std::string field;
  };
  const std::vector<Case> cases{
      {{"ftp://hooks.example.com/in", {"ticket.created"}, "a-long-shared-secret"}, "url"},
      {{"file:///etc/passwd", {"ticket.created"}, "a-long-shared-secret"}, "url"},
      {{"hooks.example.com/in", {"ticket.created"}, "a-long-shared-secret"}, "url"},
      {{"http://127.0.0.1:9/in", {"ticket.created"}, "a-long-shared-secret"}, "url"},
      {{"http://169.254.169.254/latest", {"ticket.created"}, "a-long-shared-secret"}, "url"},
      {{"https://hooks.example.com/in", {}, "a-long-shared-secret"}, "events"},
      {{"https://hooks.example.com/in", {"ticket.deleted"}, "a-long-shared-secret"}, "events"},
      {{"https://hooks.example.com/in", {"ticket.created"}, ""}, "secret"},
      {{"https://hooks.example.com/in", {"ticket.created"}, "short"}, "secret"},
  };
  for (const auto& c : cases) {
    auto r = service_->Subscribe(root_, c.in);
    ASSERT_FALSE(r) << c.in.url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.in.url;
    EXPECT_EQ(r.error().message.rfind(c.field, 0), 0u) << r.error().message;
  }
  EXPECT_TRUE(service_->List(root_)->empty()) << "nothing stored";
}

TEST_F(WebhookTest, TheSecretIsSealedToItsSubscriptionAndNeverListed) {
  const auto id = Subscribe({"sla.breached", "ticket.created", "ticket.created"});
  auto stored = ReadValue(store_, [&](ReadTx& tx) { return tx.webhooks().GetWebhook(id); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->events, (std::vector<std::string>{"ticket.created", "sla.breached"}))
      << "deduplicated, in the documented order";
  EXPECT_EQ(stored->secret.ciphertext.find("a-long-shared-secret"), std::string::npos);
  EXPECT_EQ(*box_.Open(stored->secret, WebhookSecretContext(id)), "a-long-shared-secret");
  EXPECT_FALSE(box_.Open(stored->secret, WebhookSecretContext(id + 1)));
}

// Start and restore refuse a key that does not open the subscriptions' secrets (not only the
// profiles'), naming the webhook; the right key counts them.
TEST_F(WebhookTest, CheckKeyOpensEverySecretOrNamesTheWebhook) {
  const auto id = Subscribe({"ticket.created"});
  auto ok = WebhookService::CheckKey(store_, box_);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, 1u);
  testing::XorSecretBox other{'z'};
  auto wrong = WebhookService::CheckKey(store_, other);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(wrong.error().message.find("webhook " + std::to_string(id)), std::string::npos)
      << wrong.error().message;
}

TEST_F(WebhookTest, EachMatchingSubscriptionGetsOneDeliveryWrittenWithTheChange) {
  const auto created = Subscribe({"ticket.created", "ticket.message"});
  const auto updates = Subscribe({"ticket.updated"});
  const auto n = OpenTicket();
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Revisando el log", true));
  ASSERT_TRUE(tickets_->AddArticle(agent_, n, "Ya lo vemos", false));
  TicketPatch p;
  p.criticality = sla::Criticality::kNormal;
  ASSERT_TRUE(tickets_->Update(agent_, n, p));

  auto a = Deliveries(created);
  ASSERT_EQ(a.size(), 3u);  // newest first
  const std::string num = std::to_string(n);
  EXPECT_EQ(a[2].payload.substr(0, a[2].payload.find("|id=")), "ticket.created|#" + num + "|acme");
  EXPECT_EQ(a[1].payload.substr(0, a[1].payload.find("|id=")),
            "ticket.message|#" + num + "|acme|internal=yes|Revisando el log");
  EXPECT_EQ(a[0].payload.substr(0, a[0].payload.find("|id=")),
            "ticket.message|#" + num + "|acme|internal=no|Ya lo vemos");
  // The body names the same delivery id as the header will.
  EXPECT_NE(a[0].payload.find("|id=" + a[0].delivery_id), std::string::npos);
  auto u = Deliveries(updates);
  ASSERT_EQ(u.size(), 1u);
  EXPECT_EQ(u[0].event, "ticket.updated");
  EXPECT_NE(u[0].payload.find("|criticality|"), std::string::npos);
  EXPECT_NE(u[0].delivery_id, a[0].delivery_id);
}

TEST_F(WebhookTest, SlaAndPageEventsReachOnlyTheirSubscribers) {
  const auto sla_hook = Subscribe({"sla.warning", "sla.breached"});
  const auto page_hook = Subscribe({"page.escalated"});
  const auto n = OpenTicket();
  auto t = tickets_->Get(agent_, n);
  ASSERT_TRUE(t);
  ASSERT_TRUE(store_.Write([&](WriteTx& tx) -> Status {
    domain::sla::SlaFiring f{domain::sla::SlaThresholdKind::kWarning, t->ticket.response_due,
                             t->ticket.response_due - Seconds{1800}, clock_.Now()};
    SOPORTE_TRY_STATUS(tickets_->observers().SlaReached(tx, t->ticket, f));
    PageNotice sent{PageNotice::Kind::kSent, 7, agent_.user_id, 0, clock_.Now()};
    SOPORTE_TRY_STATUS(tickets_->observers().PageChanged(tx, t->ticket, sent));
    PageNotice up{PageNotice::Kind::kEscalated, 7, root_.user_id, 1, clock_.Now()};
    return tickets_->observers().PageChanged(tx, t->ticket, up);
  }));
  auto s = Deliveries(sla_hook);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].event, "sla.warning");
  EXPECT_NE(s[0].payload.find("|warning|"), std::string::npos);
  auto pg = Deliveries(page_hook);
  ASSERT_EQ(pg.size(), 1u) << "page.sent was not subscribed";
  EXPECT_EQ(pg[0].event, "page.escalated");
  EXPECT_NE(pg[0].payload.find("engineer=N root@example.com"), std::string::npos);
}

TEST_F(WebhookTest, AFailureIsRetriedWithBackoffUnderTheSameDeliveryId) {
  const auto hook = Subscribe({"ticket.created"});
  OpenTicket();
  ScriptedSender sender;
  sender.script = {500, 0, 204};
  auto delivery = Delivery(sender);
  auto r = delivery.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->failed, 1);
  auto d = Deliveries(hook);
  EXPECT_EQ(d[0].attempts, 1);
  EXPECT_EQ(d[0].last_status, 500);
  EXPECT_EQ(d[0].last_error, "HTTP 500");
  EXPECT_EQ(d[0].next_attempt_at, clock_.Now() + Seconds{30});
  EXPECT_EQ(delivery.RunOnce()->failed, 0) << "not due before its backoff";

  clock_.Advance(Seconds{30});
  ASSERT_EQ(delivery.RunOnce()->failed, 1);
  d = Deliveries(hook);
  EXPECT_EQ(d[0].last_status, 0);
  EXPECT_EQ(d[0].last_error, "connection refused");
  EXPECT_EQ(d[0].next_attempt_at, clock_.Now() + Seconds{60}) << "doubled";

  clock_.Advance(Seconds{60});
  ASSERT_EQ(delivery.RunOnce()->delivered, 1);
  d = Deliveries(hook);
  EXPECT_TRUE(d[0].delivered_at);
  EXPECT_EQ(d[0].attempts, 3);
  ASSERT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(sender.sent[0].delivery_id, sender.sent[2].delivery_id);
  EXPECT_EQ(sender.sent[0].secret, "a-long-shared-secret");
  EXPECT_EQ(sender.sent[0].event, "ticket.created");
  EXPECT_EQ(sender.sent[0].url, "https://hooks.example.com/in");
  clock_.Advance(Seconds{3600});
  EXPECT_EQ(delivery.RunOnce()->delivered, 0) << "never sent again";
  EXPECT_EQ(sender.sent.size(), 3u);
  EXPECT_EQ(service_->Retry(root_, d[0].id).error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(WebhookTest, PastTheLimitADeliveryFailsAndAnAdminRetriesIt) {
  const auto hook = Subscribe({"ticket.created"});
  OpenTicket();
  ScriptedSender sender;
  sender.script = {503};
  auto delivery = Delivery(sender, "n1", 2);
  ASSERT_TRUE(delivery.RunOnce());
  clock_.Advance(Seconds{30});
  auto r = delivery.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->given_up, 1);
  auto d = Deliveries(hook);
  ASSERT_TRUE(d[0].failed_at);
  clock_.Advance(Seconds{7200});
  EXPECT_EQ(delivery.RunOnce()->failed, 0) << "a failed delivery waits for an admin";

  EXPECT_EQ(service_->Retry(agent_, d[0].id).error().code, ErrorCode::kPermissionDenied);
  auto again = service_->Retry(root_, d[0].id);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->failed_at);
  sender.script = {200};
  EXPECT_EQ(delivery.RunOnce()->delivered, 1);
  EXPECT_EQ(sender.sent.front().delivery_id, sender.sent.back().delivery_id);
  auto view = service_->Get(root_, hook);
  EXPECT_EQ(view->counts.delivered, 1);
  EXPECT_EQ(view->counts.failed, 0);
}

TEST_F(WebhookTest, TwoNodesNeverSendOneDeliveryTwice) {
  Subscribe({"ticket.created"});
  OpenTicket();
  OpenTicket();
  ScriptedSender a_sender, b_sender;
  auto a = Delivery(a_sender, "node-a");
  auto b = Delivery(b_sender, "node-b");
  int b_rounds = 0;
  // While node a is sending, node b runs its own rounds: the rows a claimed are not b's.
  a_sender.during_post = [&] {
    auto r = b.RunOnce();
    ASSERT_TRUE(r);
    ++b_rounds;
  };
  auto r = a.RunOnce();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->delivered, 2);
  EXPECT_EQ(b_rounds, 2);
  EXPECT_TRUE(b_sender.sent.empty());
  EXPECT_EQ(a_sender.sent.size(), 2u);
  EXPECT_NE(a_sender.sent[0].delivery_id, a_sender.sent[1].delivery_id);
}

TEST_F(WebhookTest, DeletingASubscriptionDropsItsPendingDeliveries) {
  const auto hook = Subscribe({"ticket.created"});
  OpenTicket();
  EXPECT_EQ(service_->Delete(agent_, hook).error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(service_->Delete(root_, hook));
  ScriptedSender sender;
  auto delivery = Delivery(sender);
  EXPECT_EQ(delivery.RunOnce()->delivered, 0);
  EXPECT_TRUE(sender.sent.empty());
  EXPECT_EQ(service_->Get(root_, hook).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service_->Delete(root_, hook).error().code, ErrorCode::kNotFound);
  // No subscription: changes write no delivery at all.
  OpenTicket();
  auto rows = ReadValue(store_, [](ReadTx& tx) { return tx.webhooks().ListWebhooks(); });
  EXPECT_TRUE(rows->empty());
}

}  // namespace
}  // namespace soporte::app
