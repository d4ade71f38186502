// SqliteStore: the embedded default implementation of the storage port (DATA/soporte.db).
//
// Writes: one writer thread owns the only write connection and commits concurrent Write calls
// together (group commit): it takes every queued job (up to SqliteOptions::max_batch), opens one
// BEGIN IMMEDIATE, runs each job inside its own SAVEPOINT (a failing job is rolled back alone
// and gets its own error), COMMITs once and wakes the callers. Reads: a small pool of read
// connections, each Read in its own deferred transaction (a consistent WAL snapshot).
//
// Durability: WAL with synchronous=NORMAL (the default) survives a crash of the process (kill -9)
// once Write has returned: the commit is in the WAL file, which the OS keeps. Only a power loss
// or OS crash can drop the last commits before a checkpoint. synchronous=FULL (the option) also
// survives power loss, at roughly a fifth of the single-writer commit rate.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "app/ports/store.hpp"
#include "common/result.hpp"

namespace soporte::storage {

struct SqliteOptions {
  // fsync every commit (power-loss durable); NORMAL otherwise (crash durable). See above.
  bool synchronous_full = false;
  // How long a connection waits on a lock held by another process before kUnavailable.
  int busy_timeout_ms = 5000;
  // Read connections kept open; a Read waits for one when all are in use. At least 1.
  int max_readers = 8;
  // Most Write jobs committed together in one transaction. At least 1.
  int max_batch = 256;
};

// Counters of the writer, for metrics and tests. Monotonic.
struct WriterStats {
  std::int64_t jobs = 0;     // Write calls finished (committed, failed or rolled back)
  std::int64_t batches = 0;  // transactions the writer committed or tried to commit
};

class SqliteStore final : public app::Store {
 public:
  // Opens or creates the database file at `path` (":memory:" is refused: readers need a shared
  // file), applies the embedded migrations that are missing (each in its own transaction,
  // recorded in schema_migrations) and starts the writer thread. kFailedPrecondition when the
  // file's schema is newer than this binary knows or was changed by hand; kUnavailable when the
  // file cannot be opened or locked; kInvalidArgument for bad options.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   SqliteOptions options = {});

  // Stops the writer after it has finished every queued job. No Read or Write may be running
  // or start during destruction.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // See app::Store. Thread-safe. An exception thrown by `fn` propagates to the caller of
  // Read/Write (from the writer thread, rethrown in the caller's thread); its changes are
  // rolled back.
  Status Read(const std::function<Status(app::ReadTx&)>& fn) override;
  Status Write(const std::function<Status(app::WriteTx&)>& fn) override;

  // The newest schema version applied to the file. Thread-safe.
  int schema_version() const;
  WriterStats writer_stats() const;
  // Write calls waiting for the writer (not yet picked into a batch). For tests and metrics.
  std::size_t queued_writes() const;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace soporte::storage
