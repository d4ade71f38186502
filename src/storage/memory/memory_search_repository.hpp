// Full-text search in memory: app::SearchRepository over the MemoryStore's state
// (memory_state.hpp), by scanning every ticket's texts with the same terms as the SQLite index
// (storage/search/search_stem). Same matches as the SQLite one (the conformance suite checks
// both); a simpler ranking (more matched words first). Internal to storage/memory; used by one
// thread inside one Read or Write call.
#pragma once

#include "app/ports/search_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemorySearchRepository final : public app::SearchRepository {
 public:
  explicit MemorySearchRepository(MemoryState& s) : s_(s) {}

  Result<app::SearchPage> Search(const app::SearchRequest& r) override;
  Status Rebuild() override { return Ok(); }  // nothing is kept: every search scans

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
