// The admin settings in PostgreSQL (settings, postgres/0001_settings.sql): app::SettingsRepository
// on one connection already inside a transaction. Internal to storage/postgres.
#pragma once

#include "app/ports/settings_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgSettingsRepository final : public app::SettingsRepository {
 public:
  explicit PgSettingsRepository(PgConn& conn) : conn_(conn) {}

  Result<std::vector<app::SettingRecord>> ListSettings() override;
  Status PutSetting(const app::SettingRecord& r) override;

 private:
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
