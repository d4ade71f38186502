// The throttle windows in memory: app::ThrottleRepository over the MemoryStore's state
// (memory_state.hpp). Same semantics as the SQLite and PostgreSQL ones (the conformance suite
// checks all three). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/throttle_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryThrottleRepository final : public app::ThrottleRepository {
 public:
  explicit MemoryThrottleRepository(MemoryState& s) : s_(s) {}

  Result<app::ThrottleWindow> CountFailures(const std::string& key, Instant since) override;
  Status RecordFailure(const std::string& key, Instant at, int keep) override;
  Status ClearFailures(const std::string& key) override;
  Result<int> PruneFailures(Instant before, int limit) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
