// OutboxDelivery: delivers the outbox rows that are due, through the MailSender port. Rows are
// claimed with a lease (claimed_until) in one transaction, sent outside any transaction, and the
// outcome is written in another: several nodes may run it at once and a node that dies mid-way
// only delays its claimed rows until the lease runs out. Failures are retried with exponential
// backoff (1 min, 2, 4… capped at 1 h); a row is never dropped. Thread-safe; blocks.
#pragma once

#include <cstdint>

#include "app/ports/mail.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct OutboxOptions {
  int batch = 50;                 // rows claimed per round
  Seconds lease{300};             // how long a claim keeps other nodes away
  Seconds first_backoff{60};
  Seconds max_backoff{3600};
  Seconds permanent_backoff{24 * 3600};  // after a 5xx refusal: try again a day later
};

struct DeliveryReport {
  int sent = 0;
  int failed = 0;
};

// The wait before attempt number `attempts + 1` after `attempts` failures (>= 1):
// first_backoff * 2^(attempts-1), at most max_backoff.
Seconds Backoff(const OutboxOptions& o, int attempts);

class OutboxDelivery {
 public:
  OutboxDelivery(Store& store, MailSender& sender, const Clock& clock, OutboxOptions options = {});

  // One round: claims up to options.batch due rows and tries each once. Errors only when the
  // store fails (the rows stay claimed until the lease ends, then are retried).
  Result<DeliveryReport> RunOnce();

 private:
  Store& store_;
  MailSender& sender_;
  const Clock& clock_;
  OutboxOptions options_;
};

}  // namespace soporte::app
