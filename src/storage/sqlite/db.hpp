// A thin RAII layer over one sqlite3 connection: opening with our pragmas, a per-connection cache
// of prepared statements, and the one mapping from SQLite result codes to ErrorCode. Internal to
// storage/sqlite. A Db is used by one thread at a time (the writer, or a reader checked out of the
// pool); nothing here locks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <functional>
#include <unordered_map>

#include "common/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace soporte::storage::sqlite_internal {

// kUnavailable for busy/locked/I/O/full/cannot-open, kAlreadyExists for unique clashes,
// kFailedPrecondition for other constraint failures (foreign key, check, trigger), kInternal
// otherwise. `what` says what was being done, for the message.
Error SqliteError(sqlite3* db, int rc, std::string_view what);

// A borrowed cached statement; resets it and clears its bindings when it goes out of scope.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in sqlite3_bind_*.
  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, std::string_view v);  // copied (SQLITE_TRANSIENT)
  Stmt& BindNull(int i);
  Stmt& BindOpt(int i, std::optional<std::int64_t> v) { return v ? Bind(i, *v) : BindNull(i); }

  // true when a row is available, false when done; an error mapped by SqliteError.
  Result<bool> Step();
  // Runs a statement that returns no rows (or ignores them).
  Status Run();

  std::int64_t Int(int col) const;
  std::string Text(int col) const;
  // The column's text without a copy; valid until the next Step (or Stmt's end). For hot reads
  // that only parse the text ("" for NULL).
  std::string_view TextView(int col) const;
  bool IsNull(int col) const;
  // A flag stored as 0/1 (the PostgreSQL schema's BOOLEAN), for the readers both stores share.
  bool Bool(int col) const { return Int(col) != 0; }
  std::optional<std::int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

struct DbOptions {
  bool read_only = false;
  bool synchronous_full = false;
  int busy_timeout_ms = 5000;
  // A reader that sees the file through a memory map (see Db::Open); read_only connections only.
  bool map_file = false;
};

class Db {
 public:
  // Opens (creating when writable) the database at `path` with WAL, foreign keys and the
  // busy timeout. kUnavailable when the file cannot be opened.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const DbOptions& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // A prepared statement for `sql`, compiled once per connection and cached by its text.
  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements without results (DDL, BEGIN, COMMIT…).
  Status Exec(const char* sql);
  std::int64_t LastInsertId() const;
  int Changes() const;
  // True outside an explicit transaction (also after SQLite rolled one back on its own).
  bool InAutocommit() const;
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  // Looked up by string_view without building a std::string (C++20 heterogeneous lookup).
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*, Hash, std::equal_to<>> cache_;
};

}  // namespace soporte::storage::sqlite_internal
