// Staff alerts in memory: app::AlertRepository over the MemoryStore's state (memory_state.hpp).
// Same semantics as the SQLite one (the conformance suite checks both). Internal to
// storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/alert_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryAlertRepository final : public app::AlertRepository {
 public:
  explicit MemoryAlertRepository(MemoryState& s) : s_(s) {}

  Result<std::optional<domain::AlertPreferences>> GetAlertPreferences(UserId user) override;
  Result<std::vector<app::AlertRecord>> ListAlerts(UserId user, std::int64_t after_id,
                                                   int limit) override;
  Status PutAlertPreferences(UserId user, const domain::AlertPreferences& p, Instant at) override;
  Result<app::AlertRecord> InsertAlert(app::AlertRecord a) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
