// Over ~400 lines on purpose: the writer thread (group commit), the checkpointer and the reader
// pool share one Impl and its locking, and read best as one piece (see sqlite_store.hpp).
#include "storage/sqlite/sqlite_store.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "common/check.hpp"
#include "storage/migrations/embedded.hpp"
#include "storage/sqlite/db.hpp"
#include "storage/sqlite/migrations.hpp"
#include "storage/sqlite/search_repository.hpp"
#include "storage/sqlite/sqlite_tx.hpp"

namespace soporte::storage {

using sqlite_internal::Db;
using sqlite_internal::DbOptions;
using sqlite_internal::SqliteTx;

namespace {

// True when the tickets are many (10,000 or more: below that any plan is fast) and sqlite_stat1
// has no row for them, or they (by their highest id, a single index probe) have more than doubled,
// or shrunk to under half, since it was written.
Result<bool> StatisticsStale(sqlite_internal::Db& db) {
  std::int64_t tickets = 0;  // the highest id: tickets are never deleted
  {
    SOPORTE_TRY(top, db.Prepare("SELECT coalesce(max(id), 0) FROM tickets"));
    SOPORTE_TRY(got, top.Step());
    if (got) tickets = top.Int(0);
  }
  if (tickets < 10000) return false;
  SOPORTE_TRY(has_stat,
              db.Prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"));
  SOPORTE_TRY(any, has_stat.Step());
  if (!any || has_stat.Int(0) == 0) return true;
  SOPORTE_TRY(stat, db.Prepare("SELECT stat FROM sqlite_stat1 WHERE tbl = 'tickets' LIMIT 1"));
  SOPORTE_TRY(row, stat.Step());
  if (!row) return true;
  const std::int64_t counted = std::atoll(stat.Text(0).c_str());
  return tickets > 2 * counted + 1000 || 2 * tickets + 1000 < counted;
}

// One Write call waiting for the writer. Shared by the caller and the writer, so the writer may
// still be waking the caller while the caller already returns. `result` and `exception` are
// written by the writer before it sets `done` under `mu`, and read by the caller after.
// A mutex and condition variable rather than std::atomic<bool>::wait: libstdc++'s atomic wait
// spins through sched_yield before it sleeps, and with dozens of callers waiting on two cores
// those yields were a tenth of the server's time while creating tickets (perf).
struct Job {
  const std::function<Status(app::WriteTx&)>* fn = nullptr;
  Status result;
  std::exception_ptr exception;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;

  void Finish() {
    {
      std::lock_guard lock(mu);
      done = true;
    }
    cv.notify_one();
  }
  void AwaitFinish() {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
  }
};

Error Unavailable(const std::string& why) { return Error{ErrorCode::kUnavailable, why}; }

// How long a RESTART checkpoint, asked for by the writer at the WAL's limit, waits for readers
// still in old frames. The writer waits as long, so it is short; a reader that outlasts it only
// delays the WAL's restart.
constexpr int kRestartReaderWaitMs = 100;

// Runs a transaction-control statement through the connection's statement cache (they run
// several times per batch; parsing them each time shows up in the group-commit rate).
Status Control(Db& db, std::string_view sql) {
  SOPORTE_TRY(s, db.Prepare(sql));
  return s.Run();
}

}  // namespace

struct SqliteStore::Impl {
  std::string path;
  SqliteOptions options;
  int schema_version = 0;

  // Writer: `db` is used only by the writer thread once it runs.
  std::unique_ptr<Db> writer_db;
  std::thread writer;
  std::thread::id writer_id;
  mutable std::mutex mu;            // guards queue, stopping and stats
  std::condition_variable work_cv;  // the writer waits for jobs
  // Callers wait on their own Job::done: a commit wakes exactly the callers it answers, not
  // every caller still queued for the next one.
  std::deque<std::shared_ptr<Job>> queue;
  bool stopping = false;
  // The writer thread's own: the index has segments a merge step may combine (set when a
  // batch indexed rows, cleared when a step finds nothing to merge or fails).
  bool merge_wanted = false;
  WriterStats stats;

  // The WAL's length in pages after the writer's last commit (its WAL hook), and the length at
  // which the writer next waits for a RESTART checkpoint. Writer thread only.
  int wal_pages = 0;
  int next_wait_pages = 0;

  // Checkpointer: `checkpoint_db` is used only by the checkpointer thread once it runs. Requests
  // are counted: `restarts_done` catching up with `restarts_asked` tells the writer that a
  // RESTART checkpoint asked for after its request has run.
  std::unique_ptr<Db> checkpoint_db;
  std::thread checkpointer;
  mutable std::mutex ckpt_mu;  // guards the fields below
  std::condition_variable ckpt_cv;       // the checkpointer waits for a request
  std::condition_variable ckpt_done_cv;  // the writer waits for its RESTART
  bool ckpt_wanted = false;
  std::int64_t restarts_asked = 0;
  std::int64_t restarts_done = 0;
  bool last_restart_ok = false;  // the last RESTART ran to its end (no reader kept the WAL)
  bool ckpt_stopping = false;
  std::int64_t checkpoints = 0;
  std::int64_t checkpoint_failures = 0;
  std::int64_t writer_waits = 0;

  // Readers: idle connections, and how many exist (idle + checked out); one pool for the small
  // reads, one of connections that map the file for the large ones (ReadMany).
  struct ReaderPool {
    bool mapped = false;
    std::vector<std::unique_ptr<Db>> idle;
    int open = 0;
  };
  std::mutex readers_mu;
  std::condition_variable readers_cv;
  ReaderPool small_readers;
  ReaderPool large_readers{true};

  DbOptions ReaderOptions() const {
    return DbOptions{true, options.synchronous_full, options.busy_timeout_ms};
  }

  void WriterLoop();
  void CheckpointerLoop();
  // Called by SQLite in the writer thread after each commit, with the WAL's length in pages.
  static int OnWalCommit(void* self, sqlite3* db, const char* schema, int pages);
  // Writer thread, between batches: asks for a RESTART checkpoint and waits until it has run.
  void WaitForRestart();
  // Runs `batch` in one or more transactions; sets every job's result. Counts batches into
  // `batches`. Writer thread only.
  void RunBatch(const std::vector<std::shared_ptr<Job>>& batch, std::int64_t& batches);

  Result<std::unique_ptr<Db>> CheckoutReader(ReaderPool& pool);
  void CheckinReader(ReaderPool& pool, std::unique_ptr<Db> db);
  // Runs `fn` in a read transaction on a connection of `pool`.
  Status ReadIn(ReaderPool& pool, const std::function<Status(app::ReadTx&)>& fn);
};

void SqliteStore::Impl::WriterLoop() {
  pthread_setname_np(pthread_self(), "sqlite-writer");  // for top -H, perf and strace
  std::vector<std::shared_ptr<Job>> batch;
  while (true) {
    {
      std::unique_lock lock(mu);
      // Idle (no write waiting): merge the search index a step at a time instead of sleeping,
      // so the merges FTS5 would otherwise run inside a batch's commit wait for nobody.
      // 2026-12-07: automerge made every write wait for merges (bench/search_write_bench.sh).
      while (merge_wanted && queue.empty() && !stopping) {
        lock.unlock();
        if (wal_pages >= next_wait_pages) WaitForRestart();
        auto step = sqlite_internal::MergeSearchIndexStep(*writer_db);
        merge_wanted = step && *step;
        lock.lock();
      }
      work_cv.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty()) return;  // stopping, and nothing left to do
      while (!queue.empty() && batch.size() < static_cast<std::size_t>(options.max_batch)) {
        batch.push_back(queue.front());
        queue.pop_front();
      }
    }
    if (wal_pages >= next_wait_pages) WaitForRestart();
    std::int64_t batches = 0;
    RunBatch(batch, batches);
    {
      std::lock_guard lock(mu);
      stats.jobs += static_cast<std::int64_t>(batch.size());
      stats.batches += batches;
    }
    for (const auto& j : batch) j->Finish();
    batch.clear();
  }
}

int SqliteStore::Impl::OnWalCommit(void* self, sqlite3*, const char*, int pages) {
  auto* impl = static_cast<Impl*>(self);
  // Shorter than after the last commit: this commit started the WAL from its beginning.
  if (pages < impl->wal_pages) impl->next_wait_pages = impl->options.wal_limit_pages;
  impl->wal_pages = pages;
  // Once the WAL is that long, after every commit: each checkpoint then has little to copy and
  // sync, so the writer's rare waits at the limit stay short (a few ms; a checkpoint every
  // checkpoint_pages instead made each wait sync tens of megabytes: p99 40-250 ms, measured).
  if (pages >= impl->options.checkpoint_pages) {
    {
      std::lock_guard lock(impl->ckpt_mu);
      impl->ckpt_wanted = true;
    }
    impl->ckpt_cv.notify_one();
  }
  return SQLITE_OK;
}

void SqliteStore::Impl::WaitForRestart() {
  std::unique_lock lock(ckpt_mu);
  const std::int64_t ticket = ++restarts_asked;
  ++writer_waits;
  ckpt_cv.notify_one();
  ckpt_done_cv.wait(lock, [&] { return restarts_done >= ticket || ckpt_stopping; });
  // Done: the next commit starts the WAL from its beginning, so the limit applies again. (The
  // WAL hook cannot tell on its own when that commit is longer than the whole WAL was.) If a
  // reader kept the WAL from starting again, the writer goes on and asks again once the WAL has
  // doubled: a long reader costs the writer a few short waits, not one per batch.
  next_wait_pages = last_restart_ok ? options.wal_limit_pages : 2 * wal_pages;
}

void SqliteStore::Impl::CheckpointerLoop() {
  pthread_setname_np(pthread_self(), "sqlite-ckpt");
  while (true) {
    int mode = SQLITE_CHECKPOINT_PASSIVE;
    std::int64_t asked = 0;
    {
      std::unique_lock lock(ckpt_mu);
      ckpt_cv.wait(lock, [&] { return ckpt_stopping || ckpt_wanted || restarts_asked > restarts_done; });
      if (ckpt_stopping) return;
      ckpt_wanted = false;
      asked = restarts_asked;
      if (asked > restarts_done) mode = SQLITE_CHECKPOINT_RESTART;
    }
    // PASSIVE copies what no reader still needs, without waiting on anyone. RESTART (asked by the
    // waiting writer) waits, up to kRestartReaderWaitMs, for readers of old frames to finish, so
    // the writer's next commit starts the WAL from its beginning.
    const int rc = sqlite3_wal_checkpoint_v2(checkpoint_db->raw(), nullptr, mode, nullptr, nullptr);
    {
      std::lock_guard lock(ckpt_mu);
      ++checkpoints;
      // BUSY: another checkpoint (another process) is running, or readers outlasted the timeout.
      if (rc != SQLITE_OK && rc != SQLITE_BUSY) ++checkpoint_failures;
      if (mode == SQLITE_CHECKPOINT_RESTART) {
        restarts_done = asked;
        last_restart_ok = rc == SQLITE_OK;
      }
    }
    if (mode == SQLITE_CHECKPOINT_RESTART) ckpt_done_cv.notify_one();
  }
}

void SqliteStore::Impl::RunBatch(const std::vector<std::shared_ptr<Job>>& batch, std::int64_t& batches) {
  Db& db = *writer_db;
  std::size_t next = 0;
  while (next < batch.size()) {
    if (auto begun = Control(db, "BEGIN IMMEDIATE"); !begun) {
      for (; next < batch.size(); ++next) {
        batch[next]->result = tl::make_unexpected(Unavailable("cannot start a write: " + begun.error().message));
      }
      return;
    }
    ++batches;
    std::vector<Job*> committed;  // jobs whose changes ride on this transaction's COMMIT
    bool rolled_back = false;     // SQLite ended the transaction on its own (I/O error, full…)
    for (; next < batch.size() && !rolled_back; ++next) {
      Job* job = batch[next].get();
      if (auto sp = Control(db, "SAVEPOINT job"); !sp) {
        job->result = tl::make_unexpected(Unavailable(sp.error().message));
        rolled_back = db.InAutocommit();
        continue;
      }
      SqliteTx tx(db);
      try {
        job->result = (*job->fn)(tx);
      } catch (...) {
        // Rethrown in the caller's thread; the job's changes are rolled back like a failure.
        job->exception = std::current_exception();
        job->result = Fail(ErrorCode::kInternal, "the write threw an exception");
      }
      if (db.InAutocommit()) {
        rolled_back = true;
        if (job->result) job->result = tl::make_unexpected(Unavailable("the transaction was rolled back"));
        ++next;
        break;
      }
      if (job->result) {
        if (auto rel = Control(db, "RELEASE job"); rel) {
          committed.push_back(job);
          continue;
        } else {
          job->result = tl::make_unexpected(Unavailable(rel.error().message));
        }
      }
      // A failed job is undone alone; the others in the batch keep their changes.
      if (!Control(db, "ROLLBACK TO job") || !Control(db, "RELEASE job")) rolled_back = db.InAutocommit();
    }
    if (rolled_back) {
      // Everything this transaction held is gone: its jobs must be told. Later jobs get a
      // fresh transaction on the next turn of the loop.
      for (Job* j : committed) {
        j->result = tl::make_unexpected(Unavailable("the write was rolled back by the database"));
      }
      if (!db.InAutocommit()) (void)db.Exec("ROLLBACK");
      continue;
    }
    // The rows the batch's jobs added, indexed together (storage/sqlite/search_repository.hpp).
    bool indexed = false;
    if (auto flushed = sqlite_internal::FlushSearchQueue(db, &indexed); !flushed) {
      (void)db.Exec("ROLLBACK");
      for (Job* j : committed) {
        j->result =
            tl::make_unexpected(Unavailable("cannot index the write: " + flushed.error().message));
      }
      continue;
    }
    if (auto commit = Control(db, "COMMIT"); !commit) {
      (void)db.Exec("ROLLBACK");
      for (Job* j : committed) {
        j->result = tl::make_unexpected(Unavailable("commit failed: " + commit.error().message));
      }
    } else if (indexed) {
      merge_wanted = true;
    }
  }
}

Result<std::unique_ptr<Db>> SqliteStore::Impl::CheckoutReader(ReaderPool& pool) {
  {
    std::unique_lock lock(readers_mu);
    readers_cv.wait(lock, [&] { return !pool.idle.empty() || pool.open < options.max_readers; });
    if (!pool.idle.empty()) {
      auto db = std::move(pool.idle.back());
      pool.idle.pop_back();
      return db;
    }
    ++pool.open;
  }
  DbOptions reader = ReaderOptions();
  reader.map_file = pool.mapped;
  auto db = Db::Open(path, reader);
  if (!db) {
    {
      std::lock_guard lock(readers_mu);
      --pool.open;
    }
    readers_cv.notify_all();
  }
  return db;
}

void SqliteStore::Impl::CheckinReader(ReaderPool& pool, std::unique_ptr<Db> db) {
  {
    std::lock_guard lock(readers_mu);
    pool.idle.push_back(std::move(db));
  }
  readers_cv.notify_all();  // both pools wait on it
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, SqliteOptions options) {
  if (path.empty() || path == ":memory:" || path.starts_with("file::memory:")) {
    return Fail(ErrorCode::kInvalidArgument, "SqliteStore needs a database file, not an in-memory database");
  }
  if (options.max_readers < 1 || options.max_batch < 1 || options.busy_timeout_ms < 0) {
    return Fail(ErrorCode::kInvalidArgument, "SqliteStore options: max_readers and max_batch must be at least 1");
  }
  if (options.checkpoint_pages < 1 || options.wal_limit_pages < options.checkpoint_pages) {
    return Fail(ErrorCode::kInvalidArgument,
                "SqliteStore options: checkpoint_pages must be at least 1 and wal_limit_pages at least checkpoint_pages");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  SOPORTE_TRY(db, Db::Open(path, DbOptions{false, options.synchronous_full, options.busy_timeout_ms}));
  SOPORTE_TRY(version, sqlite_internal::ApplyMigrations(*db, sqlite_migrations()));
  impl->schema_version = version;
  // Rows a migration or an older binary queued for the search index and left there: indexed in
  // one transaction (another process may be opening the same file: the queue is read again
  // under the write lock, so no row is indexed twice).
  SOPORTE_TRY_STATUS(Control(*db, "BEGIN IMMEDIATE"));
  if (auto flushed = sqlite_internal::FlushSearchQueue(*db); !flushed) {
    (void)db->Exec("ROLLBACK");
    return tl::make_unexpected(flushed.error());
  }
  SOPORTE_TRY_STATUS(Control(*db, "COMMIT"));
  // The planner's statistics: with them a list filtered on several columns starts from the most
  // selective index (migration 0015); without them SQLite counts every equality alike. A sampled
  // ANALYZE (analysis_limit) is not enough: it reads the first rows of each index, one
  // organisation's, and misjudges all. A full ANALYZE costs ~0.7 s of CPU at 1,000,000 tickets, so
  // it runs only when the statistics are missing or the tickets have more than doubled since
  // (never on every `soporte mail ingest` an MTA runs per message).
  if (options.refresh_statistics) {
    SOPORTE_TRY(stale, StatisticsStale(*db));
    if (stale) SOPORTE_TRY_STATUS(db->Exec("ANALYZE"));
  }
  SOPORTE_TRY(checkpoint_db, Db::Open(path, DbOptions{false, options.synchronous_full, options.busy_timeout_ms}));
  // Its busy handler only ever runs inside a RESTART checkpoint (see kRestartReaderWaitMs).
  sqlite3_busy_timeout(checkpoint_db->raw(), std::min(options.busy_timeout_ms, kRestartReaderWaitMs));
  impl->checkpoint_db = std::move(checkpoint_db);
  impl->next_wait_pages = options.wal_limit_pages;
  impl->writer_db = std::move(db);
  Impl* raw = impl.get();
  // Replaces SQLite's automatic checkpoint on the write connection (which is a WAL hook too).
  sqlite3_wal_hook(impl->writer_db->raw(), &Impl::OnWalCommit, raw);
  impl->checkpointer = std::thread([raw] { raw->CheckpointerLoop(); });
  impl->writer = std::thread([raw] { raw->WriterLoop(); });
  impl->writer_id = impl->writer.get_id();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work_cv.notify_all();
  impl_->writer.join();
  {
    std::lock_guard lock(impl_->ckpt_mu);
    impl_->ckpt_stopping = true;
  }
  impl_->ckpt_cv.notify_all();
  impl_->checkpointer.join();
  // Closing the last connection checkpoints what is left and removes the WAL file.
}

namespace {

// Runs `fn` in a read transaction on `db`.
Status ReadOn(Db& db, const std::function<Status(app::ReadTx&)>& fn) {
  // BEGIN and ROLLBACK as cached statements: sqlite3_exec would parse them again on every read
  // (a tenth of a ticket read's instructions, measured with callgrind).
  SOPORTE_TRY_STATUS(Control(db, "BEGIN"));
  Status result;
  try {
    SqliteTx tx(db);
    result = fn(tx);
  } catch (...) {
    (void)db.Exec("ROLLBACK");
    throw;
  }
  // A read transaction has nothing to keep; ending it releases the snapshot.
  if (!db.InAutocommit()) (void)Control(db, "ROLLBACK");
  return result;
}

}  // namespace

Status SqliteStore::Impl::ReadIn(ReaderPool& pool, const std::function<Status(app::ReadTx&)>& fn) {
  SOPORTE_TRY(db, CheckoutReader(pool));
  try {
    Status result = ReadOn(*db, fn);
    CheckinReader(pool, std::move(db));
    return result;
  } catch (...) {
    CheckinReader(pool, std::move(db));
    throw;
  }
}

Status SqliteStore::Read(const std::function<Status(app::ReadTx&)>& fn) {
  return impl_->ReadIn(impl_->small_readers, fn);
}

Status SqliteStore::ReadMany(const std::function<Status(app::ReadTx&)>& fn) {
  return impl_->ReadIn(impl_->large_readers, fn);
}

Status SqliteStore::Write(const std::function<Status(app::WriteTx&)>& fn) {
  // A Write from inside a Write would wait for itself.
  SOPORTE_CHECK(std::this_thread::get_id() != impl_->writer_id);
  auto job = std::make_shared<Job>();
  job->fn = &fn;
  {
    std::lock_guard lock(impl_->mu);
    SOPORTE_CHECK(!impl_->stopping);
    impl_->queue.push_back(job);
  }
  impl_->work_cv.notify_one();
  job->AwaitFinish();
  if (job->exception) std::rethrow_exception(job->exception);
  return job->result;
}

int SqliteStore::schema_version() const { return impl_->schema_version; }

WriterStats SqliteStore::writer_stats() const {
  WriterStats out;
  {
    std::lock_guard lock(impl_->mu);
    out = impl_->stats;
  }
  std::lock_guard lock(impl_->ckpt_mu);
  out.checkpoints = impl_->checkpoints;
  out.checkpoint_failures = impl_->checkpoint_failures;
  out.writer_waits = impl_->writer_waits;
  return out;
}

std::size_t SqliteStore::queued_writes() const {
  std::lock_guard lock(impl_->mu);
  return impl_->queue.size();
}

}  // namespace soporte::storage
