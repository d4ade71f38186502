// Copies a desk's database from the embedded SQLite store to PostgreSQL (`soporte store copy`):
// every table the PostgreSQL schema has, row for row, in dependency order (foreign keys), in
// batches committed one at a time; then the identity sequences and counters are advanced, and
// each table is verified (row count and a checksum of its rows in key order, computed the same
// way on both sides). The search documents are derived: not copied here, rebuilt by the caller.
// Resumable: rows already in the target are skipped when identical; a row with the same key and
// other content, or more rows in the target than in the source, means another desk: refused.
// The source is read in one read transaction (a consistent snapshot). Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace soporte::storage {

// One table as copied: the source's rows and how many this run inserted (the rest were there).
struct TableCopied {
  std::string table;
  std::int64_t rows = 0;
  std::int64_t inserted = 0;
};

// One table as verified: rows and checksum (SHA-256, hex) on each side.
struct TableVerified {
  std::string table;
  std::int64_t source_rows = 0;
  std::int64_t target_rows = 0;
  std::string source_sum;
  std::string target_sum;
  bool ok() const { return source_rows == target_rows && source_sum == target_sum; }
};

class SqliteToPostgresCopy {
 public:
  // Opens DIR/soporte.db read-only in one read transaction and connects to `target_url`,
  // creating (or completing) the PostgreSQL schema with this binary's migrations.
  // kFailedPrecondition when DIR holds no soporte database, when its schema version is not the
  // one this binary knows, when a source table does not match the PostgreSQL table of that name,
  // or when the target holds more rows than the source in a table (another desk); kUnavailable
  // when the database cannot be reached.
  static Result<std::unique_ptr<SqliteToPostgresCopy>> Open(const std::string& source_dir,
                                                            const std::string& target_url);
  ~SqliteToPostgresCopy();
  SqliteToPostgresCopy(const SqliteToPostgresCopy&) = delete;
  SqliteToPostgresCopy& operator=(const SqliteToPostgresCopy&) = delete;

  // The source's schema version (its number of applied migrations).
  int source_version() const { return source_version_; }

  // Copies every table in dependency order, `batch_rows` rows (at most) per transaction, calling
  // `progress` after each table; then advances the identity sequences past the copied ids and
  // the counters (ticket numbers) to the source's values. kFailedPrecondition naming the table
  // and the key when a row already in the target differs from the source's (another desk).
  Result<std::vector<TableCopied>> CopyTables(
      int batch_rows, const std::function<void(const TableCopied&)>& progress);

  // Row counts and checksums of every copied table on both sides (the source from the same
  // snapshot). Never fails on a mismatch: the caller reads ok(); fails on a database error.
  Result<std::vector<TableVerified>> Verify();

  // The tables not copied because they are derived (rebuilt in the target).
  static std::vector<std::string> DerivedTables();

 private:
  struct Impl;
  explicit SqliteToPostgresCopy(std::unique_ptr<Impl> impl, int source_version);
  std::unique_ptr<Impl> impl_;
  int source_version_;
};

}  // namespace soporte::storage
