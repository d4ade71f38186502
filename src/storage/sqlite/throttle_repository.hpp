// The throttle windows in SQLite (throttle_failures, 0027_throttle.sql): app::ThrottleRepository
// on one connection already inside a transaction. Internal to storage/sqlite.
#pragma once

#include "app/ports/throttle_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteThrottleRepository final : public app::ThrottleRepository {
 public:
  explicit SqliteThrottleRepository(Db& db) : db_(db) {}

  Result<app::ThrottleWindow> CountFailures(const std::string& key, Instant since) override;
  Status RecordFailure(const std::string& key, Instant at, int keep) override;
  Status ClearFailures(const std::string& key) override;
  Result<int> PruneFailures(Instant before, int limit) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
