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
#include "storage/sqlite/db.hpp"

namespace soporte::storage::sqlite_internal {

// --- conversions: times are stored as seconds since the epoch, days as day numbers, and an
// absent reference as NULL (ids are positive) ---------------------------------------------------
inline std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
inline Instant At(std::int64_t s) { return Instant{Seconds{s}}; }
inline std::optional<std::int64_t> OptSecs(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(Secs(*t)) : std::nullopt;
}
inline std::int64_t DayNumber(std::chrono::sys_days d) { return d.time_since_epoch().count(); }
inline std::chrono::sys_days Day(std::int64_t n) {
  return std::chrono::sys_days{std::chrono::days{n}};
}
// NULL for an invalid (0) id.
inline std::optional<std::int64_t> OptId(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

// --- errors -----------------------------------------------------------------------------------
// kInternal: a stored name no parser knows (the database was changed behind our back).
inline Error Corrupt(std::string_view what) {
  return Error{ErrorCode::kInternal, "corrupt row: unknown " + std::string(what)};
}
// The parsed value, or Corrupt(what) when the parser gave nothing.
template <class T>
Result<T> Decode(std::optional<T> v, std::string_view what) {
  if (!v) return tl::make_unexpected(Corrupt(what));
  return *v;
}
// kNotFound: "<what> not found".
inline Error NotFound(std::string what) {
  return Error{ErrorCode::kNotFound, std::move(what) + " not found"};
}

// Ok when `table` has a row with this id; MissingReference(what + id) (kFailedPrecondition)
// otherwise. `table` is one of a few literals (the statement is cached per text).
Status CheckExists(Db& db, const char* table, std::int64_t id, std::string_view what);

// --- statements into values -------------------------------------------------------------------
// Concatenates parts of a statement (column lists kept as constants).
inline std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}

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

 private:
  const Stmt& s_;
  int offset_;
};

// How many columns a column list names.
constexpr int ColumnCount(std::string_view cols) {
  int n = 1;
  for (char c : cols) n += c == ',' ? 1 : 0;
  return n;
}

// "id, name" → "o.id, o.name": a table's column list inside a join.
std::string Qualified(std::string_view alias, std::string_view cols);

}  // namespace soporte::storage::sqlite_internal
