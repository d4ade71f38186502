// Staff alerts in SQLite (alert_preferences, staff_alerts: 0014_sla_watch.sql):
// app::AlertRepository on one connection already inside a transaction. Internal to storage/sqlite.
#pragma once

#include "app/ports/alert_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteAlertRepository final : public app::AlertRepository {
 public:
  explicit SqliteAlertRepository(Db& db) : db_(db) {}

  Result<std::optional<domain::AlertPreferences>> GetAlertPreferences(UserId user) override;
  Result<std::vector<app::AlertRecord>> ListAlerts(UserId user, std::int64_t after_id,
                                                   int limit) override;
  Status PutAlertPreferences(UserId user, const domain::AlertPreferences& p, Instant at) override;
  Result<app::AlertRecord> InsertAlert(app::AlertRecord a) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
