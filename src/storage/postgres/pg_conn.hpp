// A thin RAII layer over one libpq connection: connecting (with an optional schema as the
// search_path), a per-connection cache of prepared statements (each SQL text is prepared once
// per connection and run by name afterwards), results, and the one mapping from SQLSTATE to
// ErrorCode. Internal to storage/postgres. A PgConn is used by one thread at a time (a caller
// that checked it out of the PgPool); nothing here locks.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app/ports/store.hpp"
#include "common/result.hpp"

struct pg_conn;
struct pg_result;

namespace soporte::storage::pg_internal {

// How long connecting may take before it fails (libpq connect_timeout, unless the URL sets its
// own), and the wait an unreachable server's error suggests (Error::retry_after, Retry-After).
inline constexpr std::chrono::seconds kConnectTimeout{3};
inline constexpr std::chrono::seconds kRetryUnreachable{5};

// A kUnavailable error with reason app::kStoreUnavailable and retry_after kRetryUnreachable: the
// server cannot be reached, refused us, or closed the connection.
Error Unreachable(std::string message);

// One query's rows. Columns and rows are 0-based; values come in PostgreSQL's text format.
class PgRows {
 public:
  explicit PgRows(pg_result* r);
  PgRows(PgRows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgRows& operator=(PgRows&& o) noexcept;
  PgRows(const PgRows&) = delete;
  PgRows& operator=(const PgRows&) = delete;
  ~PgRows();

  int size() const;
  bool empty() const { return size() == 0; }
  bool IsNull(int row, int col) const;
  std::string Text(int row, int col) const;
  std::int64_t Int(int row, int col) const;  // aborts on a value that is not an integer (a bug)
  std::optional<std::int64_t> OptInt(int row, int col) const {
    return IsNull(row, col) ? std::nullopt : std::optional<std::int64_t>(Int(row, col));
  }
  bool Bool(int row, int col) const { return Text(row, col) == "t"; }
  // Rows changed by an INSERT/UPDATE/DELETE without RETURNING.
  std::int64_t affected() const;

 private:
  pg_result* r_;
};

// The parameters of one statement ($1, $2… in order), sent in text format.
class PgParams {
 public:
  PgParams& Add(std::int64_t v) {
    values_.emplace_back(std::to_string(v));
    return *this;
  }
  PgParams& Add(int v) { return Add(static_cast<std::int64_t>(v)); }
  PgParams& Add(bool v) {
    values_.emplace_back(v ? "t" : "f");
    return *this;
  }
  PgParams& Add(std::string_view v) {
    values_.emplace_back(std::string(v));
    return *this;
  }
  PgParams& Add(const std::string& v) { return Add(std::string_view(v)); }
  PgParams& Add(const char* v) { return Add(std::string_view(v)); }
  PgParams& AddNull() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  PgParams& AddOpt(std::optional<std::int64_t> v) { return v ? Add(*v) : AddNull(); }
  PgParams& AddOpt(const std::optional<std::string>& v) { return v ? Add(*v) : AddNull(); }

  const std::vector<std::optional<std::string>>& values() const { return values_; }

 private:
  std::vector<std::optional<std::string>> values_;
};

class PgConn {
 public:
  // Connects to `url` (a libpq URI or key=value string). When `schema` is not empty (letters,
  // digits and '_' only) it becomes the connection's search_path. Connecting takes at most
  // kConnectTimeout unless the URL sets connect_timeout; TCP keepalives are on. Unreachable(…)
  // when the server cannot be reached or refuses us (no such database, wrong credentials:
  // libpq's message says which); kInvalidArgument for a bad schema name.
  static Result<std::unique_ptr<PgConn>> Connect(const std::string& url, const std::string& schema);
  ~PgConn();
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  // Runs `sql` (one or more statements, no parameters) with the simple protocol. For
  // transaction control and migrations.
  Status Exec(const std::string& sql);

  // Runs one statement with parameters, prepared once on this connection and reused by name.
  // kInvalidArgument when a text parameter holds a NUL character (PostgreSQL text cannot);
  // otherwise the error mapped by PgError. A failed statement aborts the surrounding transaction
  // (PostgreSQL, unlike SQLite): repositories avoid expected failures (ON CONFLICT … DO NOTHING).
  Result<PgRows> Query(std::string_view sql, const PgParams& params = {});

  // True once the connection is lost (the pool then discards it). The call that found it lost
  // returned Unreachable(…), as does one refused by a server shutting down (SQLSTATE 08…, 57P…).
  bool broken() const;

  // LISTEN/NOTIFY (pg_live_relay.*): the connection's socket, to poll for input; and the
  // notifications received so far, after reading whatever input has arrived (never blocks).
  // kUnavailable when reading fails (the connection is lost).
  struct Notification {
    std::string channel;
    std::string payload;
  };
  int socket() const;
  Result<std::vector<Notification>> TakeNotifications();
  // True inside a transaction that a failed statement has aborted (only ROLLBACK is possible;
  // a COMMIT there would silently roll back).
  bool in_failed_transaction() const;
  // True when the last failed statement failed with a serialisation failure or a deadlock
  // (SQLSTATE 40001, 40P01): the whole transaction may be retried. Cleared by ClearRetryable.
  bool retryable() const { return retryable_; }
  void ClearRetryable() { retryable_ = false; }

 private:
  explicit PgConn(pg_conn* c) : c_(c) {}
  Error ResultError(pg_result* r, std::string_view what);

  pg_conn* c_;
  bool retryable_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// Quotes `name` as an SQL identifier ("name"); for schema names checked by the caller.
std::string QuoteIdent(std::string_view name);

}  // namespace soporte::storage::pg_internal
