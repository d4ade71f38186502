// PostgresStore: the storage port on PostgreSQL, for several soporte nodes sharing one database
// (issue 14). Selected by `--store postgresql://…` (or SOPORTE_STORE); SQLite stays the default.
//
// Connections: a bounded pool (PostgresOptions::max_connections, sized by `serve` from its
// storage threads) opened lazily and kept; a caller that finds every connection in use waits up
// to acquire_timeout_ms, then gets kUnavailable. Every statement is prepared once per connection.
//
// Transactions: Read runs in REPEATABLE READ READ ONLY (a consistent snapshot, as SQLite's WAL
// read). Write runs in SERIALIZABLE, so concurrent writers on any node behave as if one ran after
// the other (SQLite's single writer gives that by construction); a serialisation failure or a
// deadlock rolls back and runs `fn` again on a fresh transaction, up to max_attempts times, so
// `fn` must only act through its WriteTx (the use cases do). A connection lost before COMMIT is
// retried the same way; a connection lost during COMMIT is kUnavailable (the outcome is unknown
// and the caller never acknowledged it). Write returns after COMMIT, which PostgreSQL makes
// durable (synchronous_commit on): a write acknowledged is committed.
//
// Outages: while the server cannot be reached, Read and Write fail within the connect timeout
// (3 s; at once when the connection is refused) with kUnavailable, reason app::kStoreUnavailable
// and retry_after 5 s: a request answers 503 with Retry-After, never waiting on the database.
// Connections broken by the outage are discarded; when the server answers again the next call
// opens fresh ones and the same process works again, with nothing to restart.
//
// Schema: the embedded migrations (src/storage/migrations/postgres) are applied at Open with the
// same strict rules as SQLite's, under an advisory lock (several nodes may start together).
// PostgresOptions::schema puts the desk's tables in a schema of their own (the conformance suite
// gives each test a fresh one).
//
// Every port is implemented (ImplementedPorts; UnimplementedPorts is empty, and `soporte serve`
// and `soporte init` would refuse this store again if a new port were not). Search keeps
// tsvector documents built by the same tokenizer as SQLite's index, flushed before each COMMIT.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/store.hpp"
#include "common/result.hpp"

namespace soporte::storage {

struct PostgresOptions {
  // Schema holding the desk's tables (created when missing); empty: the server's default
  // (public). Letters, digits and '_' only.
  std::string schema;
  // Connections kept open at most. At least 1.
  int max_connections = 8;
  // How long a caller waits for a free connection before kUnavailable. At least 1.
  int acquire_timeout_ms = 5000;
  // Times a Write runs `fn` when PostgreSQL reports a serialisation failure or a deadlock (or
  // the connection drops before COMMIT). At least 1.
  int max_attempts = 20;
  // Where the store reports an outage: one line when the server stops answering, one when it
  // answers again (never one per failed call). Empty: not reported.
  std::function<void(const std::string&)> log;
};

class PostgresStore final : public app::Store {
 public:
  // Connects to `url` (postgresql://USER@HOST:PORT/DB or a libpq key=value string), creates the
  // schema when options.schema names one, and applies the missing migrations.
  // kUnavailable when the server cannot be reached; kFailedPrecondition when the database's
  // schema is newer than this binary or was changed by hand; kInvalidArgument for bad options.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                     PostgresOptions options = {});
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // See app::Store and above. Thread-safe. An exception thrown by `fn` rolls back and
  // propagates to the caller.
  Status Read(const std::function<Status(app::ReadTx&)>& fn) override;
  Status Write(const std::function<Status(app::WriteTx&)>& fn) override;

  // The newest schema version applied. Thread-safe.
  int schema_version() const;
  // Connections open now (at most PostgresOptions::max_connections). Thread-safe.
  int open_connections() const;

  // The ports (by their accessor's name: "settings", "orgs"…) this store implements, and the
  // ones it does not yet. Never fail.
  static std::vector<std::string_view> ImplementedPorts();
  static std::vector<std::string_view> UnimplementedPorts();

  // Drops `schema` and everything in it (for tests, and to remove a desk). kUnavailable when
  // the server cannot be reached.
  static Status DropSchema(const std::string& url, const std::string& schema);

 private:
  struct Impl;
  explicit PostgresStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when `store` names a PostgreSQL store (postgresql:// or postgres://).
bool IsPostgresUrl(std::string_view store);

}  // namespace soporte::storage
