// SlaWatchJob: the SLA watch's periodic run in `soporte serve` (every --sla-watch-interval
// seconds), thin over app::SlaWatch::Tick. Failures are reported to the log and retried at the
// next run; what a run fired is logged as one line.
#pragma once

#include <utility>

#include "app/sla/sla_watch.hpp"
#include "jobs/scheduler.hpp"

namespace soporte::jobs {

class SlaWatchJob {
 public:
  SlaWatchJob(app::SlaWatch& watch, LogFn log) : watch_(watch), log_(std::move(log)) {}
  // One tick; returns how many thresholds fired.
  int Run();

 private:
  app::SlaWatch& watch_;
  LogFn log_;
};

}  // namespace soporte::jobs
