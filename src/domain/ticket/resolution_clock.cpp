#include "domain/ticket/resolution_clock.hpp"

#include <algorithm>

#include "domain/sla/sla_clock.hpp"

namespace soporte::domain {
namespace {

bool Counts(TicketStatus s) { return s == TicketStatus::kNew || s == TicketStatus::kOpen; }

ResolutionClockState StateOf(TicketStatus s) {
  if (Counts(s)) return ResolutionClockState::kRunning;
  return s == TicketStatus::kWaitingCustomer ? ResolutionClockState::kPaused
                                             : ResolutionClockState::kStopped;
}

}  // namespace

std::string_view ResolutionClockStateName(ResolutionClockState s) {
  switch (s) {
    case ResolutionClockState::kRunning: return "running";
    case ResolutionClockState::kPaused: return "paused";
    case ResolutionClockState::kStopped: return "stopped";
  }
  return "";
}

ResolutionClock ResolutionClockAt(std::shared_ptr<const calendar::BusinessCalendar> calendar,
                                  Instant start, TicketStatus initial,
                                  const std::vector<StatusChange>& changes,
                                  std::optional<Seconds> target, Instant now) {
  // A target of "none" counts against an unreachable one; only `elapsed` is reported then.
  sla::SlaClock clock(std::move(calendar), start, target.value_or(Seconds{0}));
  TicketStatus status = initial;
  auto move = [&](Instant at, TicketStatus to) {
    at = std::clamp(at, start, std::max(start, now));
    if (Counts(status) && !Counts(to)) (void)clock.Pause(at);
    if (!Counts(status) && Counts(to)) (void)clock.Resume(at);
    status = to;
  };
  if (!Counts(initial)) (void)clock.Pause(start);
  for (const auto& c : changes) {
    if (c.at > now) break;
    move(c.at, c.to);
  }
  ResolutionClock out;
  out.elapsed = clock.Elapsed(std::max(start, now));
  out.state = StateOf(status);
  out.target = target;
  if (target) {
    out.due = clock.Due();
    out.breached = out.elapsed > *target;
  }
  return out;
}

}  // namespace soporte::domain
