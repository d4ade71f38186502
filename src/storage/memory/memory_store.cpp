#include "storage/memory/memory_store.hpp"

#include <mutex>

#include "storage/memory/memory_state.hpp"
#include "storage/memory/memory_tx.hpp"

namespace soporte::storage {

using memory_internal::MemoryState;
using memory_internal::MemoryTx;

MemoryStore::MemoryStore() : state_(std::make_unique<MemoryState>()) {}
MemoryStore::~MemoryStore() = default;

Status MemoryStore::Read(const std::function<Status(app::ReadTx&)>& fn) {
  std::shared_lock lock(mu_);
  // Reads get a tx over the shared state; ReadTx offers no method that changes it.
  MemoryTx tx(*state_);
  return fn(tx);
}

Status MemoryStore::Write(const std::function<Status(app::WriteTx&)>& fn) {
  std::unique_lock lock(mu_);
  auto draft = std::make_unique<MemoryState>(*state_);  // copy-on-write: swapped in only on success
  MemoryTx tx(*draft);
  Status st = fn(tx);
  if (st) state_ = std::move(draft);
  return st;
}

}  // namespace soporte::storage
