// tx.throttle() on every backend: a key's failures counted since an instant, trimmed to the
// newest `keep`, cleared, and pruned oldest first in bounded batches.
#include <string>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

class ThrottleRepositoryTest : public StoreTest {
 protected:
  void Fail(const std::string& key, long long at, int keep = 10) {
    ASSERT_TRUE(store_->Write(
        [&](app::WriteTx& tx) { return tx.throttle().RecordFailure(key, T(at), keep); }));
  }
  app::ThrottleWindow Count(const std::string& key, long long since) {
    auto w = R([&](app::ReadTx& tx) { return tx.throttle().CountFailures(key, T(since)); });
    SOPORTE_CHECK(w.has_value());
    return *w;
  }
};

TEST_P(ThrottleRepositoryTest, CountsAKeysFailuresSinceAnInstant) {
  EXPECT_EQ(Count("login.pair:a@x.co\n10.0.0.1", kBase).count, 0);
  Fail("login.pair:a@x.co\n10.0.0.1", kBase + 10);
  Fail("login.pair:a@x.co\n10.0.0.1", kBase + 20);
  Fail("login.pair:a@x.co\n10.0.0.1", kBase + 20);  // two failures in one second both count
  Fail("login.pair:b@x.co\n10.0.0.1", kBase + 15);  // another key
  auto all = Count("login.pair:a@x.co\n10.0.0.1", kBase);
  EXPECT_EQ(all.count, 3);
  EXPECT_EQ(all.oldest, T(kBase + 10));
  auto late = Count("login.pair:a@x.co\n10.0.0.1", kBase + 11);  // at or after
  EXPECT_EQ(late.count, 2);
  EXPECT_EQ(late.oldest, T(kBase + 20));
  EXPECT_EQ(Count("login.pair:a@x.co\n10.0.0.1", kBase + 20).count, 2);
  EXPECT_EQ(Count("login.pair:a@x.co\n10.0.0.1", kBase + 21).count, 0);
  EXPECT_EQ(Count("login.pair:b@x.co\n10.0.0.1", kBase).count, 1);
}

TEST_P(ThrottleRepositoryTest, KeepsOnlyTheNewestFailuresOfAKey) {
  for (int i = 0; i < 7; ++i) Fail("k", kBase + i, 3);
  Fail("other", kBase, 3);
  auto w = Count("k", kBase - 100);
  EXPECT_EQ(w.count, 3);
  EXPECT_EQ(w.oldest, T(kBase + 4));
  // A failure reported late (another node's clock) is kept in time order, and the oldest goes.
  Fail("k", kBase + 5, 3);
  w = Count("k", kBase - 100);
  EXPECT_EQ(w.count, 3);
  EXPECT_EQ(w.oldest, T(kBase + 5));
  EXPECT_EQ(Count("other", kBase).count, 1);
}

TEST_P(ThrottleRepositoryTest, ClearingAKeyLeavesTheOthers) {
  Fail("login.pair:a@x.co\n10.0.0.1", kBase);
  Fail("login.address:10.0.0.1", kBase);
  ASSERT_TRUE(store_->Write(
      [](app::WriteTx& tx) { return tx.throttle().ClearFailures("login.pair:a@x.co\n10.0.0.1"); }));
  ASSERT_TRUE(store_->Write([](app::WriteTx& tx) {
    return tx.throttle().ClearFailures("never.failed");  // nothing to clear is fine
  }));
  EXPECT_EQ(Count("login.pair:a@x.co\n10.0.0.1", kBase).count, 0);
  EXPECT_EQ(Count("login.address:10.0.0.1", kBase).count, 1);
}

TEST_P(ThrottleRepositoryTest, PrunesOldFailuresOldestFirstInBoundedBatches) {
  Fail("a", kBase + 1);
  Fail("b", kBase + 2);
  Fail("a", kBase + 3);
  Fail("b", kBase + 100);
  auto pruned = W([](app::WriteTx& tx) { return tx.throttle().PruneFailures(T(kBase + 50), 2); });
  ASSERT_TRUE(pruned.has_value());
  EXPECT_EQ(*pruned, 2);
  // The two oldest went: a's at +1 and b's at +2; a's at +3 is next.
  EXPECT_EQ(Count("a", kBase).count, 1);
  EXPECT_EQ(Count("a", kBase).oldest, T(kBase + 3));
  EXPECT_EQ(Count("b", kBase).count, 1);
  pruned = W([](app::WriteTx& tx) { return tx.throttle().PruneFailures(T(kBase + 50), 2); });
  EXPECT_EQ(*pruned, 1);
  pruned = W([](app::WriteTx& tx) { return tx.throttle().PruneFailures(T(kBase + 50), 2); });
  EXPECT_EQ(*pruned, 0);
  EXPECT_EQ(Count("a", kBase).count, 0);
  EXPECT_EQ(Count("b", kBase).count, 1);  // younger than the cutoff
  EXPECT_EQ(Count("b", kBase).oldest, T(kBase + 100));
}

TEST_P(ThrottleRepositoryTest, RefusesBadKeysAndBounds) {
  const std::string too_long(app::kMaxThrottleKeyBytes + 1, 'k');
  auto code = [&](const std::function<Status(app::WriteTx&)>& fn) {
    return store_->Write(fn).error().code;
  };
  EXPECT_EQ(code([](app::WriteTx& tx) { return tx.throttle().RecordFailure("", T(kBase), 5); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      code([&](app::WriteTx& tx) { return tx.throttle().RecordFailure(too_long, T(kBase), 5); }),
      ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([](app::WriteTx& tx) { return tx.throttle().RecordFailure("k", T(kBase), 0); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([](app::WriteTx& tx) { return tx.throttle().ClearFailures(""); }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code([](app::WriteTx& tx) -> Status {
              SOPORTE_TRY(n, tx.throttle().PruneFailures(T(kBase), 0));
              (void)n;
              return Ok();
            }),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(
      R([](app::ReadTx& tx) { return tx.throttle().CountFailures("", T(kBase)); }).error().code,
      ErrorCode::kInvalidArgument);
  // The longest accepted key round-trips.
  const std::string longest(app::kMaxThrottleKeyBytes, 'k');
  Fail(longest, kBase);
  EXPECT_EQ(Count(longest, kBase).count, 1);
}

SOPORTE_ON_EVERY_BACKEND(ThrottleRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
