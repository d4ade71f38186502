// The email channel inside `soporte serve`: the outbox delivery job (SMTP) and the IMAP poll
// job on their own small worker pool, started after the HTTP server and stopped with it.
// Without --smtp-url the outbox only fills (nothing is lost) and is delivered once SMTP is
// configured; without --imap-url nothing is polled.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/mail/mail_poller.hpp"
#include "app/mail/outbox.hpp"
#include "jobs/mail_jobs.hpp"
#include "jobs/paging_job.hpp"
#include "jobs/scheduler.hpp"

namespace soporte::main {

struct Desk;

struct MailServeOptions {
  std::string mail_from = "soporte@example.com";
  // Our MTA's authserv-id (RFC 8601): trust only its Authentication-Results; "" = trust From.
  std::string mail_auth_serv_id;
  std::string smtp_url;                 // smtp://127.0.0.1:31025; "" = do not deliver
  std::vector<std::string> imap_urls;   // imap://user:pass@host:port/INBOX (repeatable)
  int imap_poll_seconds = 30;
  int outbox_seconds = 2;
  int outbox_give_up_hours = 72;        // a row failing this long is marked failed (staff may retry)
  int outbox_retention_days = 30;       // delivered mail older than this is purged
};

// The paging job (escalation, the gateway command) on its own one-thread pool, started after
// the HTTP server and stopped with it.
class PagingRuntime {
 public:
  // `command` "" = no gateway (pages go by mail); validated by CheckServeOptions.
  static std::unique_ptr<PagingRuntime> Start(Desk& desk, const std::string& command,
                                              int interval_seconds, int timeout_seconds,
                                              boost::asio::io_context& ioc, jobs::LogFn log);
  ~PagingRuntime();
  void Stop();

 private:
  PagingRuntime() = default;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::unique_ptr<jobs::Scheduler> scheduler_;
  std::unique_ptr<app::PageGateway> gateway_;
  std::unique_ptr<jobs::PagingJob> job_;
};

class MailRuntime {
 public:
  // Validates the options (kInvalidArgument naming the option) and schedules the jobs.
  static Result<std::unique_ptr<MailRuntime>> Start(Desk& desk, const MailServeOptions& options,
                                                    boost::asio::io_context& ioc, jobs::LogFn log);
  ~MailRuntime();
  // Cancels the timers; in-flight runs finish in the destructor. Also called on SIGINT/SIGTERM
  // (the runtime listens itself, beside the HTTP server's own handler).
  void Stop();

 private:
  MailRuntime() = default;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
  std::unique_ptr<jobs::Scheduler> scheduler_;
  std::unique_ptr<app::MailSender> sender_;
  std::unique_ptr<app::OutboxDelivery> delivery_;
  std::unique_ptr<jobs::OutboxJob> outbox_job_;
  std::unique_ptr<app::MailPoller> poller_;
  std::unique_ptr<jobs::MailPollJob> poll_job_;
};

}  // namespace soporte::main
