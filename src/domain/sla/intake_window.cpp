#include "domain/sla/intake_window.hpp"

#include <algorithm>

#include "domain/calendar/holiday_rules.hpp"

namespace soporte::domain::sla {

Result<IntakeWindow> IntakeWindow::Create(IntakeWindowConfig config) {
  calendar::HolidaySet closures =
      config.colombian_holidays
          ? calendar::HolidaySet::Colombia(calendar::kFirstHolidayYear, calendar::kLastHolidayYear + 1)
          : calendar::HolidaySet{};
  if (!config.extra_closures.empty()) closures = closures.With(std::move(config.extra_closures));
  SOPORTE_TRY(window, calendar::BusinessCalendar::Create("intake", std::move(config.hours),
                                                         std::move(closures), config.zone));
  return IntakeWindow(std::move(window), std::move(config.windowed_channels));
}

bool IntakeWindow::IsWindowed(Channel channel) const {
  return std::find(windowed_.begin(), windowed_.end(), channel) != windowed_.end();
}

ClockStart IntakeWindow::Start(Channel channel, Instant received) const {
  if (!IsWindowed(channel)) return {received, false};
  const Instant open = window_.NextOpen(received);
  return {open, open != received};
}

}  // namespace soporte::domain::sla
