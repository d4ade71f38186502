// Helpers shared by the PostgreSQL repositories: instants as BIGINT seconds (the schema's
// convention, as SQLite's). Internal to storage/postgres.
#pragma once

#include <cstdint>
#include <optional>

#include "common/time.hpp"

namespace soporte::storage::pg_internal {

inline std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
inline Instant At(std::int64_t s) { return Instant{Seconds{s}}; }
inline std::optional<std::int64_t> OptSecs(const std::optional<Instant>& t) {
  return t ? std::optional<std::int64_t>(Secs(*t)) : std::nullopt;
}
inline std::optional<Instant> OptAt(std::optional<std::int64_t> s) {
  return s ? std::optional<Instant>(At(*s)) : std::nullopt;
}

}  // namespace soporte::storage::pg_internal
