// The shared row helpers of the SQLite repositories: one way to run a statement into values
// (Collect, One), the conversions between stored integers and times/ids, and the errors a
// repository words the same way (NotFound, Corrupt, a missing reference). Internal to
// storage/sqlite; pure functions over a Stmt/Db used by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "common/time.hpp"
#include "storage/rows/values.hpp"
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

// The values' conventions and the errors, shared with the PostgreSQL store (storage/rows).
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

// Ok when `table` has a row with this id; MissingReference(what + id) (kFailedPrecondition)
// otherwise. `table` is one of a few literals (the statement is cached per text).
Status CheckExists(Db& db, const char* table, std::int64_t id, std::string_view what);

// --- statements into values -------------------------------------------------------------------
// Runs `s` and collects every row through `read` (returning T or Result<T>).
template <class T, class F>
Result<std::vector<T>> Collect(Stmt& s, F read) {
  std::vector<T> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    if constexpr (std::is_same_v<decltype(read(s)), T>) {
      out.push_back(read(s));
    } else {
      SOPORTE_TRY(v, read(s));
      out.push_back(std::move(v));
    }
  }
}

// Runs `s` and calls `fn(s)` for every row, for rows that fold into a value (fields into their
// entry); `fn` returns void or Status, and its first error stops the run and is returned.
template <class F>
Status ForEachRow(Stmt& s, F fn) {
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return Ok();
    if constexpr (std::is_void_v<decltype(fn(s))>) {
      fn(s);
    } else {
      SOPORTE_TRY_STATUS(fn(s));
    }
  }
}

// Runs `s` and returns its first row through `read`, or kNotFound naming `what`.
template <class T, class F>
Result<T> One(Stmt& s, F read, std::string what) {
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(NotFound(std::move(what)));
  return read(s);
}

// The same, with the caller's own error when there is no row (messages that predate NotFound).
template <class T, class F>
Result<T> One(Stmt& s, F read, Error absent) {
  SOPORTE_TRY(row, s.Step());
  if (!row) return tl::make_unexpected(std::move(absent));
  return read(s);
}

// --- joined rows ------------------------------------------------------------------------------
// The columns of a joined row from `offset` on, so a table's row reader (reading from 0) reads
// its part of a join.
class Shifted {
 public:
  Shifted(const Stmt& s, int offset) : s_(s), offset_(offset) {}
  std::int64_t Int(int col) const { return s_.Int(offset_ + col); }
  std::string Text(int col) const { return s_.Text(offset_ + col); }
  bool IsNull(int col) const { return s_.IsNull(offset_ + col); }
  bool Bool(int col) const { return s_.Int(offset_ + col) != 0; }

 private:
  const Stmt& s_;
  int offset_;
};
// The part of a joined row from `offset` on, for the readers both stores share (storage/rows).
inline Shifted Shift(const Stmt& s, int offset) { return Shifted(s, offset); }

}  // namespace soporte::storage::sqlite_internal
