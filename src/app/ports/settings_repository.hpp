// The settings port: the vendor's settings edited in the admin UI (0003_web.sql), as key/value
// rows. Reached as tx.settings() inside a Store transaction (store.hpp).
// Implemented by storage/sqlite/settings_repository.* and
// storage/memory/memory_settings_repository.*.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::app {

// One stored setting (the vendor's contact settings edited in the admin UI).
struct SettingRecord {
  std::string key;
  std::string value;
  Instant updated_at;
};

// Reads; used by one thread inside one Read or Write call.
class SettingsReader {
 public:
  virtual ~SettingsReader() = default;

  // Every stored setting, by key (empty when none).
  virtual Result<std::vector<SettingRecord>> ListSettings() = 0;
};

class SettingsRepository : public SettingsReader {
 public:
  // Inserts or replaces one setting. kInvalidArgument for an invalid one.
  virtual Status PutSetting(const SettingRecord& r) = 0;
};

}  // namespace soporte::app
