// SlaWatch: the SLA watch of issue 12. As a TicketObserver it keeps each ticket's threshold rows
// (tx.sla()) in step with its first-response clock, inside the change's own transaction: armed
// when the ticket opens or its due changes, removed when the first response arrives or the ticket
// is resolved or closed. Tick(), run by jobs/sla_watch_job on every node of `soporte serve`,
// claims the rows due with a lease and fires each once: the row is marked fired in the same
// transaction that writes the history event (sla_warning, sla_breached) and calls the observers'
// SlaReached (alerts, paging, webhooks), so a firing happens exactly once whichever node does it,
// across restarts and clock changes. A breach never goes before its ticket's warning. The cost of a
// tick follows the rows due (the store's index on fire_at), never the number of open tickets.
// Thread-safe; Tick() and the observer methods block on the store (call them on a worker pool).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "app/ports/store.hpp"
#include "app/tickets/ticket_observer.hpp"
#include "common/clock.hpp"
#include "domain/sla/sla_engine.hpp"

namespace soporte::app {

struct SlaWatchOptions {
  // The warning fires when this share of the response target has passed on the contract's
  // calendar; 1..99 (CheckSlaWatchOptions).
  int warning_percent = 75;
  std::string node = "soporte";  // this node's name in claimed_by (unique per process)
  Seconds lease{60};             // how long a claim keeps other nodes away
  int batch = 500;               // rows claimed per round
  int fire_batch = 100;          // firings committed together
  int max_rounds = 100;          // rounds per Tick (the rest waits for the next tick)
};

// kInvalidArgument naming the field when an option is out of range (warning_percent 1..99,
// batch sizes >= 1, a lease of at least a second).
Status CheckSlaWatchOptions(const SlaWatchOptions& options);

// The instant the warning of a clock started at `clock_start` with `target` on `calendar` stands
// for: `percent` of the target counted on the calendar (rounded down to the second).
Instant WarningInstant(const domain::calendar::BusinessCalendar& calendar, Instant clock_start,
                       Seconds target, int percent);

struct SlaTickReport {
  int armed = 0;     // queued tickets whose thresholds were computed
  int warnings = 0;  // warnings fired
  int breaches = 0;  // breaches fired
  int failed = 0;    // rows that could not be fired (left claimed; retried after the lease)
};

class SlaWatch final : public TicketObserver {
 public:
  // `observers`: who hears SlaReached (TicketService::observers()); may include this watch.
  SlaWatch(Store& store, const domain::sla::SlaEngine& sla, const Clock& clock,
           TicketObserver& observers, SlaWatchOptions options = {});

  // The observer side: keeps the rows of `t` in step (see the file comment).
  Status TicketCreated(WriteTx& tx, const domain::Ticket& t, const Principal& who) override;
  Status TicketUpdated(WriteTx& tx, const domain::Ticket& before, const domain::Ticket& after,
                       const std::vector<domain::TicketEvent>& changes,
                       const Principal& who) override;
  Status ArticleAdded(WriteTx& tx, const domain::Ticket& t, const domain::Article& a,
                      const Principal& who) override;

  // (Re)computes the thresholds of `t` from its contract, criticality, clock start and due: arms
  // what has not fired yet, or removes the armed rows when nothing is awaited (a first response,
  // resolved, closed). Errors from the store or an unknown contract zone.
  Status Rearm(WriteTx& tx, const domain::Ticket& t) const;

  // One run of the watch: arms queued tickets (0014 queues the tickets open before the watch),
  // then claims and fires every row due at the clock's now, in order. Errors only when the store
  // fails before anything was claimed; a row that fails to fire stays claimed until its lease ends.
  Result<SlaTickReport> Tick();

  // Totals fired by this process since start (for /metrics).
  std::uint64_t warnings_fired() const { return warnings_.load(std::memory_order_relaxed); }
  std::uint64_t breaches_fired() const { return breaches_.load(std::memory_order_relaxed); }
  const SlaWatchOptions& options() const { return options_; }

 private:
  Result<int> ArmQueued();
  // Fires `rows` in one transaction; adds what fired to `report`.
  Status FireTogether(const std::vector<SlaThresholdRecord>& rows, Instant now,
                      SlaTickReport& report);
  // Fires threshold `kind` of `ticket` inside `tx` when it is still armed and due (its ticket's
  // warning first for a breach); adds what fired (0, 1 or 2 thresholds) to `report`.
  Status FireInTx(WriteTx& tx, TicketId ticket, domain::sla::SlaThresholdKind kind, Instant now,
                  SlaTickReport& report);

  Store& store_;
  const domain::sla::SlaEngine& sla_;
  const Clock& clock_;
  TicketObserver& observers_;
  SlaWatchOptions options_;
  std::atomic<std::uint64_t> warnings_{0};
  std::atomic<std::uint64_t> breaches_{0};
};

}  // namespace soporte::app
