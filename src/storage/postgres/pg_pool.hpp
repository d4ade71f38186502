// A bounded pool of PostgreSQL connections shared by the store's callers (the storage worker
// threads). Connections are opened lazily up to `size`, kept open and handed out one caller at a
// time; when all are in use a caller waits up to `acquire_timeout` for one to come back, then
// gets kUnavailable. Never a connection per request. A connection found broken when it comes back
// is closed, and the next caller opens a fresh one. Internal to storage/postgres. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgPool {
 public:
  PgPool(std::string url, std::string schema, int size, std::chrono::milliseconds acquire_timeout);

  // A checked-out connection; gives it back to the pool (or drops it when broken) on destruction.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    PgConn& operator*() const { return *conn_; }
    PgConn* operator->() const { return conn_.get(); }
    // Closes the connection instead of giving it back (its state is unknown).
    void Discard() { conn_.reset(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConn> conn_;
  };

  // A connection: an idle one, a new one while fewer than `size` are open, or the first one
  // given back within the timeout. kUnavailable on timeout or when connecting fails.
  Result<Lease> Acquire();

  int size() const { return size_; }
  // Connections open now (idle or checked out). For tests and metrics.
  int open() const;

 private:
  void Release(std::unique_ptr<PgConn> conn);

  const std::string url_;
  const std::string schema_;
  const int size_;
  const std::chrono::milliseconds timeout_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  int open_ = 0;  // idle + checked out + being opened
};

}  // namespace soporte::storage::pg_internal
