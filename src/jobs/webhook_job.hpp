// The webhook delivery job, thin over app::WebhookDelivery: each Run() sends what is due, round
// after round until a round finds nothing (at most 20 rounds, then the next tick goes on).
// Failures are reported to the log and retried by the rows' own schedule.
#pragma once

#include "app/webhooks/webhook_delivery.hpp"
#include "jobs/scheduler.hpp"

namespace soporte::jobs {

class WebhookJob {
 public:
  WebhookJob(app::WebhookDelivery& delivery, LogFn log)
      : delivery_(delivery), log_(std::move(log)) {}
  void Run();

 private:
  app::WebhookDelivery& delivery_;
  LogFn log_;
};

}  // namespace soporte::jobs
