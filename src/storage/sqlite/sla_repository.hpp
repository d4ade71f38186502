// The SLA watch's rows in SQLite (sla_thresholds, sla_arm_queue: 0014_sla_watch.sql):
// app::SlaRepository on one connection already inside a transaction. Internal to storage/sqlite.
#pragma once

#include "app/ports/sla_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteSlaRepository final : public app::SlaRepository {
 public:
  explicit SqliteSlaRepository(Db& db) : db_(db) {}

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
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
