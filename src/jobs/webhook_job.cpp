#include "jobs/webhook_job.hpp"

#include <string>

namespace soporte::jobs {

void WebhookJob::Run() {
  for (int round = 0; round < 20; ++round) {
    auto report = delivery_.RunOnce();
    if (!report) {
      LogFailure(log_, "webhooks", report.error());
      return;
    }
    if (report->failed > 0 && log_) {
      log_("webhooks: " + std::to_string(report->failed) + " delivery attempt(s) failed" +
           (report->given_up > 0 ? ", " + std::to_string(report->given_up) + " given up" : "") +
           "; see Administración › Webhooks");
    }
    if (report->delivered + report->failed + report->lost == 0) return;
  }
}

}  // namespace soporte::jobs
