#include "domain/sla/intake_window.hpp"

#include <gtest/gtest.h>

#include "sla_test_util.hpp"

namespace soporte::domain::sla {
namespace {

using namespace date;
using namespace std::chrono_literals;
using testing_util::Bog;

TEST(IntakeWindowTest, EmailWaitsForTheWindowOtherChannelsDoNot) {
  const IntakeWindow w = *IntakeWindow::Create({});
  const local_days mon{2026_y / 12 / 7};
  EXPECT_EQ(w.Start(Channel::kEmail, Bog(mon, 8h)).at, Bog(mon, 8h));  // 08:00:00 is inside
  EXPECT_FALSE(w.Start(Channel::kEmail, Bog(mon, 8h)).waited_for_window);
  EXPECT_EQ(w.Start(Channel::kEmail, Bog(mon, 8h - 1s)).at, Bog(mon, 8h));
  EXPECT_TRUE(w.Start(Channel::kEmail, Bog(mon, 8h - 1s)).waited_for_window);
  EXPECT_EQ(w.Start(Channel::kEmail, Bog(mon, 18h - 1s)).at, Bog(mon, 18h - 1s));
  // 18:00:00 is after closing; Tuesday Dec 8 is a holiday → Wednesday 08:00.
  EXPECT_EQ(w.Start(Channel::kEmail, Bog(mon, 18h)).at, Bog(local_days{2026_y / 12 / 9}, 8h));
  for (Channel c : {Channel::kPortal, Channel::kPhone, Channel::kChat}) {
    EXPECT_EQ(w.Start(c, Bog(mon, 23h)).at, Bog(mon, 23h));
    EXPECT_FALSE(w.IsWindowed(c));
  }
}

TEST(IntakeWindowTest, WindowIsConfigurable) {
  IntakeWindowConfig config;
  config.zone = "Europe/Madrid";
  config.colombian_holidays = false;
  config.windowed_channels = {Channel::kEmail, Channel::kChat};
  const IntakeWindow w = *IntakeWindow::Create(config);
  // Tue 2026-12-08 07:00Z = 08:00 Madrid: open (no Colombian holidays here).
  EXPECT_EQ(w.Start(Channel::kChat, sys_days{2026_y / 12 / 8} + 7h).at, sys_days{2026_y / 12 / 8} + 7h);
  EXPECT_EQ(w.Start(Channel::kEmail, sys_days{2026_y / 12 / 8} + 6h).at, sys_days{2026_y / 12 / 8} + 7h);
  config.zone = "Nowhere/City";
  EXPECT_FALSE(IntakeWindow::Create(config).has_value());
}

}  // namespace
}  // namespace soporte::domain::sla
