#include "storage/postgres/pg_pool.hpp"

#include <utility>

namespace soporte::storage::pg_internal {

PgPool::PgPool(std::string url, std::string schema, int size,
               std::chrono::milliseconds acquire_timeout, LogFn log)
    : url_(std::move(url)),
      schema_(std::move(schema)),
      size_(size),
      timeout_(acquire_timeout),
      log_(std::move(log)) {}

PgPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(conn_), keep_);
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
    lock.unlock();
    if (app::StoreUnreachable(conn.error())) MarkDown(conn.error().message);
    return tl::make_unexpected(conn.error());
  }
  MarkUp();
  return Lease(this, std::move(*conn));
}

void PgPool::Release(std::unique_ptr<PgConn> conn, bool keep) {
  const bool lost = conn->broken();
  std::vector<std::unique_ptr<PgConn>> stale;  // closed outside the lock
  {
    std::lock_guard lock(mu_);
    if (keep && !lost) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;  // a discarded or broken connection frees its slot
    }
    if (lost) {
      open_ -= static_cast<int>(idle_.size());
      stale = std::move(idle_);
      idle_.clear();
    }
  }
  cv_.notify_all();
  if (lost) MarkDown("the connection to PostgreSQL was lost");
}

void PgPool::MarkDown(const std::string& why) {
  std::lock_guard lock(outage_mu_);
  if (down_) return;
  down_ = true;
  down_since_ = std::chrono::steady_clock::now();
  if (log_) {
    log_("PostgreSQL unreachable: " + why +
         "; requests that need the database answer 503 and jobs wait until it is back");
  }
}

void PgPool::MarkUp() {
  std::lock_guard lock(outage_mu_);
  if (!down_) return;
  down_ = false;
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::steady_clock::now() - down_since_);
  if (log_) log_("PostgreSQL reachable again after " + std::to_string(secs.count()) + " s");
}

bool PgPool::down() const {
  std::lock_guard lock(outage_mu_);
  return down_;
}

int PgPool::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace soporte::storage::pg_internal
