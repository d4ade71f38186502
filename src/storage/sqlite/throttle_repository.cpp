#include "storage/sqlite/throttle_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {

Result<app::ThrottleWindow> SqliteThrottleRepository::CountFailures(const std::string& key,
                                                                    Instant since) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  SOPORTE_TRY(s, db_.Prepare("SELECT COUNT(*), MIN(at) FROM throttle_failures "
                             "WHERE key = ? AND at >= ?"));
  s.Bind(1, key).Bind(2, Secs(since));
  SOPORTE_TRY(row, s.Step());
  app::ThrottleWindow out;
  if (!row) return out;
  out.count = static_cast<int>(s.Int(0));
  if (out.count > 0) out.oldest = At(s.Int(1));
  return out;
}

Status SqliteThrottleRepository::RecordFailure(const std::string& key, Instant at, int keep) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  if (keep < 1) return Fail(ErrorCode::kInvalidArgument, "a throttle keeps at least 1 failure");
  {
    SOPORTE_TRY(s, db_.Prepare("INSERT INTO throttle_failures(key, at) VALUES (?, ?)"));
    s.Bind(1, key).Bind(2, Secs(at));
    SOPORTE_TRY_STATUS(s.Run());
  }
  SOPORTE_TRY(trim, db_.Prepare("DELETE FROM throttle_failures WHERE key = ?1 AND id NOT IN "
                                "(SELECT id FROM throttle_failures WHERE key = ?1 "
                                "ORDER BY at DESC, id DESC LIMIT ?2)"));
  trim.Bind(1, key).Bind(2, std::int64_t{keep});
  return trim.Run();
}

Status SqliteThrottleRepository::ClearFailures(const std::string& key) {
  SOPORTE_TRY_STATUS(ValidateThrottleKey(key));
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM throttle_failures WHERE key = ?"));
  s.Bind(1, key);
  return s.Run();
}

Result<int> SqliteThrottleRepository::PruneFailures(Instant before, int limit) {
  if (limit < 1) return Fail(ErrorCode::kInvalidArgument, "a prune removes at least 1 failure");
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM throttle_failures WHERE id IN "
                             "(SELECT id FROM throttle_failures WHERE at < ? "
                             "ORDER BY at, id LIMIT ?)"));
  s.Bind(1, Secs(before)).Bind(2, std::int64_t{limit});
  SOPORTE_TRY_STATUS(s.Run());
  return db_.Changes();
}

}  // namespace soporte::storage::sqlite_internal
