// The email channel's periodic jobs, thin over the use cases: OutboxJob delivers due outbox rows
// (app/mail/outbox), MailPollJob reads the configured IMAP mailboxes (app/mail/mail_poller).
// Each Run() is one round; failures are reported to the log and retried at the next round.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/mail/mail_poller.hpp"
#include "app/mail/outbox.hpp"
#include "jobs/scheduler.hpp"

namespace soporte::jobs {

class OutboxJob {
 public:
  OutboxJob(app::OutboxDelivery& delivery, LogFn log) : delivery_(delivery), log_(std::move(log)) {}
  void Run();
  // Deletes delivered mail past its retention (a separate, rarer job).
  void Purge();

 private:
  app::OutboxDelivery& delivery_;
  LogFn log_;
};

class MailPollJob {
 public:
  MailPollJob(app::MailPoller& poller, std::vector<std::unique_ptr<app::Mailbox>> boxes, LogFn log)
      : poller_(poller), boxes_(std::move(boxes)), log_(std::move(log)) {}
  // Polls every mailbox once; returns how many messages were ingested.
  int Run();

 private:
  app::MailPoller& poller_;
  std::vector<std::unique_ptr<app::Mailbox>> boxes_;
  LogFn log_;
};

}  // namespace soporte::jobs
