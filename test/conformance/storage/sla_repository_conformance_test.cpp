// tx.sla() on every backend: thresholds armed once per ticket and kind, re-armed in place until
// fired, claimed with a lease in firing order (also by several threads at once), fired once; the
// arm queue.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

using sla::SlaThresholdKind;

class SlaRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    World();
    a_ = Ticket(kBase + 100).id;
    b_ = Ticket(kBase + 200).id;
  }
  Status Arm(TicketId t, SlaThresholdKind k, long long due, long long fire_at) {
    return store_->Write(
        [&](app::WriteTx& tx) { return tx.sla().ArmThreshold(t, k, T(due), T(fire_at)); });
  }
  std::vector<app::SlaThresholdRecord> Claim(long long now, const std::string& node,
                                             int limit = 10) {
    auto r = W([&](app::WriteTx& tx) {
      return tx.sla().ClaimThresholds(T(now), node, T(now + 60), limit);
    });
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : std::vector<app::SlaThresholdRecord>{};
  }
  bool Fire(std::int64_t id, long long at) {
    auto r = W([&](app::WriteTx& tx) { return tx.sla().MarkThresholdFired(id, T(at)); });
    EXPECT_TRUE(r);
    return r && *r;
  }
  std::vector<app::SlaThresholdRecord> List(TicketId t) {
    return *R([&](app::ReadTx& tx) { return tx.sla().ListThresholds(t); });
  }

  TicketId a_, b_;
};

TEST_P(SlaRepositoryTest, ArmedRowsAreClaimedInFiringOrderWithALease) {
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kBreach, kBase + 100, kBase + 101));
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kWarning, kBase + 100, kBase + 75));
  ASSERT_TRUE(Arm(b_, SlaThresholdKind::kWarning, kBase + 200, kBase + 150));
  EXPECT_TRUE(Claim(kBase + 74, "n1").empty());
  auto first = Claim(kBase + 500, "n1");
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].ticket_id, a_);
  EXPECT_EQ(first[0].kind, SlaThresholdKind::kWarning);
  EXPECT_EQ(first[0].fire_at, T(kBase + 75));
  EXPECT_EQ(first[0].due, T(kBase + 100));
  EXPECT_EQ(first[0].claimed_by, "n1");
  EXPECT_EQ(first[0].lease_until, T(kBase + 560));
  EXPECT_EQ(first[1].kind, SlaThresholdKind::kBreach);
  EXPECT_EQ(first[2].ticket_id, b_);
  // Leased: another node gets nothing until the lease ends.
  EXPECT_TRUE(Claim(kBase + 560, "n2").empty());
  EXPECT_EQ(Claim(kBase + 561, "n2", 2).size(), 2u);
}

TEST_P(SlaRepositoryTest, ARowFiresOnceAndAFiredRowIsNeverReArmed) {
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kWarning, kBase + 100, kBase + 75));
  auto rows = Claim(kBase + 80, "n1");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(Fire(rows[0].id, kBase + 80));
  EXPECT_FALSE(Fire(rows[0].id, kBase + 81));
  EXPECT_TRUE(Claim(kBase + 1000, "n1").empty());
  // A new due does not move a fired row.
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kWarning, kBase + 900, kBase + 800));
  auto listed = List(a_);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].fired_at, T(kBase + 80));
  EXPECT_EQ(listed[0].fire_at, T(kBase + 75));
  EXPECT_EQ(listed[0].claimed_by, "");
  // Disarming leaves fired rows.
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.sla().DisarmThresholds(a_, std::nullopt); }));
  EXPECT_EQ(List(a_).size(), 1u);
  EXPECT_FALSE(Fire(999999, kBase));
}

TEST_P(SlaRepositoryTest, ReArmingMovesAnArmedRowAndFreesItsLease) {
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kBreach, kBase + 100, kBase + 101));
  ASSERT_EQ(Claim(kBase + 200, "n1").size(), 1u);
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kBreach, kBase + 300, kBase + 301));
  auto listed = List(a_);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].due, T(kBase + 300));
  EXPECT_EQ(listed[0].fire_at, T(kBase + 301));
  EXPECT_FALSE(listed[0].lease_until.has_value());
  EXPECT_TRUE(Claim(kBase + 300, "n2").empty());
  EXPECT_EQ(Claim(kBase + 301, "n2").size(), 1u);
}

TEST_P(SlaRepositoryTest, DisarmRemovesArmedRowsOfOneTicketOrOneKind) {
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kWarning, kBase + 100, kBase + 75));
  ASSERT_TRUE(Arm(a_, SlaThresholdKind::kBreach, kBase + 100, kBase + 101));
  ASSERT_TRUE(Arm(b_, SlaThresholdKind::kBreach, kBase + 200, kBase + 201));
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.sla().DisarmThresholds(a_, SlaThresholdKind::kWarning); }));
  ASSERT_EQ(List(a_).size(), 1u);
  EXPECT_EQ(List(a_)[0].kind, SlaThresholdKind::kBreach);
  ASSERT_TRUE(
      store_->Write([&](app::WriteTx& tx) { return tx.sla().DisarmThresholds(a_, std::nullopt); }));
  EXPECT_TRUE(List(a_).empty());
  EXPECT_EQ(List(b_).size(), 1u);
}

TEST_P(SlaRepositoryTest, ArmingAMissingTicketIsRefused) {
  auto st = Arm(TicketId{424242}, SlaThresholdKind::kWarning, kBase, kBase);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(SlaRepositoryTest, TheArmQueueIsASetInIdOrder) {
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.sla().QueueArm(b_));
    SOPORTE_TRY_STATUS(tx.sla().QueueArm(a_));
    return tx.sla().QueueArm(b_);
  }));
  auto q = *R([](app::ReadTx& tx) { return tx.sla().ListArmQueue(10); });
  EXPECT_EQ(q, (std::vector<TicketId>{a_, b_}));
  EXPECT_EQ(R([](app::ReadTx& tx) { return tx.sla().ListArmQueue(1); })->size(), 1u);
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) { return tx.sla().DequeueArm(a_); }));
  q = *R([](app::ReadTx& tx) { return tx.sla().ListArmQueue(10); });
  EXPECT_EQ(q, (std::vector<TicketId>{b_}));
}

// Nodes claiming at once (on PostgreSQL each thread on its own connection) lease every due
// threshold exactly once, and each fires once: SQLite's single writer serialises the claims;
// PostgreSQL's skip the rows another claim holds locked, and a claim that raced a committed one
// is run again.
TEST_P(SlaRepositoryTest, ConcurrentClaimsLeaseEachRowOnce) {
  constexpr int kTickets = 15, kThreads = 4;
  for (int i = 0; i < kTickets; ++i) {
    const TicketId t = Ticket(kBase + 300 + i).id;
    ASSERT_TRUE(Arm(t, SlaThresholdKind::kWarning, kBase + 300 + i, kBase + 200 + i));
    ASSERT_TRUE(Arm(t, SlaThresholdKind::kBreach, kBase + 300 + i, kBase + 300 + i));
  }
  constexpr int kRows = 2 * kTickets;
  std::mutex mu;
  std::map<std::int64_t, int> times_claimed;
  std::atomic<int> claimed{0}, fired{0}, failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w) {
    threads.emplace_back([&, w] {
      const std::string node = "n" + std::to_string(w);
      for (int round = 0; round < 200 && claimed.load() < kRows; ++round) {
        auto got = W([&](app::WriteTx& tx) {
          return tx.sla().ClaimThresholds(T(kBase + 1000), node, T(kBase + 1060), 3);
        });
        if (!got) {
          ++failures;
          continue;
        }
        EXPECT_LE(got->size(), 3u) << "a claim took more rows than its limit";
        for (const auto& r : *got) {
          EXPECT_EQ(r.claimed_by, node);
          auto f = W([&](app::WriteTx& tx) { return tx.sla().MarkThresholdFired(r.id, T(kBase)); });
          if (f && *f) ++fired;
        }
        std::lock_guard lock(mu);
        for (const auto& r : *got) ++times_claimed[r.id];
        claimed += static_cast<int>(got->size());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(times_claimed.size(), static_cast<std::size_t>(kRows));
  for (const auto& [id, n] : times_claimed) EXPECT_EQ(n, 1) << "row " << id << " claimed twice";
  EXPECT_EQ(claimed.load(), kRows);
  EXPECT_EQ(fired.load(), kRows);
}

// Refusals are answers, not broken transactions (PostgreSQL aborts a transaction on a failed
// statement): a write that meets a missing ticket or contract goes on and commits.
TEST_P(SlaRepositoryTest, RefusalsAreAnsweredAndTheWriteGoesOn) {
  auto expect = [](const auto& r, ErrorCode code, const char* what) -> Status {
    if (r || r.error().code != code) return Fail(ErrorCode::kInternal, what);
    return Ok();
  };
  const Status st = store_->Write([&](app::WriteTx& tx) -> Status {
    auto& s = tx.sla();
    SOPORTE_TRY_STATUS(
        expect(s.ArmThreshold(TicketId{999}, SlaThresholdKind::kBreach, T(kBase), T(kBase)),
               ErrorCode::kFailedPrecondition, "arm"));
    SOPORTE_TRY_STATUS(expect(s.SetResolutionTarget(ContractId{999}, Seconds{60}),
                              ErrorCode::kFailedPrecondition, "target"));
    SOPORTE_TRY_STATUS(expect(s.SetResolutionTarget(contract_.id, Seconds{0}),
                              ErrorCode::kInvalidArgument, "zero target"));
    SOPORTE_TRY_STATUS(s.QueueArm(a_));
    SOPORTE_TRY_STATUS(s.QueueArm(a_));
    SOPORTE_TRY_STATUS(
        s.ArmThreshold(a_, SlaThresholdKind::kBreach, T(kBase + 100), T(kBase + 100)));
    SOPORTE_TRY_STATUS(
        s.ArmThreshold(a_, SlaThresholdKind::kBreach, T(kBase + 200), T(kBase + 200)));
    return s.SetResolutionTarget(contract_.id, Seconds{3600});
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(*R([&](app::ReadTx& tx) { return tx.sla().ListArmQueue(10); }), std::vector{a_});
  const auto rows = List(a_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fire_at, T(kBase + 200));
  EXPECT_EQ(*R([&](app::ReadTx& tx) { return tx.sla().GetResolutionTarget(contract_.id); }),
            std::optional<Seconds>(Seconds{3600}));
}

SOPORTE_ON_EVERY_BACKEND(SlaRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
