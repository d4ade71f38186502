// A bounded pool of PostgreSQL connections shared by the store's callers (the storage worker
// threads). Connections are opened lazily up to `size`, kept open and handed out one caller at a
// time; when all are in use a caller waits up to `acquire_timeout` for one to come back, then
// gets kUnavailable. Never a connection per request. A connection found broken when it comes back
// is closed, and so are the idle ones (opened before the server went away, they are dead too and
// would each fail one more caller); the next caller opens a fresh one.
//
// Outages: while the server cannot be reached every Acquire fails at once (connection refused)
// or within the connect timeout (pg_conn.hpp), with Unreachable(…). The pool tells `log` once
// when the server goes away (the first failure) and once when a connection opens again, never
// per failed call. Internal to storage/postgres. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
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
  using LogFn = std::function<void(const std::string&)>;
  // `log` may be empty (no outage lines); it is called without the pool's lock held.
  PgPool(std::string url, std::string schema, int size, std::chrono::milliseconds acquire_timeout,
         LogFn log = {});

  // A checked-out connection; gives it back to the pool (or drops it when broken) on destruction.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& o) noexcept
        : pool_(std::exchange(o.pool_, nullptr)), conn_(std::move(o.conn_)), keep_(o.keep_) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease();
    PgConn& operator*() const { return *conn_; }
    PgConn* operator->() const { return conn_.get(); }
    // Closes the connection instead of giving it back (its state is unknown).
    void Discard() { keep_ = false; }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConn> conn_;
    bool keep_ = true;
  };

  // A connection: an idle one, a new one while fewer than `size` are open, or the first one
  // given back within the timeout. kUnavailable on timeout or when connecting fails.
  Result<Lease> Acquire();

  int size() const { return size_; }
  // Connections open now (idle or checked out). For tests and metrics.
  int open() const;
  // Sets where outages are told (see above). Not thread-safe: call it before the pool is shared
  // (PostgresStore::Open sets it once open, so a failure to open is one error, not an outage).
  void SetLog(LogFn log) { log_ = std::move(log); }
  // True from a failure to reach the server until a connection opens again. For /healthz-like
  // probes and tests.
  bool down() const;

 private:
  // Takes back a connection: kept idle when `keep` and not broken, else closed.
  void Release(std::unique_ptr<PgConn> conn, bool keep);
  // Records that the server could not be reached (`why`), logging the first time of an outage.
  void MarkDown(const std::string& why);
  // Records that a connection opened, logging the end of an outage.
  void MarkUp();

  const std::string url_;
  const std::string schema_;
  const int size_;
  const std::chrono::milliseconds timeout_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  int open_ = 0;  // idle + checked out + being opened
  LogFn log_;
  mutable std::mutex outage_mu_;  // orders the outage lines; never held with mu_
  bool down_ = false;             // guarded by outage_mu_
  std::chrono::steady_clock::time_point down_since_;
};

}  // namespace soporte::storage::pg_internal
