#include "storage/postgres/postgres_store.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <thread>

#include "storage/postgres/migrations.hpp"
#include "storage/postgres/pg_pool.hpp"
#include "storage/postgres/postgres_tx.hpp"
#include "storage/postgres/search_repository.hpp"

namespace soporte::storage {
namespace pg = pg_internal;

namespace {

// Every accessor of app::WriteTx, in the order a desk needs them.
constexpr std::string_view kPorts[] = {"settings", "accounts", "orgs",    "calendars", "tickets",
                                       "sla",      "mail",     "audit",   "alerts",    "webhooks",
                                       "oncall",   "profiles", "reports", "chats",     "search"};
// The ones PgTx has repositories for (ports are not done in kPorts' order).
constexpr std::string_view kImplemented[] = {
    "settings", "accounts", "orgs",   "calendars", "tickets", "audit", "profiles", "mail",
    "sla",      "alerts",   "search", "webhooks",  "oncall",  "chats", "reports"};

static_assert(std::all_of(std::begin(kImplemented), std::end(kImplemented),
                          [](std::string_view port) {
                            return std::find(std::begin(kPorts), std::end(kPorts), port) !=
                                   std::end(kPorts);
                          }),
              "every implemented port is one of kPorts");

bool Implemented(std::string_view port) {
  return std::find(std::begin(kImplemented), std::end(kImplemented), port) !=
         std::end(kImplemented);
}

// A transaction whose `fn` returned Ok although one of its statements failed (PostgreSQL then
// refuses everything until ROLLBACK): a bug in a repository, reported instead of a lost write.
Error IgnoredFailure() {
  return Error{
      ErrorCode::kInternal,
      "a statement failed inside the transaction and the failure was ignored; rolled back"};
}

// Ends the transaction on `conn` after `st`: COMMIT when st is Ok, ROLLBACK otherwise. Returns
// the status the caller gets.
Status Finish(pg::PgConn& conn, Status st) {
  if (st && conn.in_failed_transaction()) st = tl::make_unexpected(IgnoredFailure());
  if (st) {
    Status c = conn.Exec("COMMIT");
    if (!c) {
      if (!conn.broken()) (void)conn.Exec("ROLLBACK");
      return c;
    }
    return st;
  }
  if (!conn.broken()) (void)conn.Exec("ROLLBACK");
  return st;
}

// Runs `fn` on `conn`, already inside its read transaction, and ends the transaction.
Status ReadIn(pg::PgConn& conn, const std::function<Status(app::ReadTx&)>& fn) {
  pg::PgTx tx(conn);
  Status st;
  try {
    st = fn(tx);
  } catch (...) {
    if (!conn.broken()) (void)conn.Exec("ROLLBACK");
    throw;
  }
  return Finish(conn, std::move(st));
}

}  // namespace

bool IsPostgresUrl(std::string_view store) {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

struct PostgresStore::Impl {
  Impl(const std::string& url, const PostgresOptions& o)
      : options(o),
        pool(url, o.schema, o.max_connections, std::chrono::milliseconds(o.acquire_timeout_ms)) {}
  PostgresOptions options;
  pg::PgPool pool;
  int schema_version = 0;
};

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresStore::~PostgresStore() = default;

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           PostgresOptions options) {
  if (options.max_connections < 1 || options.acquire_timeout_ms < 1 || options.max_attempts < 1)
    return Fail(ErrorCode::kInvalidArgument,
                "PostgreSQL store: max_connections, acquire_timeout_ms and max_attempts must be at "
                "least 1");
  if (!options.schema.empty()) {
    // Created on a connection without the search_path (the schema may not exist yet).
    SOPORTE_TRY(admin, pg::PgConn::Connect(url, ""));
    SOPORTE_TRY(name_ok, pg::PgConn::Connect(url, options.schema));  // checks the name
    (void)name_ok;
    // Under the schema lock: two nodes running CREATE SCHEMA IF NOT EXISTS at once can both
    // find it missing, and the second then fails on pg_namespace's unique index.
    SOPORTE_TRY_STATUS(admin->Exec(std::string("BEGIN; ") + pg::kSchemaLockSql +
                                   "; CREATE SCHEMA IF NOT EXISTS " +
                                   pg::QuoteIdent(options.schema) + "; COMMIT"));
  }
  auto impl = std::make_unique<Impl>(url, options);
  {
    SOPORTE_TRY(conn, impl->pool.Acquire());
    auto version = pg::ApplyMigrations(*conn, postgres_migrations());
    if (!version) return tl::make_unexpected(version.error());
    impl->schema_version = *version;
    // Rows a migration queued for the search index (those stored before 0006) are indexed now.
    SOPORTE_TRY_STATUS(conn->Exec("BEGIN ISOLATION LEVEL SERIALIZABLE"));
    Status st = pg::MarkSearchQueued(*conn);
    if (st) st = pg::FlushSearchQueue(*conn);
    SOPORTE_TRY_STATUS(Finish(*conn, std::move(st)));
  }
  impl->pool.SetLog(impl->options.log);  // outages from now on; a failed Open is its error alone
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(impl)));
}

Status PostgresStore::Read(const std::function<Status(app::ReadTx&)>& fn) {
  SOPORTE_TRY(conn, impl_->pool.Acquire());
  if (Status begin = conn->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !begin) {
    if (!conn->broken()) return begin;
    // An idle connection the server closed (it restarted since): the pool has dropped the idle
    // ones with it; once more on a fresh connection, which fails at once if it is still down.
    { auto dead = std::move(conn); }  // back to the pool (which closes it) before a fresh one
    SOPORTE_TRY(fresh, impl_->pool.Acquire());
    SOPORTE_TRY_STATUS(fresh->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    return ReadIn(*fresh, fn);
  }
  return ReadIn(*conn, fn);
}

Status PostgresStore::Write(const std::function<Status(app::WriteTx&)>& fn) {
  Status last = Ok();
  for (int attempt = 0; attempt < impl_->options.max_attempts; ++attempt) {
    if (attempt > 0) {
      // Back off a little, more each time, so the transactions that clashed do not clash again.
      std::this_thread::sleep_for(std::chrono::microseconds(200 * attempt * attempt));
    }
    SOPORTE_TRY(conn, impl_->pool.Acquire());
    conn->ClearRetryable();
    Status begin = conn->Exec("BEGIN ISOLATION LEVEL SERIALIZABLE");
    // 2026-12-07: every ticket takes its number from one row (counters), locked from the number
    // to COMMIT; under SERIALIZABLE a transaction that waits for that lock fails when the holder
    // commits, so with a few clients creating tickets through three nodes one in fifty lost 20
    // times in a row and was refused with 503 (test/integration/cli/cluster_test.py). A write
    // that has lost twice queues for the table first: LOCK TABLE waits for the writers holding
    // the row and takes no snapshot (PostgreSQL takes it at the first query, after the lock), so
    // it cannot lose to that row again. The lock ends with the transaction.
    if (begin && attempt >= 2) {
      begin = conn->Exec("LOCK TABLE counters IN SHARE ROW EXCLUSIVE MODE");
    }
    if (!begin) {
      if (conn->broken()) {  // a connection that died while idle: try a fresh one
        conn.Discard();
        last = begin;
        continue;
      }
      if (attempt >= 2 && conn->retryable()) {  // a deadlock while queueing: roll back, again
        (void)conn->Exec("ROLLBACK");
        last = begin;
        continue;
      }
      if (attempt >= 2) (void)conn->Exec("ROLLBACK");
      return begin;
    }
    pg::PgTx tx(*conn);
    Status st;
    try {
      st = fn(tx);
    } catch (...) {
      if (!conn->broken()) (void)conn->Exec("ROLLBACK");
      throw;
    }
    // The rows the search triggers queued are indexed in this transaction (0006_search.sql).
    if (st && !conn->in_failed_transaction()) st = pg::FlushSearchQueue(*conn);
    if (!st) {
      const bool retry = conn->retryable() || conn->broken();
      if (!conn->broken()) (void)conn->Exec("ROLLBACK");
      if (!retry) return st;
      if (conn->broken()) conn.Discard();
      last = st;
      continue;
    }
    if (conn->in_failed_transaction()) {
      (void)conn->Exec("ROLLBACK");
      return tl::make_unexpected(IgnoredFailure());
    }
    Status commit = conn->Exec("COMMIT");
    if (commit) return st;
    if (conn->broken()) {
      // The COMMIT may or may not have reached the server: never claim it did, never run fn twice.
      conn.Discard();
      return tl::make_unexpected(pg::Unreachable("PostgreSQL connection lost while committing: " +
                                                 commit.error().message));
    }
    (void)conn->Exec("ROLLBACK");
    if (!conn->retryable()) return commit;
    last = commit;  // a serialisation failure found at COMMIT: run again
  }
  Error gave_up = last.error();  // an unreachable server's reason and wait are kept
  gave_up.code = ErrorCode::kUnavailable;
  gave_up.message = "PostgreSQL write gave up after " +
                    std::to_string(impl_->options.max_attempts) + " attempts: " + gave_up.message;
  return tl::make_unexpected(std::move(gave_up));
}

int PostgresStore::schema_version() const { return impl_->schema_version; }
int PostgresStore::open_connections() const { return impl_->pool.open(); }

std::vector<std::string_view> PostgresStore::ImplementedPorts() {
  std::vector<std::string_view> out;
  for (std::string_view p : kPorts)
    if (Implemented(p)) out.push_back(p);
  return out;
}
std::vector<std::string_view> PostgresStore::UnimplementedPorts() {
  std::vector<std::string_view> out;
  for (std::string_view p : kPorts)
    if (!Implemented(p)) out.push_back(p);
  return out;
}

Status PostgresStore::DropSchema(const std::string& url, const std::string& schema) {
  SOPORTE_TRY(check, pg::PgConn::Connect(url, schema));  // checks the name
  (void)check;
  SOPORTE_TRY(conn, pg::PgConn::Connect(url, ""));
  return conn->Exec("DROP SCHEMA IF EXISTS " + pg::QuoteIdent(schema) + " CASCADE");
}

}  // namespace soporte::storage
