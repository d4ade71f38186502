#include "storage/postgres/pg_pool.hpp"

#include <utility>

namespace soporte::storage::pg_internal {

PgPool::PgPool(std::string url, std::string schema, int size,
               std::chrono::milliseconds acquire_timeout)
    : url_(std::move(url)), schema_(std::move(schema)), size_(size), timeout_(acquire_timeout) {}

PgPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(conn_));  // null when discarded
}

Result<PgPool::Lease> PgPool::Acquire() {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  while (idle_.empty() && open_ >= size_) {
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= size_) {
      return Fail(ErrorCode::kUnavailable, "no PostgreSQL connection free within " +
                                               std::to_string(timeout_.count()) + " ms (pool of " +
                                               std::to_string(size_) + ")");
    }
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(conn));
  }
  ++open_;  // reserve the slot, connect outside the lock
  lock.unlock();
  auto conn = PgConn::Connect(url_, schema_);
  if (!conn) {
    lock.lock();
    --open_;
    cv_.notify_one();
    return tl::make_unexpected(conn.error());
  }
  return Lease(this, std::move(*conn));
}

void PgPool::Release(std::unique_ptr<PgConn> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn != nullptr && !conn->broken()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // a discarded or broken connection frees its slot
    }
  }
  cv_.notify_one();
}

int PgPool::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace soporte::storage::pg_internal
