#include "app/mail/outbox.hpp"

#include <algorithm>

namespace soporte::app {

Seconds Backoff(const OutboxOptions& o, int attempts) {
  Seconds wait = o.first_backoff;
  for (int i = 1; i < attempts && wait < o.max_backoff; ++i) wait *= 2;
  return std::min(wait, o.max_backoff);
}

OutboxDelivery::OutboxDelivery(Store& store, MailSender& sender, const Clock& clock,
                               OutboxOptions options)
    : store_(store), sender_(sender), clock_(clock), options_(options) {}

Result<DeliveryReport> OutboxDelivery::RunOnce() {
  const Instant now = clock_.Now();
  SOPORTE_TRY(claimed, WriteValue(store_, [&](WriteTx& tx) {
    return tx.ClaimOutbox(now, now + options_.lease, options_.batch);
  }));
  DeliveryReport report;
  for (OutboxRecord& row : claimed) {
    Status sent = sender_.Send(row);
    const Instant after = clock_.Now();
    row.attempts += 1;
    row.claimed_until.reset();
    if (sent) {
      row.sent_at = after;
      row.last_error.clear();
      ++report.sent;
    } else {
      const bool permanent = sent.error().code == ErrorCode::kInvalidArgument;
      row.next_attempt_at = after + (permanent ? options_.permanent_backoff : Backoff(options_, row.attempts));
      row.last_error = sent.error().message.substr(0, 500);
      ++report.failed;
    }
    SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) { return tx.UpdateOutboxDelivery(row); }));
  }
  return report;
}

}  // namespace soporte::app
