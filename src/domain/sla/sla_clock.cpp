#include "domain/sla/sla_clock.hpp"

#include "common/check.hpp"

namespace soporte::domain::sla {

SlaClock::SlaClock(std::shared_ptr<const calendar::BusinessCalendar> calendar, Instant start,
                   Seconds target)
    : calendar_(std::move(calendar)), start_(start), target_(target), running_since_(start) {
  SOPORTE_CHECK(calendar_ != nullptr);
}

Status SlaClock::Pause(Instant at) {
  if (paused_) return Fail(ErrorCode::kFailedPrecondition, "the SLA clock is already paused");
  if (at < running_since_) {
    return Fail(ErrorCode::kFailedPrecondition, "pause before the clock's last start");
  }
  const Seconds before = consumed_;
  consumed_ += calendar_->Elapsed(running_since_, at);
  if (!ran_out_at_ && consumed_ >= target_) {
    ran_out_at_ = calendar_->Add(running_since_, target_ - before);
  }
  paused_ = true;
  paused_at_ = at;
  return Ok();
}

Status SlaClock::Resume(Instant at) {
  if (!paused_) return Fail(ErrorCode::kFailedPrecondition, "the SLA clock is not paused");
  if (at < paused_at_) return Fail(ErrorCode::kFailedPrecondition, "resume before the pause");
  paused_ = false;
  running_since_ = at;
  return Ok();
}

Seconds SlaClock::Elapsed(Instant now) const {
  if (paused_) return consumed_;
  return consumed_ + calendar_->Elapsed(running_since_, now);
}

std::optional<Instant> SlaClock::Due() const {
  if (ran_out_at_) return ran_out_at_;
  if (paused_) return std::nullopt;
  return calendar_->Add(running_since_, target_ - consumed_);
}

double SlaClock::ShareUsed(Instant now) const {
  if (target_.count() <= 0) return 1.0;
  return static_cast<double>(Elapsed(now).count()) / static_cast<double>(target_.count());
}

bool SlaClock::Breached(Instant now) const {
  const std::optional<Instant> due = Due();
  return due.has_value() && now > *due;
}

}  // namespace soporte::domain::sla
