#include "jobs/sla_watch_job.hpp"

#include <string>

namespace soporte::jobs {

int SlaWatchJob::Run() {
  auto report = watch_.Tick();
  if (!report) {
    LogFailure(log_, "sla watch", report.error());
    return 0;
  }
  if (log_ && report->failed > 0) {
    log_("sla watch: " + std::to_string(report->failed) +
         " threshold(s) could not be fired, will retry");
  }
  if (log_ && report->warnings + report->breaches > 0) {
    log_("sla watch: fired " + std::to_string(report->warnings) + " warning(s), " +
         std::to_string(report->breaches) + " breach(es)");
  }
  return report->warnings + report->breaches;
}

}  // namespace soporte::jobs
