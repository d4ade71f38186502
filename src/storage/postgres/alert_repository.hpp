// The staff alerts in PostgreSQL (alert_preferences, staff_alerts;
// postgres/0004_profiles_mail_alerts_sla.sql): each staff user's alert preferences and the alerts
// raised to them. app::AlertRepository on one connection already inside a transaction, with the
// semantics and errors of storage/sqlite/alert_repository.*. Internal to storage/postgres.
#pragma once

#include "app/ports/alert_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgAlertRepository final : public app::AlertRepository {
 public:
  explicit PgAlertRepository(PgConn& conn) : conn_(conn) {}

  Result<std::optional<domain::AlertPreferences>> GetAlertPreferences(UserId user) override;
  Result<std::vector<app::AlertRecord>> ListAlerts(UserId user, std::int64_t after_id,
                                                   int limit) override;
  Status PutAlertPreferences(UserId user, const domain::AlertPreferences& p, Instant at) override;
  Result<app::AlertRecord> InsertAlert(app::AlertRecord a) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
