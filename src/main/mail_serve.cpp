#include "main/mail_serve.hpp"

#include <csignal>
#include <filesystem>

#include "main/wiring.hpp"
#include "transport/mail/curl_mail.hpp"
#include "transport/oncall/command_gateway.hpp"

namespace soporte::main {

Result<std::unique_ptr<MailRuntime>> MailRuntime::Start(Desk& desk, const MailServeOptions& options,
                                                        boost::asio::io_context& ioc, jobs::LogFn log) {
  if (options.imap_poll_seconds < 1) return Fail(ErrorCode::kInvalidArgument, "--imap-poll-seconds must be at least 1");
  if (!options.smtp_url.empty() && !options.smtp_url.starts_with("smtp://") && !options.smtp_url.starts_with("smtps://")) {
    return Fail(ErrorCode::kInvalidArgument, "--smtp-url must start with smtp:// or smtps://");
  }
  for (const auto& url : options.imap_urls) {
    if (!url.starts_with("imap://") && !url.starts_with("imaps://")) {
      return Fail(ErrorCode::kInvalidArgument, "--imap-url must start with imap:// or imaps://");
    }
  }
  if (options.outbox_give_up_hours < 1) {
    return Fail(ErrorCode::kInvalidArgument, "--outbox-give-up-hours must be at least 1");
  }
  if (options.outbox_retention_days < 1) {
    return Fail(ErrorCode::kInvalidArgument, "--outbox-retention-days must be at least 1");
  }
  std::unique_ptr<MailRuntime> rt(new MailRuntime());
  rt->pool_ = std::make_unique<boost::asio::thread_pool>(2);
  rt->scheduler_ = std::make_unique<jobs::Scheduler>(ioc, *rt->pool_, log);
  if (!options.smtp_url.empty()) {
    transport::mail::SmtpOptions smtp;
    smtp.url = options.smtp_url;
    smtp.from_address = options.mail_from;
    rt->sender_ = std::make_unique<transport::mail::CurlSmtpSender>(smtp);
    if (desk.outbox_admin) desk.outbox_admin->SetDelivering(true);
    app::OutboxOptions outbox_options;
    outbox_options.give_up_after = Seconds{std::int64_t{options.outbox_give_up_hours} * 3600};
    outbox_options.retention = Seconds{std::int64_t{options.outbox_retention_days} * 24 * 3600};
    rt->delivery_ = std::make_unique<app::OutboxDelivery>(
        *desk.store, *rt->sender_, *desk.outbox_renderer, desk.clock, outbox_options);
    rt->outbox_job_ = std::make_unique<jobs::OutboxJob>(*rt->delivery_, log);
    rt->scheduler_->Every("outbox", std::chrono::seconds(options.outbox_seconds),
                          [job = rt->outbox_job_.get()] { job->Run(); });
    // Purging is rare work on a short write per 1000 rows; every node may run it (idempotent).
    rt->scheduler_->Every(
        "outbox-purge", std::chrono::minutes(10), [job = rt->outbox_job_.get()] { job->Purge(); },
        std::chrono::seconds(5));
  }
  if (!options.imap_urls.empty()) {
    std::vector<std::unique_ptr<app::Mailbox>> boxes;
    for (const auto& url : options.imap_urls) boxes.push_back(std::make_unique<transport::mail::CurlImapMailbox>(url));
    rt->poller_ = std::make_unique<app::MailPoller>(*desk.store, *desk.mail_parser, *desk.mail_ingest,
                                                    (std::filesystem::path(desk.data_dir) / "tmp").string());
    rt->poll_job_ = std::make_unique<jobs::MailPollJob>(*rt->poller_, std::move(boxes), log);
    jobs::Scheduler* scheduler = rt->scheduler_.get();
    const bool deliver = rt->outbox_job_ != nullptr;
    rt->scheduler_->Every("mail-poll", std::chrono::seconds(options.imap_poll_seconds),
                          [job = rt->poll_job_.get(), scheduler, deliver] {
                            // New mail may have queued acknowledgements: deliver them now.
                            if (job->Run() > 0 && deliver) scheduler->Poke("outbox");
                          });
  }
  rt->signals_ = std::make_unique<boost::asio::signal_set>(ioc, SIGINT, SIGTERM);
  rt->signals_->async_wait([r = rt.get()](const boost::system::error_code& ec, int) {
    if (!ec) r->Stop();
  });
  return rt;
}

void MailRuntime::Stop() {
  if (scheduler_) scheduler_->Stop();
  if (signals_) {
    boost::system::error_code ignored;
    signals_->cancel(ignored);
  }
}

MailRuntime::~MailRuntime() {
  Stop();
  if (pool_) pool_->join();
}

std::unique_ptr<PagingRuntime> PagingRuntime::Start(Desk& desk, const std::string& command,
                                                    int interval_seconds, int timeout_seconds,
                                                    boost::asio::io_context& ioc, jobs::LogFn log) {
  std::unique_ptr<PagingRuntime> rt(new PagingRuntime());
  rt->pool_ = std::make_unique<boost::asio::thread_pool>(1);
  rt->scheduler_ = std::make_unique<jobs::Scheduler>(ioc, *rt->pool_, log);
  if (!command.empty()) {
    rt->gateway_ = std::make_unique<transport::oncall::CommandGateway>(
        command, std::chrono::seconds(timeout_seconds));
  }
  rt->job_ = std::make_unique<jobs::PagingJob>(*desk.paging, rt->gateway_.get(), log);
  rt->scheduler_->Every("paging", std::chrono::seconds(interval_seconds),
                        [job = rt->job_.get()] { job->Run(); });
  rt->signals_ = std::make_unique<boost::asio::signal_set>(ioc, SIGINT, SIGTERM);
  rt->signals_->async_wait([r = rt.get()](const boost::system::error_code& ec, int) {
    if (!ec) r->Stop();
  });
  return rt;
}

void PagingRuntime::Stop() {
  if (scheduler_) scheduler_->Stop();
  if (signals_) {
    boost::system::error_code ignored;
    signals_->cancel(ignored);
  }
}

PagingRuntime::~PagingRuntime() {
  Stop();
  if (pool_) pool_->join();
}

}  // namespace soporte::main
