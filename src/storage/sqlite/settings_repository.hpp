// The admin settings in SQLite (settings, 0003_web.sql): app::SettingsRepository on one
// connection already inside a transaction. Internal to storage/sqlite.
#pragma once

#include "app/ports/settings_repository.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

class SqliteSettingsRepository final : public app::SettingsRepository {
 public:
  explicit SqliteSettingsRepository(Db& db) : db_(db) {}

  Result<std::vector<app::SettingRecord>> ListSettings() override;
  Status PutSetting(const app::SettingRecord& r) override;

 private:
  Db& db_;
};

}  // namespace soporte::storage::sqlite_internal
