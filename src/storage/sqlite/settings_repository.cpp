#include "storage/sqlite/settings_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {

Result<std::vector<app::SettingRecord>> SqliteSettingsRepository::ListSettings() {
  SOPORTE_TRY(s, db_.Prepare("SELECT key, value, updated_at FROM settings ORDER BY key"));
  return Collect<app::SettingRecord>(s, [](const Stmt& r) {
    return app::SettingRecord{r.Text(0), r.Text(1), At(r.Int(2))};
  });
}

Status SqliteSettingsRepository::PutSetting(const app::SettingRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSetting(r));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                             "updated_at = excluded.updated_at"));
  s.Bind(1, r.key).Bind(2, r.value).Bind(3, Secs(r.updated_at));
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
