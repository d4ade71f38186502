// SqliteStore: the embedded default implementation of the storage port (DATA/soporte.db).
//
// Writes: one writer thread owns the only write connection and commits concurrent Write calls
// together (group commit): it takes every queued job (up to SqliteOptions::max_batch), opens one
// BEGIN IMMEDIATE, runs each job inside its own SAVEPOINT (a failing job is rolled back alone
// and gets its own error), COMMITs once and wakes the callers. Reads: a small pool of read
// connections, each Read in its own deferred transaction (a consistent WAL snapshot).
//
// Checkpoints: the writer connection never checkpoints (its commits only append to the WAL). A
// WAL hook on it wakes a checkpointer thread, with a connection of its own, once the WAL holds
// SqliteOptions::checkpoint_pages pages; that thread copies the WAL back into the database file
// (a PASSIVE checkpoint: it never blocks the writer or a reader) and syncs it. SQLite's automatic
// checkpoint would run the same copy and fsync inside the commit of whichever batch crossed the
// threshold, and every caller of that batch (and every caller queued behind it) would wait for it.
// The writer starts the WAL again from its beginning only at a commit that finds all of it
// copied, which a checkpoint running beside a busy writer seldom leaves; so when the WAL reaches
// SqliteOptions::wal_limit_pages the writer, between two batches, asks the checkpointer for a
// RESTART checkpoint (which waits briefly for readers of old frames) and waits for it: a few
// milliseconds about once a second under sustained writes, and the WAL file stays bounded. A
// reader that holds old frames longer delays the restart (the writer asks again each time the
// WAL has doubled), never the writer for more than that short wait.
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
  // WAL pages (of 4 KiB) after which the checkpointer thread is woken. At least 1.
  int checkpoint_pages = 1000;
  // WAL pages after which the writer waits for a checkpoint before its next batch. At least
  // checkpoint_pages.
  int wal_limit_pages = 16000;
  // Refresh the planner's statistics at open when they are stale (see StatisticsStale in the
  // .cpp): the server sets it; one-shot commands (mail ingest, the CLI) leave it off.
  bool refresh_statistics = false;
};

// Counters of the writer, for metrics and tests. Monotonic.
struct WriterStats {
  std::int64_t jobs = 0;     // Write calls finished (committed, failed or rolled back)
  std::int64_t batches = 0;  // transactions the writer committed or tried to commit
  std::int64_t checkpoints = 0;          // checkpoints run by the checkpointer thread
  std::int64_t checkpoint_failures = 0;  // of those, the ones SQLite refused (the WAL keeps growing)
  std::int64_t writer_waits = 0;         // batches that waited for a checkpoint (WAL at its limit)
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
  // A large read (app::Store::ReadMany) runs on a reader of a second pool, whose connections see
  // the file through a memory map; the small reads' connections read pages with pread.
  Status ReadMany(const std::function<Status(app::ReadTx&)>& fn) override;
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
