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

namespace soporte::storage::pg_internal {

inline std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
inline Instant At(std::int64_t s) { return Instant{Seconds{s}}; }
inline std::optional<std::int64_t> OptSecs(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(Secs(*t)) : std::nullopt;
}
inline std::optional<Instant> OptAt(std::optional<std::int64_t> s) {
  return s ? std::optional<Instant>(At(*s)) : std::nullopt;
}
inline std::int64_t DayNumber(std::chrono::sys_days d) { return d.time_since_epoch().count(); }
inline std::chrono::sys_days Day(std::int64_t n) {
  return std::chrono::sys_days{std::chrono::days{n}};
}
// NULL for an invalid (0) id; 0 back for NULL.
inline std::optional<std::int64_t> OptId(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}
inline std::int64_t IdOrZero(const PgRows& r, int row, int col) {
  return r.IsNull(row, col) ? 0 : r.Int(row, col);
}

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
// kNotFound: "<what> not found" (the SQLite repositories' wording).
inline Error NotFound(std::string what) {
  return Error{ErrorCode::kNotFound, std::move(what) + " not found"};
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
  // For the readers that take (rows, row, first column): OrgFrom, ContractFrom.
  const PgRows& rows() const { return rows_; }
  int row() const { return row_; }
  int offset() const { return offset_; }

 private:
  const PgRows& rows_;
  int row_;
  int offset_;
};

// How many columns a column list ("id, name") names.
constexpr int ColumnCount(std::string_view cols) {
  int n = 1;
  for (char c : cols) n += c == ',' ? 1 : 0;
  return n;
}

// "id, name" → "o.id, o.name": a table's column list inside a join.
inline std::string Qualified(std::string_view alias, std::string_view cols) {
  std::string out;
  while (!cols.empty()) {
    const auto comma = cols.find(',');
    std::string_view col = cols.substr(0, comma);
    while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out.append(alias).append(".").append(col);
    cols = comma == std::string_view::npos ? std::string_view() : cols.substr(comma + 1);
  }
  return out;
}

// The next parameter of a statement being composed: adds `v` to `p` and returns its "$n".
template <class T>
std::string Param(PgParams& p, const T& v) {
  p.Add(v);
  std::string out = "$";
  out += std::to_string(p.values().size());
  return out;
}

}  // namespace soporte::storage::pg_internal
