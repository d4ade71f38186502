// WriteCountingStore: a Store that counts the write transactions run through it, so that what
// was read from it can be reused until the next write (the console's list pages:
// transport/api/page_cache.hpp). Every Write counts, committed or not, once it has returned: a
// reader that took the count before its read sees a different count after any write that may
// be missing from its snapshot. Writes by another process or node are not counted here: those
// reach this node's caches through the live relay's notes, or within their time limit.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "app/ports/store.hpp"

namespace soporte::app {

class WriteCountingStore final : public Store {
 public:
  explicit WriteCountingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  Status Read(const std::function<Status(ReadTx&)>& fn) override { return inner_->Read(fn); }
  Status ReadMany(const std::function<Status(ReadTx&)>& fn) override {
    return inner_->ReadMany(fn);
  }
  Status Write(const std::function<Status(WriteTx&)>& fn) override {
    Status st = inner_->Write(fn);
    writes_.fetch_add(1, std::memory_order_acq_rel);
    return st;
  }

  // Write calls that have returned, since this object was made. Thread-safe.
  std::uint64_t Writes() const { return writes_.load(std::memory_order_acquire); }

 private:
  std::unique_ptr<Store> inner_;
  std::atomic<std::uint64_t> writes_{0};
};

}  // namespace soporte::app
