// tx.alerts() on every backend: a user's alert preferences (none = defaults, replaced whole) and
// the alerts raised to them, read in id order after a given id, one user's never another's.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace soporte::storage::conformance {
namespace {

using domain::AlertKind;

class AlertRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    World();
    ticket_ = Ticket(kBase + 100);
    other_ = User("marta@vendor.test", OrgId{}, domain::Role::kAgent);
  }
  app::AlertRecord Raise(UserId u, AlertKind k) {
    auto r = W([&](app::WriteTx& tx) {
      return tx.alerts().InsertAlert(
          app::AlertRecord{0, u, ticket_.id, k, T(kBase + 100), T(kBase + 5)});
    });
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }
  domain::Ticket ticket_;
  domain::User other_;
};

TEST_P(AlertRepositoryTest, PreferencesAreAbsentUntilSavedThenReplacedWhole) {
  auto none = R([&](app::ReadTx& tx) { return tx.alerts().GetAlertPreferences(agent_.id); });
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  domain::AlertPreferences p;
  p.sla_warning.mail = false;
  p.new_critical.browser = false;
  p.quiet = domain::QuietHours{22 * 60, 7 * 60, "America/Bogota"};
  ASSERT_TRUE(store_->Write(
      [&](app::WriteTx& tx) { return tx.alerts().PutAlertPreferences(agent_.id, p, T(kBase)); }));
  auto got = R([&](app::ReadTx& tx) { return tx.alerts().GetAlertPreferences(agent_.id); });
  ASSERT_TRUE(got && got->has_value());
  EXPECT_EQ(**got, p);
  domain::AlertPreferences q;  // defaults, no quiet hours
  ASSERT_TRUE(store_->Write([&](app::WriteTx& tx) {
    return tx.alerts().PutAlertPreferences(agent_.id, q, T(kBase + 1));
  }));
  got = R([&](app::ReadTx& tx) { return tx.alerts().GetAlertPreferences(agent_.id); });
  EXPECT_EQ(**got, q);
  // Another user's are untouched (none).
  EXPECT_FALSE(
      R([&](app::ReadTx& tx) { return tx.alerts().GetAlertPreferences(other_.id); })->has_value());
  auto missing = store_->Write([&](app::WriteTx& tx) {
    return tx.alerts().PutAlertPreferences(UserId{999999}, q, T(kBase));
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(AlertRepositoryTest, AlertsAreListedPerUserAfterAnId) {
  const auto a1 = Raise(agent_.id, AlertKind::kNewCritical);
  const auto b1 = Raise(other_.id, AlertKind::kNewCritical);
  const auto a2 = Raise(agent_.id, AlertKind::kSlaWarning);
  EXPECT_GT(a1.id, 0);
  EXPECT_LT(a1.id, a2.id);
  auto mine = *R([&](app::ReadTx& tx) { return tx.alerts().ListAlerts(agent_.id, 0, 10); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, a1.id);
  EXPECT_EQ(mine[0].kind, AlertKind::kNewCritical);
  EXPECT_EQ(mine[0].ticket_id, ticket_.id);
  EXPECT_EQ(mine[0].due, T(kBase + 100));
  EXPECT_EQ(mine[0].at, T(kBase + 5));
  EXPECT_EQ(mine[1].kind, AlertKind::kSlaWarning);
  auto after = *R([&](app::ReadTx& tx) { return tx.alerts().ListAlerts(agent_.id, a1.id, 10); });
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, a2.id);
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.alerts().ListAlerts(agent_.id, 0, 1); })->size(),
            1u);
  auto theirs = *R([&](app::ReadTx& tx) { return tx.alerts().ListAlerts(other_.id, 0, 10); });
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_EQ(theirs[0].id, b1.id);
  auto bad = W([&](app::WriteTx& tx) {
    return tx.alerts().InsertAlert(app::AlertRecord{0, agent_.id, TicketId{999999},
                                                    AlertKind::kSlaBreach, T(kBase), T(kBase)});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
}

// Refusals are answers, not broken transactions (PostgreSQL aborts a transaction on a failed
// statement): a write that meets a missing user or ticket goes on and commits.
TEST_P(AlertRepositoryTest, RefusalsAreAnsweredAndTheWriteGoesOn) {
  auto expect = [](const auto& r, ErrorCode code, const char* what) -> Status {
    if (r || r.error().code != code) return Fail(ErrorCode::kInternal, what);
    return Ok();
  };
  const Status st = store_->Write([&](app::WriteTx& tx) -> Status {
    auto& a = tx.alerts();
    SOPORTE_TRY_STATUS(expect(a.PutAlertPreferences(UserId{999}, {}, T(kBase)),
                              ErrorCode::kFailedPrecondition, "preferences"));
    SOPORTE_TRY_STATUS(
        expect(a.InsertAlert(app::AlertRecord{0, UserId{999}, ticket_.id, AlertKind::kSlaBreach,
                                              T(kBase), T(kBase)}),
               ErrorCode::kFailedPrecondition, "user"));
    SOPORTE_TRY_STATUS(
        expect(a.InsertAlert(app::AlertRecord{0, agent_.id, TicketId{999}, AlertKind::kSlaBreach,
                                              T(kBase), T(kBase)}),
               ErrorCode::kFailedPrecondition, "ticket"));
    return a
        .InsertAlert(
            app::AlertRecord{0, agent_.id, ticket_.id, AlertKind::kSlaBreach, T(kBase), T(kBase)})
        .map([](auto&&) {});
  });
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(R([&](app::ReadTx& tx) { return tx.alerts().ListAlerts(agent_.id, 0, 10); })->size(),
            1u);
}

SOPORTE_ON_EVERY_BACKEND(AlertRepositoryTest);

}  // namespace
}  // namespace soporte::storage::conformance
