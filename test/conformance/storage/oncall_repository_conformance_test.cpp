// tx.oncall() on every backend: rotas round-trip with their shifts and overrides and check their
// version and users; pages are unique per (ticket, reason, due); escalations and deliveries are
// claimed once per lease, earliest first, and only when due, also by several nodes at once.
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

using namespace std::chrono_literals;
namespace oc = domain::oncall;

class OnCallRepositoryTest : public StoreTest {
 protected:
  oc::Rota NewRota() {
    oc::Rota r;
    r.name = "Noches";
    r.zone = "America/Bogota";
    r.shifts.push_back({0, 18h, 14h, agent_.id, sup_.id});
    r.shifts.push_back({4, 18h, 62h, sup_.id, UserId{}});
    r.overrides.push_back({T(kBase), T(kBase + 3600), oc::kPrimaryLevel, sup_.id, "festivo"});
    r.created_at = r.updated_at = T(kBase);
    return r;
  }
  app::PageRecord NewPage(TicketId t, const std::string& reason, long long esc) {
    app::PageRecord p;
    p.ticket_id = t;
    p.reason = reason;
    p.due = T(kBase + 7200);
    p.created_at = T(kBase);
    p.escalate_at = T(esc);
    return p;
  }
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    World();
    sup_ = User("sup@vendor.test", OrgId{}, domain::Role::kSupervisor);
  }
  domain::User sup_;
};

TEST_P(OnCallRepositoryTest, RotasRoundTripAndCheckVersionAndUsers) {
  auto stored = W([&](app::WriteTx& tx) { return tx.oncall().InsertRota(NewRota()); });
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->version, 1);
  auto got = R([&](app::ReadTx& tx) { return tx.oncall().GetRota(stored->id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, *stored);
  EXPECT_EQ(got->shifts[1].secondary, UserId{});

  oc::Rota changed = *got;
  changed.name = "Noches y fines";
  changed.shifts.pop_back();
  changed.overrides.clear();
  changed.updated_at = T(kBase + 5);
  auto v2 = W([&](app::WriteTx& tx) { return tx.oncall().UpdateRota(changed); });
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->shifts.size(), 1u);
  EXPECT_TRUE(v2->overrides.empty());
  EXPECT_EQ(v2->created_at, T(kBase));
  // The stale version loses.
  auto stale = W([&](app::WriteTx& tx) { return tx.oncall().UpdateRota(changed); });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kAborted);
  // Overlapping shifts and unknown users are refused.
  oc::Rota bad = NewRota();
  bad.shifts.push_back({0, 20h, 1h, agent_.id, UserId{}});
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.oncall().InsertRota(bad); }).error().code,
            ErrorCode::kInvalidArgument);
  bad = NewRota();
  bad.shifts[0].primary = UserId{999};
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.oncall().InsertRota(bad); }).error().code,
            ErrorCode::kFailedPrecondition);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.oncall().ListRotas(); })->size(), 1u);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.oncall().DeleteRota(stored->id); }));
  EXPECT_TRUE(R([](app::ReadTx& tx) { return tx.oncall().ListRotas(); })->empty());
  EXPECT_EQ(store_->Write([&](app::WriteTx& tx) { return tx.oncall().DeleteRota(stored->id); })
                .error()
                .code,
            ErrorCode::kNotFound);
}

TEST_P(OnCallRepositoryTest, PagesAreUniquePerReasonAndDueAndEscalationsAreClaimedOnce) {
  const domain::Ticket t = Ticket(kBase + 7200, sla::Criticality::kCritical);
  auto a = W([&](app::WriteTx& tx) {
    return tx.oncall().InsertPage(NewPage(t.id, "sla_warning", kBase + 900));
  });
  ASSERT_TRUE(a) << a.error().message;
  auto b = W([&](app::WriteTx& tx) {
    return tx.oncall().InsertPage(NewPage(t.id, "sla_breach", kBase + 100));
  });
  ASSERT_TRUE(b);
  auto dup = W([&](app::WriteTx& tx) {
    return tx.oncall().InsertPage(NewPage(t.id, "sla_warning", kBase));
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);

  // Nothing due yet.
  EXPECT_TRUE(W([&](app::WriteTx& tx) {
                return tx.oncall().ClaimEscalations(T(kBase + 50), T(kBase + 110), 10);
              })->empty());
  auto claimed = W([&](app::WriteTx& tx) {
    return tx.oncall().ClaimEscalations(T(kBase + 1000), T(kBase + 1060), 10);
  });
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, b->id);  // earliest escalate_at first
  EXPECT_EQ((*claimed)[0].claimed_until, T(kBase + 1060));
  // Leased: a second node gets nothing until the lease passes.
  EXPECT_TRUE(W([&](app::WriteTx& tx) {
                return tx.oncall().ClaimEscalations(T(kBase + 1001), T(kBase + 1061), 10);
              })->empty());
  // Acknowledged pages are never claimed again and leave the open list.
  app::PageRecord ack = (*claimed)[0];
  ack.acknowledged_at = T(kBase + 1002);
  ack.acknowledged_by = agent_.id;
  ack.acknowledged_via = "link";
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.oncall().UpdatePage(ack); }));
  auto again = W([&](app::WriteTx& tx) {
    return tx.oncall().ClaimEscalations(T(kBase + 2000), T(kBase + 2060), 10);
  });
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, a->id);
  auto open = R([](app::ReadTx& tx) { return tx.oncall().ListOpenPages(10); });
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, a->id);
  auto got = R([&](app::ReadTx& tx) { return tx.oncall().GetPage(b->id); });
  EXPECT_EQ(got->acknowledged_by, agent_.id);
  EXPECT_EQ(got->acknowledged_via, "link");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.oncall().ListPages(t.id); })->size(), 2u);
}

// Several nodes (threads) escalating at once never claim the same page: SQLite's single writer
// serialises the claims; on PostgreSQL each skips the pages another claim holds locked and a
// claim that read a page another committed meanwhile is run again.
TEST_P(OnCallRepositoryTest, NodesEscalatingAtOnceNeverClaimTheSamePage) {
  constexpr int kPages = 24, kNodes = 4;
  const domain::Ticket t = Ticket(kBase + 7200, sla::Criticality::kCritical);
  for (int i = 0; i < kPages; ++i) {
    app::PageRecord p = NewPage(t.id, "sla_warning", kBase + i);
    p.due = T(kBase + 7200 + i);  // one page per (ticket, reason, due)
    ASSERT_TRUE(W([&](app::WriteTx& tx) { return tx.oncall().InsertPage(p); }));
  }
  std::atomic<int> failures{0};
  std::mutex mu;
  std::multiset<std::int64_t> claimed;
  std::vector<std::thread> threads;
  for (int n = 0; n < kNodes; ++n) {
    threads.emplace_back([&] {
      for (;;) {
        auto got = W([&](app::WriteTx& tx) {
          return tx.oncall().ClaimEscalations(T(kBase + 1000), T(kBase + 1060), 2);
        });
        if (!got) {
          ++failures;
          return;
        }
        if (got->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& p : *got) claimed.insert(p.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(std::set<std::int64_t>(claimed.begin(), claimed.end()).size(), claimed.size())
      << "a page claimed twice";
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kPages));
}

TEST_P(OnCallRepositoryTest, DeliveriesAreFoundByHashAndClaimedWhenDue) {
  const domain::Ticket t = Ticket(kBase + 7200, sla::Criticality::kCritical);
  auto page = W([&](app::WriteTx& tx) {
    return tx.oncall().InsertPage(NewPage(t.id, "critical_created", kBase + 900));
  });
  ASSERT_TRUE(page);
  app::PageDeliveryRecord d;
  d.page_id = page->id;
  d.user_id = agent_.id;
  d.ack_hash = "hash-1";
  d.ack_expires_at = T(kBase + 86400);
  d.next_attempt_at = T(kBase);
  auto d1 = W([&](app::WriteTx& tx) { return tx.oncall().InsertPageDelivery(d); });
  ASSERT_TRUE(d1);
  d.next_attempt_at = T(kBase + 500);
  d.ack_hash = "hash-2";
  auto d2 = W([&](app::WriteTx& tx) { return tx.oncall().InsertPageDelivery(d); });
  ASSERT_TRUE(d2);
  EXPECT_EQ(W([&](app::WriteTx& tx) { return tx.oncall().InsertPageDelivery(d); }).error().code,
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.oncall().FindPageDelivery("hash-2"); })->id, d2->id);
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.oncall().FindPageDelivery("nope"); }).error().code,
            ErrorCode::kNotFound);

  auto claimed = W([&](app::WriteTx& tx) {
    return tx.oncall().ClaimPageDeliveries(T(kBase + 10), T(kBase + 70), 10);
  });
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, d1->id);
  app::PageDeliveryRecord failed = (*claimed)[0];
  failed.attempts = 1;
  failed.last_error = "exit 3";
  failed.next_attempt_at = T(kBase + 600);
  failed.claimed_until.reset();
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.oncall().UpdatePageDelivery(failed); }));
  auto later = W([&](app::WriteTx& tx) {
    return tx.oncall().ClaimPageDeliveries(T(kBase + 600), T(kBase + 660), 10);
  });
  ASSERT_EQ(later->size(), 2u);
  EXPECT_EQ((*later)[0].id, d2->id);  // due at +500, before the retry at +600
  EXPECT_EQ((*later)[1].last_error, "exit 3");
  app::PageDeliveryRecord sent = (*later)[0];
  sent.sent_at = T(kBase + 601);
  app::PageDeliveryRecord skipped = (*later)[1];
  skipped.skipped_at = T(kBase + 601);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.oncall().UpdatePageDelivery(sent));
    return tx.oncall().UpdatePageDelivery(skipped);
  }));
  EXPECT_TRUE(W([&](app::WriteTx& tx) {
                return tx.oncall().ClaimPageDeliveries(T(kBase + 9999), T(kBase + 99999), 10);
              })->empty());
  auto all = R([&](app::ReadTx& tx) { return tx.oncall().ListPageDeliveries(page->id); });
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].attempts, 1);
  EXPECT_EQ((*all)[1].sent_at, T(kBase + 601));
}

SOPORTE_ON_EVERY_BACKEND(OnCallRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
