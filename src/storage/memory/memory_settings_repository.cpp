#include "storage/memory/memory_settings_repository.hpp"

#include <string>

#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

Result<std::vector<app::SettingRecord>> MemorySettingsRepository::ListSettings() {
  return Values(s_.settings);
}

Status MemorySettingsRepository::PutSetting(const app::SettingRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSetting(r));
  s_.settings[r.key] = r;
  return Ok();
}

}  // namespace soporte::storage::memory_internal
