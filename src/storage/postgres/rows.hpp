// Helpers shared by the PostgreSQL repositories: instants as BIGINT seconds and days as day
// numbers (the schema's convention, as SQLite's), absent references as NULL, and the errors a
// repository words as the SQLite ones do (NotFound, Corrupt, a missing reference). Internal to
// storage/postgres; pure functions, or one statement on a connection used by one thread.
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

}  // namespace soporte::storage::pg_internal
