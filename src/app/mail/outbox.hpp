// OutboxDelivery: delivers the outbox rows that are due, through the MailSender port. Rows are
// claimed with a lease (claimed_until) in one transaction, rendered from their facts in a read
// (OutboxRenderer; the text is not stored), sent outside any transaction, and the outcome is
// written in another: several nodes may run it at once and a node that dies mid-way
// only delays its claimed rows until the lease runs out. Failures are retried with exponential
// backoff (1 min, 2, 4… capped at 1 h). A row refused permanently (5xx) or still failing after
// `give_up_after` is marked failed: no more retries, the ticket's history says why, and staff can
// list it and try it again (OutboxAdmin). Delivered rows are purged after `retention` (Purge);
// pending and failed rows are kept, and the body of a mail that held a secret (a password-reset
// link) is blanked once it is sent or given up.
// Thread-safe; blocks.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "app/accounts/principal.hpp"
#include "app/mail/outbox_render.hpp"
#include "app/ports/mail.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct OutboxOptions {
  int batch = 50;                 // rows claimed per round
  Seconds lease{300};             // how long a claim keeps other nodes away
  Seconds first_backoff{60};
  Seconds max_backoff{3600};
  Seconds give_up_after{3 * 24 * 3600};  // failing this long (from creation or a retry): failed
  Seconds retention{30 * 24 * 3600};     // delivered mail older than this is purged
  int purge_batch = 1000;                // rows deleted per write while purging
};

struct DeliveryReport {
  int sent = 0;
  int failed = 0;     // attempts that failed (retried later or given up)
  int given_up = 0;   // rows marked failed in this round
};

// True for a mail whose body holds a secret (a password-reset link): OutboxDelivery blanks its
// body_text in the write that marks it sent or failed, and OutboxAdmin::Retry refuses it.
bool HoldsSecret(const OutboxRecord& r);

// The wait before attempt number `attempts + 1` after `attempts` failures (>= 1):
// first_backoff * 2^(attempts-1), at most max_backoff.
Seconds Backoff(const OutboxOptions& o, int attempts);

class OutboxDelivery {
 public:
  OutboxDelivery(Store& store, MailSender& sender, const OutboxRenderer& renderer,
                 const Clock& clock, OutboxOptions options = {});

  // One round: claims up to options.batch due rows, renders and tries each once. A row whose
  // text cannot be rendered counts as a failed attempt (given up at once when what it needs is
  // gone: kNotFound). Errors only when the store fails (the rows stay claimed until the lease
  // ends, then are retried).
  Result<DeliveryReport> RunOnce();
  // Deletes the rows delivered more than options.retention ago, in short writes (so the single
  // writer is never held long); returns how many.
  Result<int> Purge();

 private:
  Store& store_;
  MailSender& sender_;
  const OutboxRenderer& renderer_;
  const Clock& clock_;
  OutboxOptions options_;
};

// An outbox row with the number of its ticket (0 when about no ticket). A row kept as facts is
// shown with its rendered subject and body_text.
struct OutboxView {
  OutboxRecord mail;
  std::int64_t ticket_number = 0;
};

// The queue as staff see it: what waits, what was given up, and whether this server delivers at
// all (no SMTP server configured: mail waits until one is).
struct OutboxState {
  OutboxCounts counts;
  bool delivering = false;
};

// Staff's view of mail that could not be delivered: list it and try one again. Staff only
// (kPermissionDenied otherwise). Thread-safe; blocks on the store.
class OutboxAdmin {
 public:
  OutboxAdmin(Store& store, const OutboxRenderer& renderer, const Clock& clock)
      : store_(store), renderer_(renderer), clock_(clock) {}
  // Failed rows, newest failure first (limit 1..200).
  Result<std::vector<OutboxView>> ListFailed(const Principal& who, int limit);
  // Puts failed row `id` back in the queue now, with a new give-up window; the ticket's history
  // records who asked. kNotFound when absent; kFailedPrecondition when the row is not failed or
  // held a secret (its body is gone: a password reset is asked for again).
  Result<OutboxView> Retry(const Principal& who, std::int64_t id);
  // Pending and failed counts (for /metrics; no principal: operational data).
  Result<OutboxCounts> Counts();
  // The counts and whether this server delivers (SetDelivering). Staff only.
  Result<OutboxState> State(const Principal& who);
  // Called once at start by serve: true when an SMTP server is configured to deliver the outbox.
  void SetDelivering(bool delivering) { delivering_ = delivering; }

 private:
  Store& store_;
  const OutboxRenderer& renderer_;
  const Clock& clock_;
  std::atomic<bool> delivering_{false};
};

}  // namespace soporte::app
