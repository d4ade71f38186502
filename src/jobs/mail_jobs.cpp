#include "jobs/mail_jobs.hpp"

namespace soporte::jobs {

void OutboxJob::Run() {
  // Deliver until nothing due is left (a round takes at most OutboxOptions::batch rows).
  for (int round = 0; round < 20; ++round) {
    auto report = delivery_.RunOnce();
    if (!report) {
      LogFailure(log_, "outbox", report.error());
      return;
    }
    if (report->failed > 0 && log_) log_("outbox: " + std::to_string(report->failed) + " mail(s) not delivered, will retry");
    if (report->sent + report->failed == 0 || report->failed > 0) return;
  }
}

void OutboxJob::Purge() {
  auto purged = delivery_.Purge();
  if (!purged) {
    LogFailure(log_, "outbox purge", purged.error());
    return;
  }
  if (*purged > 0 && log_) log_("outbox: purged " + std::to_string(*purged) + " delivered mail(s)");
}

int MailPollJob::Run() {
  int total = 0;
  for (auto& box : boxes_) {
    auto report = poller_.PollOnce(*box);
    if (!report) {
      LogFailure(log_, "mail poll " + box->Name(), report.error());
      continue;
    }
    if (report->failed > 0 && log_) {
      log_("mail poll " + box->Name() + ": " + std::to_string(report->failed) + " message(s) could not be read; left in the mailbox");
    }
    total += report->ingested;
  }
  return total;
}

}  // namespace soporte::jobs
