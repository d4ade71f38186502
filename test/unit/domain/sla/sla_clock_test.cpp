#include "domain/sla/sla_clock.hpp"

#include <gtest/gtest.h>

#include "sla_test_util.hpp"

namespace soporte::domain::sla {
namespace {

using namespace date;
using namespace std::chrono_literals;
using testing_util::Bog;

std::shared_ptr<const calendar::BusinessCalendar> Cal() {
  return std::make_shared<const calendar::BusinessCalendar>(
      *calendar::BusinessCalendar::Make8x5("America/Bogota"));
}

TEST(SlaClockTest, RunningClock) {
  const local_days fri{2026_y / 12 / 4}, mon{2026_y / 12 / 7};
  SlaClock clock(Cal(), Bog(fri, 16h), 8h);
  EXPECT_EQ(clock.Due(), Bog(mon, 14h));
  EXPECT_EQ(clock.Elapsed(Bog(mon, 10h)), 4h);
  EXPECT_DOUBLE_EQ(clock.ShareUsed(Bog(mon, 10h)), 0.5);
  EXPECT_FALSE(clock.Breached(Bog(mon, 14h)));  // answering at the due is on time
  EXPECT_TRUE(clock.Breached(Bog(mon, 14h) + 1s));
  EXPECT_EQ(clock.Elapsed(Bog(fri, 10h)), 0s);
}

TEST(SlaClockTest, PauseWhileWaitingOnTheCustomerMovesTheDue) {
  const local_days mon{2026_y / 12 / 7}, wed{2026_y / 12 / 9};
  SlaClock clock(Cal(), Bog(mon, 8h), 8h);
  ASSERT_TRUE(clock.Pause(Bog(mon, 10h)));
  EXPECT_FALSE(clock.Pause(Bog(mon, 11h)));  // already paused
  EXPECT_EQ(clock.Due(), std::nullopt);
  EXPECT_EQ(clock.Elapsed(Bog(wed, 17h)), 2h);
  EXPECT_FALSE(clock.Breached(Bog(wed, 17h)));
  ASSERT_TRUE(clock.Resume(Bog(wed, 9h)));  // Tuesday is a holiday anyway
  EXPECT_FALSE(clock.Resume(Bog(wed, 9h)));
  EXPECT_EQ(clock.Due(), Bog(wed, 15h));
  EXPECT_EQ(clock.Elapsed(Bog(wed, 12h)), 5h);
  EXPECT_DOUBLE_EQ(clock.ShareUsed(Bog(wed, 15h)), 1.0);
}

TEST(SlaClockTest, PauseAfterTheTargetRanOutKeepsTheBreach) {
  const local_days mon{2026_y / 12 / 7};
  SlaClock clock(Cal(), Bog(mon, 8h), 2h);
  ASSERT_TRUE(clock.Pause(Bog(mon, 12h)));
  EXPECT_EQ(clock.Due(), Bog(mon, 10h));
  EXPECT_TRUE(clock.Breached(Bog(mon, 12h)));
  EXPECT_DOUBLE_EQ(clock.ShareUsed(Bog(mon, 13h)), 2.0);
  EXPECT_FALSE(clock.Pause(Bog(mon, 13h)));
  EXPECT_FALSE(clock.Resume(Bog(mon, 11h)));  // before the pause
}

}  // namespace
}  // namespace soporte::domain::sla
