// The SLA watch's rows in memory: app::SlaRepository over the MemoryStore's state
// (memory_state.hpp). Same semantics as the SQLite one (the conformance suite checks both).
// Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/sla_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemorySlaRepository final : public app::SlaRepository {
 public:
  explicit MemorySlaRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<app::SlaThresholdRecord>> ListThresholds(TicketId ticket) override;
  Result<std::vector<TicketId>> ListArmQueue(int limit) override;
  Status ArmThreshold(TicketId ticket, domain::sla::SlaThresholdKind kind, Instant due,
                      Instant fire_at) override;
  Status DisarmThresholds(TicketId ticket,
                          std::optional<domain::sla::SlaThresholdKind> kind) override;
  Result<std::vector<app::SlaThresholdRecord>> ClaimThresholds(Instant now, const std::string& node,
                                                               Instant lease_until,
                                                               int limit) override;
  Result<bool> MarkThresholdFired(std::int64_t id, Instant at) override;
  Status QueueArm(TicketId ticket) override;
  Status DequeueArm(TicketId ticket) override;
  Result<std::optional<Seconds>> GetResolutionTarget(ContractId contract) override;
  Status SetResolutionTarget(ContractId contract, std::optional<Seconds> target) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
