#include "storage/sqlite/account_repository.hpp"

#include <string>

#include "storage/sqlite/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::sqlite_internal {
namespace {

constexpr const char* kUserCols =
    "id, email, name, role, org_id, password_hash, active, created_at, lang, org_admin";
Result<domain::User> ReadUser(const Stmt& s) {
  domain::User u;
  u.id = UserId{s.Int(0)};
  u.email = s.Text(1);
  u.name = s.Text(2);
  SOPORTE_TRY(role, Decode(domain::ParseRole(s.Text(3)), "role"));
  u.role = role;
  u.org_id = OrgId{s.IsNull(4) ? 0 : s.Int(4)};
  u.password_hash = s.Text(5);
  u.active = s.Int(6) != 0;
  u.created_at = At(s.Int(7));
  u.lang = s.Text(8);
  u.org_admin = s.Int(9) != 0;
  return u;
}

}  // namespace

Result<domain::User> SqliteAccountRepository::GetUser(UserId id) {
  static const std::string kSql = Sql({"SELECT ", kUserCols, " FROM users WHERE id = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, id.value());
  return One<domain::User>(s, ReadUser, "user " + std::to_string(id.value()));
}

Result<domain::User> SqliteAccountRepository::GetUserByEmail(const std::string& normalized_email) {
  static const std::string kSql = Sql({"SELECT ", kUserCols, " FROM users WHERE email = ?"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  s.Bind(1, normalized_email);
  return One<domain::User>(s, ReadUser, "user '" + normalized_email + "'");
}

Result<std::vector<domain::User>> SqliteAccountRepository::ListUsers(std::optional<OrgId> org) {
  if (org) {
    static const std::string kSql =
        Sql({"SELECT ", kUserCols, " FROM users WHERE org_id = ? ORDER BY id"});
    SOPORTE_TRY(s, db_.Prepare(kSql));
    s.Bind(1, org->value());
    return Collect<domain::User>(s, ReadUser);
  }
  static const std::string kSql = Sql({"SELECT ", kUserCols, " FROM users ORDER BY id"});
  SOPORTE_TRY(s, db_.Prepare(kSql));
  return Collect<domain::User>(s, ReadUser);
}

Result<app::SessionRecord> SqliteAccountRepository::GetSession(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("SELECT token_hash, user_id, csrf_token, created_at, expires_at "
                             "FROM sessions WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return One<app::SessionRecord>(
      s,
      [](const Stmt& r) {
        return app::SessionRecord{r.Text(0), UserId{r.Int(1)}, r.Text(2), At(r.Int(3)),
                                  At(r.Int(4))};
      },
      "session");
}

namespace {

app::ApiTokenRecord ReadApiToken(const Stmt& r) {
  app::ApiTokenRecord t{r.Int(0), r.Text(1), UserId{r.Int(2)}, r.Text(3), At(r.Int(4))};
  if (!r.IsNull(5)) t.first_used_at = At(r.Int(5));
  return t;
}

constexpr const char* kApiTokenColumns =
    "SELECT id, token_hash, user_id, name, created_at, first_used_at FROM api_tokens ";

}  // namespace

Result<app::ApiTokenRecord> SqliteAccountRepository::GetApiToken(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare(std::string(kApiTokenColumns) + "WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return One<app::ApiTokenRecord>(s, ReadApiToken, "API token");
}

Result<std::vector<app::ApiTokenRecord>> SqliteAccountRepository::ListUserApiTokens(UserId user) {
  SOPORTE_TRY(s, db_.Prepare(std::string(kApiTokenColumns) + "WHERE user_id = ? ORDER BY id"));
  s.Bind(1, user.value());
  return Collect<app::ApiTokenRecord>(s, ReadApiToken);
}

Result<app::PasswordResetRecord> SqliteAccountRepository::GetPasswordReset(
    const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("SELECT token_hash, user_id, created_at, expires_at "
                             "FROM password_resets WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return One<app::PasswordResetRecord>(
      s,
      [](const Stmt& r) {
        return app::PasswordResetRecord{r.Text(0), UserId{r.Int(1)}, At(r.Int(2)), At(r.Int(3))};
      },
      "password reset");
}

Result<domain::User> SqliteAccountRepository::InsertUser(domain::User u) {
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", u.org_id.value(), "organisation"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO users(email, name, role, org_id, password_hash, active, "
                             "created_at, lang, org_admin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, u.email)
      .Bind(2, u.name)
      .Bind(3, domain::RoleName(u.role))
      .BindOpt(4, OptId(u.org_id.value()))
      .Bind(5, u.password_hash)
      .Bind(6, std::int64_t{u.active ? 1 : 0})
      .Bind(7, Secs(u.created_at))
      .Bind(8, u.lang)
      .Bind(9, std::int64_t{u.org_admin ? 1 : 0});
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists)
      return tl::make_unexpected(UserEmailTaken(u.email));
    return tl::make_unexpected(st.error());
  }
  u.id = UserId{db_.LastInsertId()};
  return u;
}

Status SqliteAccountRepository::UpdateUser(const domain::User& in) {
  domain::User u = in;
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(db_, "orgs", u.org_id.value(), "organisation"));
  SOPORTE_TRY(
      s,
      db_.Prepare(
          "UPDATE users SET email = ?, name = ?, role = ?, org_id = ?, "
          "password_hash = ?, active = ?, created_at = ?, lang = ?, org_admin = ? WHERE id = ?"));
  s.Bind(1, u.email)
      .Bind(2, u.name)
      .Bind(3, domain::RoleName(u.role))
      .BindOpt(4, OptId(u.org_id.value()))
      .Bind(5, u.password_hash)
      .Bind(6, std::int64_t{u.active ? 1 : 0})
      .Bind(7, Secs(u.created_at))
      .Bind(8, u.lang)
      .Bind(9, std::int64_t{u.org_admin ? 1 : 0})
      .Bind(10, u.id.value());
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists)
      return tl::make_unexpected(UserEmailTaken(u.email));
    return tl::make_unexpected(st.error());
  }
  if (db_.Changes() == 0)
    return tl::make_unexpected(NotFound("user " + std::to_string(u.id.value())));
  return Ok();
}

Status SqliteAccountRepository::InsertSession(const app::SessionRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSession(r));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", r.user_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO sessions(token_hash, user_id, csrf_token, created_at, "
                             "expires_at) VALUES (?, ?, ?, ?, ?)"));
  s.Bind(1, r.token_hash)
      .Bind(2, r.user_id.value())
      .Bind(3, r.csrf_token)
      .Bind(4, Secs(r.created_at))
      .Bind(5, Secs(r.expires_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(SessionTaken());
    return st;
  }
  return Ok();
}

Status SqliteAccountRepository::DeleteSession(const std::string& token_hash) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sessions WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return s.Run();
}

Result<std::int64_t> SqliteAccountRepository::DeleteExpiredSessions(Instant now) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sessions WHERE expires_at < ?"));
  s.Bind(1, Secs(now));
  SOPORTE_TRY_STATUS(s.Run());
  return std::int64_t{db_.Changes()};
}

Result<std::int64_t> SqliteAccountRepository::DeleteUserSessions(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM sessions WHERE user_id = ?"));
  s.Bind(1, user.value());
  SOPORTE_TRY_STATUS(s.Run());
  return std::int64_t{db_.Changes()};
}

Result<app::ApiTokenRecord> SqliteAccountRepository::InsertApiToken(app::ApiTokenRecord t) {
  SOPORTE_TRY_STATUS(ValidateApiToken(t));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", t.user_id.value(), "user"));
  SOPORTE_TRY(s, db_.Prepare("INSERT INTO api_tokens(token_hash, user_id, name, created_at) "
                             "VALUES (?, ?, ?, ?)"));
  s.Bind(1, t.token_hash).Bind(2, t.user_id.value()).Bind(3, t.name).Bind(4, Secs(t.created_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists) return tl::make_unexpected(ApiTokenTaken());
    return tl::make_unexpected(st.error());
  }
  t.id = db_.LastInsertId();
  return t;
}

Result<std::int64_t> SqliteAccountRepository::DeleteUserApiTokens(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM api_tokens WHERE user_id = ?"));
  s.Bind(1, user.value());
  SOPORTE_TRY_STATUS(s.Run());
  return std::int64_t{db_.Changes()};
}

Result<bool> SqliteAccountRepository::MarkApiTokenFirstUse(std::int64_t id, Instant at) {
  SOPORTE_TRY(
      s, db_.Prepare(
             "UPDATE api_tokens SET first_used_at = ? WHERE id = ? AND first_used_at IS NULL"));
  s.Bind(1, Secs(at)).Bind(2, id);
  SOPORTE_TRY_STATUS(s.Run());
  if (db_.Changes() == 1) return true;
  SOPORTE_TRY(q, db_.Prepare("SELECT 1 FROM api_tokens WHERE id = ?"));
  q.Bind(1, id);
  SOPORTE_TRY(found, q.Step());
  if (!found) return Fail(ErrorCode::kNotFound, "no such API token");
  return false;
}

Result<app::ApiTokenRecord> SqliteAccountRepository::DeleteApiToken(std::int64_t id) {
  SOPORTE_TRY(q, db_.Prepare(std::string(kApiTokenColumns) + "WHERE id = ?"));
  q.Bind(1, id);
  SOPORTE_TRY(token, One<app::ApiTokenRecord>(q, ReadApiToken, "API token"));
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM api_tokens WHERE id = ?"));
  s.Bind(1, id);
  SOPORTE_TRY_STATUS(s.Run());
  return token;
}

Status SqliteAccountRepository::PutPasswordReset(const app::PasswordResetRecord& r) {
  SOPORTE_TRY_STATUS(ValidatePasswordReset(r));
  SOPORTE_TRY_STATUS(CheckExists(db_, "users", r.user_id.value(), "user"));
  // One live link per user: the newer one replaces the older (user_id is the primary key).
  SOPORTE_TRY(
      s, db_.Prepare("INSERT INTO password_resets(user_id, token_hash, created_at, expires_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET "
                     "token_hash = excluded.token_hash, created_at = excluded.created_at, "
                     "expires_at = excluded.expires_at"));
  s.Bind(1, r.user_id.value())
      .Bind(2, r.token_hash)
      .Bind(3, Secs(r.created_at))
      .Bind(4, Secs(r.expires_at));
  if (auto st = s.Run(); !st) {
    if (st.error().code == ErrorCode::kAlreadyExists)
      return tl::make_unexpected(PasswordResetTaken());
    return st;
  }
  return Ok();
}

Status SqliteAccountRepository::DeletePasswordReset(UserId user) {
  SOPORTE_TRY(s, db_.Prepare("DELETE FROM password_resets WHERE user_id = ?"));
  s.Bind(1, user.value());
  return s.Run();
}

}  // namespace soporte::storage::sqlite_internal
