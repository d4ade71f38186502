// The SLA watch in PostgreSQL (sla_thresholds, sla_arm_queue, contract_resolution_targets;
// postgres/0004_profiles_mail_alerts_sla.sql): each ticket's threshold rows, claimed by one node
// at a time with a lease (FOR UPDATE SKIP LOCKED) and fired once, the queue of tickets to arm,
// and each contract's resolution target. app::SlaRepository on one connection already inside a
// transaction, with the semantics of storage/sqlite/sla_repository.*. Internal to
// storage/postgres.
#pragma once

#include "app/ports/sla_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgSlaRepository final : public app::SlaRepository {
 public:
  explicit PgSlaRepository(PgConn& conn) : conn_(conn) {}

  Result<std::vector<app::SlaThresholdRecord>> ListThresholds(TicketId ticket) override;
  Result<std::vector<TicketId>> ListArmQueue(int limit) override;
  Result<std::optional<Seconds>> GetResolutionTarget(ContractId contract) override;

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
  Status SetResolutionTarget(ContractId contract, std::optional<Seconds> target) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
