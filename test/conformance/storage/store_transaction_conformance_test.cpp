// Store::Read/Write on every backend: a failed or throwing write leaves nothing behind, reads in
// a write see its own writes, concurrent writes all commit.
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class StoreTransactionTest : public StoreTest {};

TEST_P(StoreTransactionTest, FailedWriteLeavesNothingBehind) {
  World();
  auto st = store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(
        tx.orgs().InsertOrg(domain::Organization{OrgId{}, "ghost", "Ghost", T(kBase)}));
    SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(NewTicket(kBase)));
    // Reads inside the transaction see its own writes.
    SOPORTE_TRY_STATUS(tx.orgs().GetOrgBySlug("ghost"));
    return Fail(ErrorCode::kFailedPrecondition, "changed my mind");
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(st.error().message, "changed my mind");
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.orgs().GetOrgBySlug("ghost"); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.tickets().GetTicketByNumber(1001); }).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Ticket(kBase).number, 1001);  // the number was given back

  // An exception thrown inside Write reaches the caller and rolls back too.
  EXPECT_THROW(store_->Write([&](app::WriteTx& tx) -> Status {
    (void)tx.orgs().InsertOrg(domain::Organization{OrgId{}, "thrown", "T", T(kBase)});
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_FALSE(R([&](app::ReadTx& tx) { return tx.orgs().GetOrgBySlug("thrown"); }));
}

TEST_P(StoreTransactionTest, ConcurrentWritesAllCommitAndAFailingOneChangesNothing) {
  World();
  constexpr int kThreads = 8, kPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < kPerThread; ++k) {
        const bool fail = (k % 5 == 2);
        Status st = store_->Write([&](app::WriteTx& tx) -> Status {
          SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(NewTicket(kBase + i * 1000 + k)));
          if (fail) return Fail(ErrorCode::kFailedPrecondition, "planned failure");
          return Ok();
        });
        if (!st) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), kThreads * kPerThread / 5);
  auto stats = R([&](app::ReadTx& tx) { return tx.tickets().GetTicketStats(T(kBase)); });
  EXPECT_EQ(stats->open_normal, kThreads * kPerThread * 4 / 5);
  // Numbers of committed tickets are dense: the failures gave theirs back.
  EXPECT_TRUE(R([&](app::ReadTx& tx) {
    return tx.tickets().GetTicketByNumber(1000 + kThreads * kPerThread * 4 / 5);
  }));
  EXPECT_FALSE(R([&](app::ReadTx& tx) {
    return tx.tickets().GetTicketByNumber(1001 + kThreads * kPerThread * 4 / 5);
  }));
}

// A large read (ReadMany: the SQLite store's mapped reader) sees every committed write, also the
// writes made after its first use, and never one that was rolled back.
TEST_P(StoreTransactionTest, ALargeReadSeesEveryCommittedWrite) {
  World();
  auto count = [&] {
    std::int64_t open = -1;
    Status st = store_->ReadMany([&](app::ReadTx& tx) -> Status {
      SOPORTE_TRY(stats, tx.tickets().GetTicketStats(T(kBase)));
      open = stats.open_normal;
      return Ok();
    });
    EXPECT_TRUE(st) << st.error().message;
    return open;
  };
  EXPECT_EQ(count(), 0);
  for (int i = 1; i <= 3; ++i) {
    Ticket(kBase + i);
    EXPECT_EQ(count(), i);
  }
  (void)store_->Write([&](app::WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(tx.tickets().InsertTicket(NewTicket(kBase + 9)));
    return Fail(ErrorCode::kFailedPrecondition, "rolled back");
  });
  EXPECT_EQ(count(), 3);
  // Its failure is the caller's.
  Status failed = store_->ReadMany(
      [](app::ReadTx&) -> Status { return Fail(ErrorCode::kNotFound, "nothing here"); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "nothing here");
}

SOPORTE_ON_EVERY_BACKEND(StoreTransactionTest);

}  // namespace
}  // namespace soporte::storage::conformance
