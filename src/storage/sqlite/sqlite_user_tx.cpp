// The SQL of user accounts after creation (0007_user_events.sql): a user's append-only history
// and ending a deactivated user's API tokens. Part of SqliteTx (sqlite_tx.hpp).
#include <string>

#include "storage/sqlite/sqlite_tx.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

std::int64_t Secs(Instant t) { return t.time_since_epoch().count(); }
Instant At(std::int64_t s) { return Instant{Seconds{s}}; }
std::optional<std::int64_t> OptId(std::int64_t v) {
  return v > 0 ? std::optional<std::int64_t>(v) : std::nullopt;
}

}  // namespace

Result<std::vector<app::UserEventRecord>> SqliteTx::ListUserEvents(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("SELECT id, user_id, actor_id, at, field, before, after "
                             "FROM user_events WHERE user_id = ? ORDER BY id"));
  s.Bind(1, user.value());
  std::vector<app::UserEventRecord> out;
  while (true) {
    SOPORTE_TRY(row, s.Step());
    if (!row) return out;
    out.push_back(app::UserEventRecord{s.Int(0), UserId{s.Int(1)}, UserId{s.IsNull(2) ? 0 : s.Int(2)},
                                       At(s.Int(3)), s.Text(4), s.Text(5), s.Text(6)});
  }
}

Result<std::int64_t> SqliteTx::DeleteUserApiTokens(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM api_tokens WHERE user_id = ?"));
  s.Bind(1, user.value());
  SOPORTE_TRY_STATUS(s.Run());
  return std::int64_t{db_.Changes()};
}

Status SqliteTx::AppendUserEvent(app::UserEventRecord e) {
  SOPORTE_TRY_STATUS(ValidateUserEvent(e));
  SOPORTE_TRY_STATUS(CheckExists("users", e.user_id.value(), "user"));
  if (e.actor_id.valid()) SOPORTE_TRY_STATUS(CheckExists("users", e.actor_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO user_events(user_id, actor_id, at, field, before, after) "
                             "VALUES (?, ?, ?, ?, ?, ?)"));
  s.Bind(1, e.user_id.value())
      .BindOpt(2, OptId(e.actor_id.value()))
      .Bind(3, Secs(e.at))
      .Bind(4, e.field)
      .Bind(5, e.before)
      .Bind(6, e.after);
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
