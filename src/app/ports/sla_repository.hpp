// The SLA watch's port: the threshold rows of each ticket's first-response clock
// (0014_sla_watch.sql) and the queue of tickets whose thresholds must be computed. Reached as
// tx.sla() inside a Store transaction (store.hpp). Also each contract's optional resolution target
// (the second clock). A row is armed (fired_at absent) until the watch fires it; a fired row stays,
// so the same threshold never fires twice for a ticket. Implemented by
// storage/sqlite/sla_repository.* and storage/memory/memory_sla_repository.* (conformance:
// test/conformance/storage/sla_repository_conformance_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/sla/sla_threshold.hpp"

namespace soporte::app {

struct SlaThresholdRecord {
  std::int64_t id = 0;
  TicketId ticket_id;
  domain::sla::SlaThresholdKind kind = domain::sla::SlaThresholdKind::kWarning;
  Instant due;      // the response due it measures against
  Instant fire_at;  // when it is due to fire
  std::optional<Instant> fired_at;
  std::string claimed_by;  // "" when unclaimed
  std::optional<Instant> lease_until;
};

// Reads; used by one thread inside one Read or Write call.
class SlaReader {
 public:
  virtual ~SlaReader() = default;

  // The thresholds of `ticket` (armed and fired), warning first. Empty when none.
  virtual Result<std::vector<SlaThresholdRecord>> ListThresholds(TicketId ticket) = 0;
  // Up to `limit` tickets waiting in the arm queue, lowest id first.
  virtual Result<std::vector<TicketId>> ListArmQueue(int limit) = 0;
  // The resolution target of `contract` (issue 12, part 7); nullopt when none is set (the
  // default: the resolution clock runs without a target).
  virtual Result<std::optional<Seconds>> GetResolutionTarget(ContractId contract) = 0;
};

class SlaRepository : public SlaReader {
 public:
  // Arms threshold `kind` of `ticket` to fire at `fire_at` for `due`: inserts it, or moves the
  // armed row to the new instants (and frees its lease). No-op when that threshold already fired
  // for this ticket (each fires once per ticket). kFailedPrecondition for a missing ticket.
  virtual Status ArmThreshold(TicketId ticket, domain::sla::SlaThresholdKind kind, Instant due,
                              Instant fire_at) = 0;
  // Removes the armed (unfired) thresholds of `ticket`, or only `kind` when given; fired rows stay.
  virtual Status DisarmThresholds(TicketId ticket,
                                  std::optional<domain::sla::SlaThresholdKind> kind) = 0;
  // Claims up to `limit` armed rows with fire_at <= now whose lease is free (none, or
  // lease_until < now) for `node` until `lease_until`, and returns them by fire_at, a warning
  // before a breach at the same instant. Cost follows the rows due, not the rows armed.
  virtual Result<std::vector<SlaThresholdRecord>> ClaimThresholds(Instant now,
                                                                  const std::string& node,
                                                                  Instant lease_until,
                                                                  int limit) = 0;
  // Marks row `id` fired at `at` if it is still armed. Returns true when this call fired it,
  // false when it was fired already or is gone (disarmed): the caller then acts on nothing.
  virtual Result<bool> MarkThresholdFired(std::int64_t id, Instant at) = 0;
  // Queues `ticket` for the watch to compute its thresholds (idempotent).
  virtual Status QueueArm(TicketId ticket) = 0;
  // Removes `ticket` from the arm queue (no-op when absent).
  virtual Status DequeueArm(TicketId ticket) = 0;
  // Sets (a positive target) or removes (nullopt) the resolution target of `contract`.
  // kFailedPrecondition for a missing contract; kInvalidArgument for a target <= 0.
  virtual Status SetResolutionTarget(ContractId contract, std::optional<Seconds> target) = 0;
};

}  // namespace soporte::app
