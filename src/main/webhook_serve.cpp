#include "main/webhook_serve.hpp"

#include <unistd.h>

#include <csignal>

#include "main/wiring.hpp"

namespace soporte::main {

std::string NodeName() {
  char host[256] = {0};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return std::string(host[0] != 0 ? host : "node") + ":" + std::to_string(::getpid());
}

Result<std::unique_ptr<WebhookRuntime>> WebhookRuntime::Start(Desk& desk,
                                                              const WebhookServeOptions& options,
                                                              boost::asio::io_context& ioc,
                                                              jobs::LogFn log) {
  if (options.interval_seconds < 1)
    return Fail(ErrorCode::kInvalidArgument, "--webhook-interval must be at least 1");
  if (options.first_retry_seconds < 1)
    return Fail(ErrorCode::kInvalidArgument, "--webhook-first-retry-seconds must be at least 1");
  if (options.max_attempts < 1 || options.max_attempts > 50)
    return Fail(ErrorCode::kInvalidArgument, "--webhook-max-attempts must be between 1 and 50");
  std::unique_ptr<WebhookRuntime> rt(new WebhookRuntime());
  rt->pool_ = std::make_unique<boost::asio::thread_pool>(1);
  rt->scheduler_ = std::make_unique<jobs::Scheduler>(ioc, *rt->pool_, log);
  transport::webhook::WebhookSenderOptions sender_options;
  sender_options.allow_private = options.allow_private;
  rt->sender_ = std::make_unique<transport::webhook::CurlWebhookSender>(sender_options);
  app::WebhookDeliveryOptions delivery_options;
  delivery_options.node = NodeName();
  delivery_options.retry.first = Seconds{options.first_retry_seconds};
  delivery_options.retry.max_attempts = options.max_attempts;
  // A round sends at most `batch` rows one after another, each within the total timeout.
  const auto per_row = std::chrono::duration_cast<Seconds>(sender_options.total_timeout +
                                                           sender_options.connect_timeout);
  delivery_options.lease = per_row * delivery_options.batch + Seconds{60};
  rt->delivery_ = std::make_unique<app::WebhookDelivery>(
      *desk.store, *rt->sender_, *desk.secret_box, desk.clock, delivery_options);
  rt->job_ = std::make_unique<jobs::WebhookJob>(*rt->delivery_, log);
  rt->scheduler_->Every("webhooks", std::chrono::seconds(options.interval_seconds),
                        [job = rt->job_.get()] { job->Run(); });
  rt->signals_ = std::make_unique<boost::asio::signal_set>(ioc, SIGINT, SIGTERM);
  rt->signals_->async_wait([r = rt.get()](const boost::system::error_code& ec, int) {
    if (!ec) r->Stop();
  });
  return rt;
}

void WebhookRuntime::Stop() {
  if (scheduler_) scheduler_->Stop();
  if (signals_) {
    boost::system::error_code ignored;
    signals_->cancel(ignored);
  }
}

WebhookRuntime::~WebhookRuntime() {
  Stop();
  if (pool_) pool_->join();
}

}  // namespace soporte::main
