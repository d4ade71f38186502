// Webhook delivery inside `soporte serve`: the delivery job (app/webhooks/webhook_delivery over
// the libcurl sender) on its own small pool, every --webhook-interval seconds, started after the
// HTTP server and stopped with it. Several `serve` processes over one database each run it;
// leases keep every delivery to one of them at a time.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/webhooks/webhook_delivery.hpp"
#include "jobs/scheduler.hpp"
#include "jobs/webhook_job.hpp"
#include "transport/webhook/curl_webhook_sender.hpp"

namespace soporte::main {

struct Desk;

struct WebhookServeOptions {
  int interval_seconds = 5;      // --webhook-interval
  bool allow_private = false;    // --webhook-allow-private (subscriptions and delivery)
  int first_retry_seconds = 30;  // --webhook-first-retry-seconds: backoff 30 s, 60 s… ≤ 1 h
  int max_attempts = 8;          // --webhook-max-attempts: then the delivery is failed
};

class WebhookRuntime {
 public:
  // Validates the options (kInvalidArgument naming the option) and schedules the job.
  static Result<std::unique_ptr<WebhookRuntime>> Start(Desk& desk,
                                                       const WebhookServeOptions& options,
                                                       boost::asio::io_context& ioc,
                                                       jobs::LogFn log);
  ~WebhookRuntime();
  void Stop();

 private:
  WebhookRuntime() = default;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::unique_ptr<jobs::Scheduler> scheduler_;
  std::unique_ptr<transport::webhook::CurlWebhookSender> sender_;
  std::unique_ptr<app::WebhookDelivery> delivery_;
  std::unique_ptr<jobs::WebhookJob> job_;
};

// The name this process claims deliveries under: "HOST:PID".
std::string NodeName();

}  // namespace soporte::main
