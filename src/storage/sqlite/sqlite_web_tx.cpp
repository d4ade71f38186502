// The SQL of the web UI's rows (0003_web.sql): password reset links and the stored contact
// settings. Part of SqliteTx (sqlite_tx.hpp).
#include <string>

#include "storage/sqlite/sqlite_tx.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
Instant At(std::int64_t s) { return Instant{Seconds{s}}; }

}  // namespace

Result<app::PasswordResetRecord> SqliteTx::GetPasswordReset(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("SELECT token_hash, user_id, created_at, expires_at "
                             "FROM password_resets WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  SOPORTE_TRY(row, s.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "password reset not found");
  return app::PasswordResetRecord{s.Text(0), UserId{s.Int(1)}, At(s.Int(2)), At(s.Int(3))};
}

Result<std::vector<app::SettingRecord>> SqliteTx::ListSettings() {
  SOPORTE_TRY(s, db_.Prepare("SELECT key, value, updated_at FROM settings ORDER BY key"));
  std::vector<app::SettingRecord> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out.push_back(app::SettingRecord{s.Text(0), s.Text(1), At(s.Int(2))});
  }
}

Status SqliteTx::PutPasswordReset(const app::PasswordResetRecord& r) {
  SOPORTE_TRY_STATUS(ValidatePasswordReset(r));
  SOPORTE_TRY_STATUS(CheckExists("users", r.user_id.value(), "user"));
  // One live link per user: the newer one replaces the older (user_id is the primary key).
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO password_resets(user_id, token_hash, created_at, expires_at) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
                             "token_hash = excluded.token_hash, created_at = excluded.created_at, "
                             "expires_at = excluded.expires_at"));
  s.Bind(1, r.user_id.value()).Bind(2, r.token_hash).Bind(3, Secs(r.created_at)).Bind(4, Secs(r.expires_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(PasswordResetTaken());
    return st;
  }
  return Ok();
}

Status SqliteTx::DeletePasswordReset(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM password_resets WHERE user_id = ?"));
  s.Bind(1, user.value());
  return s.Run();
}

Result<std::int64_t> SqliteTx::DeleteUserSessions(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sessions WHERE user_id = ?"));
  s.Bind(1, user.value());
  SOPORTE_TRY_STATUS(s.Run());
  return std::int64_t{db_.Changes()};
}

Status SqliteTx::PutSetting(const app::SettingRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSetting(r));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                             "updated_at = excluded.updated_at"));
  s.Bind(1, r.key).Bind(2, r.value).Bind(3, Secs(r.updated_at));
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
