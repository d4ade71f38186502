#include "storage/postgres/settings_repository.hpp"

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {

Result<std::vector<app::SettingRecord>> PgSettingsRepository::ListSettings() {
  // COLLATE "C": byte order, as SQLite's BINARY collation (the server's locale may differ).
  SOPORTE_TRY(
      rows, conn_.Query("SELECT key, value, updated_at FROM settings ORDER BY key COLLATE \"C\""));
  std::vector<app::SettingRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i)
    out.push_back(app::SettingRecord{rows.Text(i, 0), rows.Text(i, 1), At(rows.Int(i, 2))});
  return out;
}

Status PgSettingsRepository::PutSetting(const app::SettingRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSetting(r));
  PgParams p;
  p.Add(r.key).Add(r.value).Add(Secs(r.updated_at));
  SOPORTE_TRY_STATUS(conn_.Query(
      "INSERT INTO settings(key, value, updated_at) VALUES ($1, $2, $3) "
      "ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
