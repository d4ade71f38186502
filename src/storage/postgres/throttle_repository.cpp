#include "storage/postgres/throttle_repository.hpp"

#include <string>

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {

Result<app::ThrottleWindow> PgThrottleRepository::CountFailures(const std::string& key,
                                                                Instant since) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  PgParams p;
  p.Add(key).Add(Secs(since));
  SOPORTE_TRY(rows, conn_.Query("SELECT COUNT(*), MIN(at) FROM throttle_failures "
                                "WHERE key = $1 AND at >= $2",
                                p));
  app::ThrottleWindow out;
  if (rows.size() == 0) return out;
  out.count = static_cast<int>(rows.Int(0, 0));
  if (out.count > 0) out.oldest = At(rows.Int(0, 1));
  return out;
}

Status PgThrottleRepository::RecordFailure(const std::string& key, Instant at, int keep) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  if (keep < 1) return Fail(ErrorCode::kInvalidArgument, "a throttle keeps at least 1 failure");
  PgParams p;
  p.Add(key).Add(Secs(at));
  SOPORTE_TRY_STATUS(conn_.Query("INSERT INTO throttle_failures(key, at) VALUES ($1, $2)", p));
  PgParams t;
  t.Add(key).Add(std::int64_t{keep});
  SOPORTE_TRY_STATUS(
      conn_.Query("DELETE FROM throttle_failures WHERE key = $1 AND id NOT IN "
                  "(SELECT id FROM throttle_failures WHERE key = $1 "
                  "ORDER BY at DESC, id DESC LIMIT $2)",
                  t));
  return Ok();
}

Status PgThrottleRepository::ClearFailures(const std::string& key) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  PgParams p;
  p.Add(key);
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM throttle_failures WHERE key = $1", p));
  return Ok();
}

Result<int> PgThrottleRepository::PruneFailures(Instant before, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "a prune removes at least 1 failure");
  PgParams p;
  p.Add(Secs(before)).Add(std::int64_t{limit});
  SOPORTE_TRY(rows, conn_.Query("DELETE FROM throttle_failures WHERE id IN "
                                "(SELECT id FROM throttle_failures WHERE at < $1 "
                                "ORDER BY at, id LIMIT $2)",
                                p));
  return static_cast<int>(rows.affected());
}

}  // namespace soporte::storage::pg_internal
