// The resolution clock: counts business time from the clock start, pauses while waiting on the
// customer, stops while resolved or closed and counts again when reopened; a due only with a
// target.
#include "domain/ticket/resolution_clock.hpp"

#include <gtest/gtest.h>

namespace soporte::domain {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// 2026-12-04T16:00:00-05:00 (a Friday) = 21:00 UTC.
constexpr Instant kFriday4pm{Seconds{1796418000}};

std::shared_ptr<const calendar::BusinessCalendar> Always() {
  return std::make_shared<calendar::BusinessCalendar>(
      *calendar::BusinessCalendar::Make24x7("America/Bogota"));
}
std::shared_ptr<const calendar::BusinessCalendar> Office() {
  return std::make_shared<calendar::BusinessCalendar>(
      *calendar::BusinessCalendar::Make8x5("America/Bogota"));
}

TEST(ResolutionClockTest, RunsWithoutATargetByDefault) {
  auto c = ResolutionClockAt(Always(), kFriday4pm, TicketStatus::kNew, {}, std::nullopt,
                             kFriday4pm + hours{3});
  EXPECT_EQ(c.elapsed, hours{3});
  EXPECT_EQ(c.state, ResolutionClockState::kRunning);
  EXPECT_FALSE(c.target.has_value());
  EXPECT_FALSE(c.due.has_value());
  EXPECT_FALSE(c.breached);
}

TEST(ResolutionClockTest, WaitingOnTheCustomerPausesItAndAnAnswerResumesIt) {
  const std::vector<StatusChange> changes = {
      {kFriday4pm + hours{1}, TicketStatus::kOpen},
      {kFriday4pm + hours{2}, TicketStatus::kWaitingCustomer},
      {kFriday4pm + hours{10}, TicketStatus::kOpen},
  };
  auto paused = ResolutionClockAt(Always(), kFriday4pm, TicketStatus::kNew, changes, hours{8},
                                  kFriday4pm + hours{5});
  EXPECT_EQ(paused.state, ResolutionClockState::kPaused);
  EXPECT_EQ(paused.elapsed, hours{2});
  EXPECT_FALSE(paused.due.has_value());  // no due while paused (the target has not run out)
  auto running = ResolutionClockAt(Always(), kFriday4pm, TicketStatus::kNew, changes, hours{8},
                                   kFriday4pm + hours{11});
  EXPECT_EQ(running.state, ResolutionClockState::kRunning);
  EXPECT_EQ(running.elapsed, hours{3});
  // 8 h target, 2 h used before the pause, resumed at +10 h: due at +16 h.
  EXPECT_EQ(running.due, kFriday4pm + hours{16});
  EXPECT_FALSE(running.breached);
  auto late = ResolutionClockAt(Always(), kFriday4pm, TicketStatus::kNew, changes, hours{8},
                                kFriday4pm + hours{17});
  EXPECT_TRUE(late.breached);
}

TEST(ResolutionClockTest, ResolvedStopsItAndReopeningCountsAgain) {
  const std::vector<StatusChange> changes = {
      {kFriday4pm + minutes{30}, TicketStatus::kResolved},
      {kFriday4pm + hours{2}, TicketStatus::kOpen},
  };
  auto stopped = ResolutionClockAt(Always(), kFriday4pm, TicketStatus::kNew, changes, std::nullopt,
                                   kFriday4pm + hours{1});
  EXPECT_EQ(stopped.state, ResolutionClockState::kStopped);
  EXPECT_EQ(stopped.elapsed, minutes{30});
  auto again = ResolutionClockAt(Always(), kFriday4pm, TicketStatus::kNew, changes, std::nullopt,
                                 kFriday4pm + hours{3});
  EXPECT_EQ(again.state, ResolutionClockState::kRunning);
  EXPECT_EQ(again.elapsed, minutes{90});
}

TEST(ResolutionClockTest, CountsOnTheContractCalendar) {
  // Friday 16:00 Bogota on 8x5: two business hours on Friday, none on the weekend.
  auto c = ResolutionClockAt(Office(), kFriday4pm, TicketStatus::kNew, {}, hours{4},
                             kFriday4pm + hours{24 * 2});
  EXPECT_EQ(c.elapsed, hours{2});
  // Two more hours on Monday 08:00–10:00 Bogota = 13:00–15:00 UTC, 2026-12-07.
  using namespace std::chrono;
  EXPECT_EQ(c.due, sys_days{year{2026} / 12 / 7} + hours{15});
}

TEST(ResolutionClockTest, StateNames) {
  EXPECT_EQ(ResolutionClockStateName(ResolutionClockState::kRunning), "running");
  EXPECT_EQ(ResolutionClockStateName(ResolutionClockState::kPaused), "paused");
  EXPECT_EQ(ResolutionClockStateName(ResolutionClockState::kStopped), "stopped");
}

}  // namespace
}  // namespace soporte::domain
