// The throttle windows in PostgreSQL (throttle_failures, postgres/0007_throttle.sql):
// app::ThrottleRepository on one connection already inside a transaction. Every node on the
// database counts the same rows. Internal to storage/postgres.
#pragma once

#include "app/ports/throttle_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgThrottleRepository final : public app::ThrottleRepository {
 public:
  explicit PgThrottleRepository(PgConn& conn) : conn_(conn) {}

  Result<app::ThrottleWindow> CountFailures(const std::string& key, Instant since) override;
  Status RecordFailure(const std::string& key, Instant at, int keep) override;
  Status ClearFailures(const std::string& key) override;
  Result<int> PruneFailures(Instant before, int limit) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
