// Helpers shared by the PostgreSQL repositories: instants as BIGINT seconds and days as day
// numbers (the schema's convention, as SQLite's), absent references as NULL, the errors a
// repository words as the SQLite ones do (NotFound, Corrupt, a missing reference), a view of one
// result row that a table's row reader reads from column 0 (also inside a join), and composing a
// statement's parameters. Internal to storage/postgres; pure functions, or one statement on a
// connection used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"
#include "common/time.hpp"
#include "storage/postgres/pg_conn.hpp"
#include "storage/rows/values.hpp"

namespace soporte::storage::pg_internal {

// The values' conventions and the errors, shared with the SQLite store (storage/rows).
using rows::At;
using rows::ColumnCount;
using rows::Corrupt;
using rows::Day;
using rows::DayNumber;
using rows::Decode;
using rows::NotFound;
using rows::OptAt;
using rows::OptId;
using rows::OptSecs;
using rows::Qualified;
using rows::Secs;
using rows::Sql;

inline std::int64_t IdOrZero(const PgRows& r, int row, int col) {
  return r.IsNull(row, col) ? 0 : r.Int(row, col);
}

// Ok when `table` has a row with this id; MissingReference(what + id) (kFailedPrecondition)
// otherwise. Read first, so that a missing row never reaches a foreign key (whose failure would
// abort the transaction). `table` is one of a few literals (each text is prepared once).
Status CheckExists(PgConn& conn, std::string_view table, std::int64_t id, std::string_view what);

// --- rows -------------------------------------------------------------------------------------
// Row `row` of `rows` from column `offset` on: a table's row reader reads its columns from 0,
// alone or as its part of a joined row (Shifted).
class PgRow {
 public:
  PgRow(const PgRows& rows, int row, int offset = 0) : rows_(rows), row_(row), offset_(offset) {}
  std::int64_t Int(int col) const { return rows_.Int(row_, offset_ + col); }
  std::string Text(int col) const { return rows_.Text(row_, offset_ + col); }
  bool IsNull(int col) const { return rows_.IsNull(row_, offset_ + col); }
  bool Bool(int col) const { return rows_.Bool(row_, offset_ + col); }
  // The same row from `offset` columns further on.
  PgRow Shifted(int offset) const { return PgRow(rows_, row_, offset_ + offset); }
  // The underlying result and position (for readers written over PgRows).
  const PgRows& rows() const { return rows_; }
  int row() const { return row_; }
  int offset() const { return offset_; }

 private:
  const PgRows& rows_;
  int row_;
  int offset_;
};
// The part of a joined row from `offset` on, for the readers both stores share (storage/rows).
inline PgRow Shift(const PgRow& r, int offset) { return r.Shifted(offset); }

// The next parameter of a statement being composed: adds `v` to `p` and returns its "$n".
template <class T>
std::string Param(PgParams& p, const T& v) {
  p.Add(v);
  std::string out = "$";
  out += std::to_string(p.values().size());
  return out;
}

}  // namespace soporte::storage::pg_internal
