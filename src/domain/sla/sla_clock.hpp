// SlaClock: one running SLA clock (response or resolution) on a business calendar — start, due,
// business time elapsed, share of the target used, breached or not, and pause/resume (the
// resolution clock pauses while a ticket waits on the customer). A value type; all queries take
// the current instant as a parameter (no machine clock). Not synchronized: one owner at a time.
#pragma once

#include <memory>
#include <optional>

#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/calendar/business_calendar.hpp"

namespace soporte::domain::sla {

class SlaClock {
 public:
  // A running clock from `start` with `target` business time on `calendar` (non-null, shared).
  SlaClock(std::shared_ptr<const calendar::BusinessCalendar> calendar, Instant start, Seconds target);

  // Stops counting at `at`. Fails with kFailedPrecondition when already paused or when `at` is
  // before the last start/resume.
  Status Pause(Instant at);
  // Counts again from `at`. Fails with kFailedPrecondition when not paused or `at` < pause time.
  Status Resume(Instant at);

  bool paused() const { return paused_; }
  Instant start() const { return start_; }
  Seconds target() const { return target_; }
  // Business time counted up to `now` (paused stretches excluded). now before start → 0.
  Seconds Elapsed(Instant now) const;
  // The instant the target runs out if the clock keeps running; nullopt while paused (unless the
  // target already ran out before the pause: then that instant).
  std::optional<Instant> Due() const;
  // Elapsed(now) / target (may exceed 1.0; 1.0 for a zero target).
  double ShareUsed(Instant now) const;
  // True when `now` is strictly after the due: a response exactly at the due (e.g. 18:00:00) is on
  // time. False while paused before the target ran out.
  bool Breached(Instant now) const;

 private:
  std::shared_ptr<const calendar::BusinessCalendar> calendar_;
  Instant start_;
  Seconds target_;
  Seconds consumed_{0};  // business time counted in finished running stretches
  Instant running_since_;
  bool paused_ = false;
  Instant paused_at_{};
  std::optional<Instant> ran_out_at_;  // set at Pause when the target ran out before it
};

}  // namespace soporte::domain::sla
