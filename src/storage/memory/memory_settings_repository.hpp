// The admin settings in memory: app::SettingsRepository over the MemoryStore's state
// (memory_state.hpp). Same semantics as the SQLite one (the conformance suite checks both).
// Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/settings_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemorySettingsRepository final : public app::SettingsRepository {
 public:
  explicit MemorySettingsRepository(MemoryState& s) : s_(s) {}

  Result<std::vector<app::SettingRecord>> ListSettings() override;
  Status PutSetting(const app::SettingRecord& r) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
