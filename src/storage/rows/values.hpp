// How both SQL stores read and write a row's values, and word what a row reader finds wrong: the
// schemas' one convention (instants as integer seconds, days as day numbers, an absent reference
// as NULL), the errors (NotFound, Corrupt), and composing statements from column lists. The
// table readers under storage/rows are written once over any row type with Int, Text, IsNull
// and Bool by column (a SQLite statement, a PostgreSQL result row, either shifted into a join).
// Internal to storage; pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::storage::rows {

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
// NULL for an invalid (0) id.
inline std::optional<std::int64_t> OptId(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

// A nullable column of any row type: an id (0 for NULL) or an instant.
template <class Row>
std::int64_t IdOrZero(const Row& r, int col) {
  return r.IsNull(col) ? 0 : r.Int(col);
}
template <class Row>
std::optional<Instant> OptAtCol(const Row& r, int col) {
  return r.IsNull(col) ? std::nullopt : std::optional<Instant>(At(r.Int(col)));
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
// kNotFound: "<what> not found".
inline Error NotFound(std::string what) {
  return Error{ErrorCode::kNotFound, std::move(what) + " not found"};
}

// Concatenates parts of a statement (column lists kept as constants).
inline std::string Sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out += p;
  return out;
}
// How many columns a column list ("id, name") names.
constexpr int ColumnCount(std::string_view cols) {
  int n = 1;
  for (char c : cols) n += c == ',' ? 1 : 0;
  return n;
}
// "id, name" → "o.id, o.name": a table's column list inside a join.
std::string Qualified(std::string_view alias, std::string_view cols);

}  // namespace soporte::storage::rows
