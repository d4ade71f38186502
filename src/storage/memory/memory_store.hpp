// MemoryStore: the storage port in memory, for unit tests of the use cases. Same semantics as
// SqliteStore (validation, unique clashes, version checks, ordering), checked by the one
// conformance suite in test/conformance/storage. Nothing survives the object.
//
// Writes are serialised by a mutex and run on a copy of the state, swapped in only when the
// function returns Ok, so a failed Write leaves nothing behind. Reads share the mutex and see a
// consistent state. Thread-safe. A Read or Write must not call Read or Write (it would deadlock).
#pragma once

#include <memory>
#include <shared_mutex>

#include "app/ports/store.hpp"

namespace soporte::storage {

namespace memory_internal {
struct MemoryState;  // memory_state.hpp; one repository per aggregate over it (memory_tx.hpp)
}  // namespace memory_internal

class MemoryStore final : public app::Store {
 public:
  MemoryStore();
  ~MemoryStore() override;

  // See app::Store. An exception thrown by `fn` propagates and discards its changes.
  Status Read(const std::function<Status(app::ReadTx&)>& fn) override;
  Status Write(const std::function<Status(app::WriteTx&)>& fn) override;

 private:
  std::shared_mutex mu_;
  std::unique_ptr<memory_internal::MemoryState> state_;
};

}  // namespace soporte::storage
