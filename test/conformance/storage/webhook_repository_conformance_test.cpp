// tx.webhooks() on every backend: subscriptions with their sealed secret and event list; the
// delivery outbox claimed with a lease (one node at a time; a lapsed lease goes to another node,
// whose outcome then wins), outcomes, requeue, listing newest first, counts, and deletion taking
// the deliveries with it. Several nodes claiming at once never hold the same delivery.
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class WebhookRepositoryTest : public StoreTest {
 protected:
  app::WebhookRecord Hook(std::vector<std::string> events = {"ticket.created"}) {
    app::WebhookRecord r;
    r.url = "https://hooks.example.com/in";
    r.events = std::move(events);
    r.secret = app::SealedValue{"k1", "nonce", "cipher"};
    r.created_by = agent_.id;
    r.created_at = T(kBase);
    auto stored = W([&](app::WriteTx& tx) { return tx.webhooks().InsertWebhook(r); });
    SOPORTE_CHECK(stored.has_value());
    return *stored;
  }
  app::WebhookDeliveryRecord Delivery(std::int64_t hook, const std::string& id, long long due,
                                      TicketId ticket = TicketId{}) {
    app::WebhookDeliveryRecord d;
    d.webhook_id = hook;
    d.delivery_id = id;
    d.event = "ticket.created";
    d.payload = R"({"event":"ticket.created"})";
    d.ticket_id = ticket;
    d.created_at = T(kBase);
    d.next_attempt_at = T(due);
    auto stored = W([&](app::WriteTx& tx) { return tx.webhooks().InsertWebhookDelivery(d); });
    SOPORTE_CHECK(stored.has_value());
    return *stored;
  }
  std::vector<app::WebhookDeliveryRecord> Claim(long long now, const std::string& node,
                                                long long lease, int limit = 10) {
    auto r = W([&](app::WriteTx& tx) {
      return tx.webhooks().ClaimWebhookDeliveries(T(now), node, T(lease), limit);
    });
    SOPORTE_CHECK(r.has_value());
    return *r;
  }
};

TEST_P(WebhookRepositoryTest, SubscriptionsKeepTheirEventsAndSealedSecret) {
  World();
  auto a = Hook({"ticket.created", "sla.breached"});
  auto b = Hook({"page.sent"});
  EXPECT_LT(a.id, b.id);
  auto all = R([](app::ReadTx& tx) { return tx.webhooks().ListWebhooks(); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].events, (std::vector<std::string>{"ticket.created", "sla.breached"}));
  EXPECT_EQ((*all)[0].secret.ciphertext, "cipher");
  EXPECT_EQ((*all)[0].created_by, agent_.id);

  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.webhooks().UpdateWebhookSecret(a.id, app::SealedValue{"k2", "n2", "c2"});
  }));
  auto got = R([&](app::ReadTx& tx) { return tx.webhooks().GetWebhook(a.id); });
  EXPECT_EQ(got->secret.key_id, "k2");

  auto missing = R([](app::ReadTx& tx) { return tx.webhooks().GetWebhook(999); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  app::WebhookRecord bad = a;
  bad.events.clear();
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.webhooks().InsertWebhook(bad); }).error().code,
            ErrorCode::kInvalidArgument);
}

TEST_P(WebhookRepositoryTest, ADueDeliveryIsClaimedByOneNodeUntilItsLeaseEnds) {
  World();
  auto hook = Hook();
  auto t = Ticket(kBase + 3600);
  auto first = Delivery(hook.id, "d-1", kBase + 10, t.id);
  auto later = Delivery(hook.id, "d-2", kBase + 100);

  EXPECT_TRUE(Claim(kBase + 9, "a", kBase + 60).empty()) << "nothing due yet";
  auto a = Claim(kBase + 10, "a", kBase + 70);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].delivery_id, "d-1");
  EXPECT_EQ(a[0].claimed_by, "a");
  EXPECT_EQ(a[0].ticket_id, t.id);
  EXPECT_TRUE(Claim(kBase + 20, "b", kBase + 80).empty()) << "held by a";

  // a stalls past its lease: b takes the row over, and a's late outcome is refused.
  auto b = Claim(kBase + 71, "b", kBase + 130);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].id, first.id);
  app::WebhookDeliveryRecord late = a[0];
  late.attempts = 1;
  late.delivered_at = T(kBase + 72);
  EXPECT_EQ(
      store_
          ->Write([&](app::WriteTx& tx) { return tx.webhooks().FinishWebhookDelivery(late, "a"); })
          .error()
          .code,
      ErrorCode::kAborted);

  app::WebhookDeliveryRecord done = b[0];
  done.attempts = 1;
  done.last_status = 204;
  done.last_attempt_at = done.delivered_at = T(kBase + 73);
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.webhooks().FinishWebhookDelivery(done, "b"); }));
  auto stored = R([&](app::ReadTx& tx) { return tx.webhooks().GetWebhookDelivery(first.id); });
  EXPECT_EQ(stored->delivered_at, T(kBase + 73));
  EXPECT_EQ(stored->last_status, 204);
  EXPECT_EQ(stored->claimed_by, "");
  EXPECT_FALSE(stored->lease_until);
  EXPECT_TRUE(Claim(kBase + 1000, "c", kBase + 2000).size() == 1u) << "only d-2 is left";
  (void)later;
}

// Several nodes (threads) claiming the same due deliveries at once each get a share, and no
// delivery is held by two: SQLite's single writer serialises the claims; on PostgreSQL each claim
// skips the rows another claim holds locked (SKIP LOCKED) and a claim that read rows another
// committed meanwhile is refused and run again.
TEST_P(WebhookRepositoryTest, NodesClaimingAtOnceNeverHoldTheSameDelivery) {
  World();
  auto hook = Hook();
  constexpr int kDeliveries = 40, kNodes = 4;
  for (int i = 0; i < kDeliveries; ++i) Delivery(hook.id, "d-" + std::to_string(i), kBase + i);
  std::atomic<int> failures{0};
  std::mutex mu;
  std::multiset<std::int64_t> claimed;
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    threads.emplace_back([&, n] {
      const std::string node = "node-" + std::to_string(n);
      for (;;) {
        auto got = W([&](app::WriteTx& tx) {
          return tx.webhooks().ClaimWebhookDeliveries(T(kBase + 100), node, T(kBase + 500), 3);
        });
        if (!got) {
          ++failures;
          return;
        }
        if (got->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& d : *got) {
          EXPECT_EQ(d.claimed_by, node);
          claimed.insert(d.id);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()).size(), claimed.size())
      << "a delivery claimed twice";
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kDeliveries));
  EXPECT_TRUE(Claim(kBase + 100, "late", kBase + 500).empty()) << "every delivery is held";
}

TEST_P(WebhookRepositoryTest, FailuresWaitTheirTurnFailedRowsRequeueAndCountsFollow) {
  World();
  auto hook = Hook();
  auto d = Delivery(hook.id, "d-1", kBase);
  auto c = Claim(kBase, "a", kBase + 60);
  ASSERT_EQ(c.size(), 1u);
  c[0].attempts = 1;
  c[0].last_status = 500;
  c[0].last_error = "HTTP 500";
  c[0].next_attempt_at = T(kBase + 30);
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.webhooks().FinishWebhookDelivery(c[0], "a"); }));
  EXPECT_TRUE(Claim(kBase + 29, "a", kBase + 90).empty()) << "waits for its retry";
  c = Claim(kBase + 30, "a", kBase + 90);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].attempts, 1);
  c[0].attempts = 2;
  c[0].failed_at = T(kBase + 31);
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.webhooks().FinishWebhookDelivery(c[0], "a"); }));
  EXPECT_TRUE(Claim(kBase + 5000, "a", kBase + 6000).empty()) << "failed rows are not retried";
  auto counts = R([&](app::ReadTx& tx) { return tx.webhooks().CountWebhookDeliveries(hook.id); });
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->pending, 0);

  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.webhooks().RequeueWebhookDelivery(d.id, T(kBase + 40)); }));
  auto again = R([&](app::ReadTx& tx) { return tx.webhooks().GetWebhookDelivery(d.id); });
  EXPECT_FALSE(again->failed_at);
  EXPECT_EQ(again->attempts, 0);
  EXPECT_EQ(again->delivery_id, "d-1") << "the same id on a retry";
  EXPECT_EQ(Claim(kBase + 40, "a", kBase + 100).size(), 1u);
}

TEST_P(WebhookRepositoryTest, DeliveriesListNewestFirstAndGoWithTheirSubscription) {
  World();
  auto hook = Hook();
  auto other = Hook();
  for (int i = 0; i < 3; ++i) Delivery(hook.id, "d-" + std::to_string(i), kBase);
  Delivery(other.id, "o-1", kBase);
  auto list = R([&](app::ReadTx& tx) { return tx.webhooks().ListWebhookDeliveries(hook.id, 2); });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].delivery_id, "d-2");
  EXPECT_EQ((*list)[1].delivery_id, "d-1");
  // A delivery id is unique.
  app::WebhookDeliveryRecord dup;
  dup.webhook_id = hook.id;
  dup.delivery_id = "d-1";
  dup.event = "ticket.created";
  dup.created_at = dup.next_attempt_at = T(kBase);
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.webhooks().InsertWebhookDelivery(dup); }).error().code,
      ErrorCode::kAlreadyExists);
  dup.delivery_id = "d-x";
  dup.webhook_id = 999;
  EXPECT_EQ(
      W([&](app::WriteTx& tx) { return tx.webhooks().InsertWebhookDelivery(dup); }).error().code,
      ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.webhooks().DeleteWebhook(hook.id); }));
  EXPECT_TRUE(Claim(kBase, "a", kBase + 60).size() == 1u) << "only the other hook's delivery";
  EXPECT_EQ(store_->Write([&](app::WriteTx& tx) { return tx.webhooks().DeleteWebhook(hook.id); })
                .error()
                .code,
            ErrorCode::kNotFound);
}

SOPORTE_ON_EVERY_BACKEND(WebhookRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
