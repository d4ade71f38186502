#include "storage/postgres/account_repository.hpp"

#include <string>

#include "storage/postgres/rows.hpp"
#include "storage/validate.hpp"

namespace soporte::storage::pg_internal {
namespace {

constexpr const char* kUserSelect =
    "SELECT id, email, name, role, org_id, password_hash, active, created_at, lang, org_admin "
    "FROM users ";
Result<domain::User> UserFrom(const PgRows& r, int i) {
  domain::User u;
  u.id = UserId{r.Int(i, 0)};
  u.email = r.Text(i, 1);
  u.name = r.Text(i, 2);
  SOPORTE_TRY(role, Decode(domain::ParseRole(r.Text(i, 3)), "role"));
  u.role = role;
  u.org_id = OrgId{IdOrZero(r, i, 4)};
  u.password_hash = r.Text(i, 5);
  u.active = r.Bool(i, 6);
  u.created_at = At(r.Int(i, 7));
  u.lang = r.Text(i, 8);
  u.org_admin = r.Bool(i, 9);
  return u;
}

constexpr const char* kApiTokenCols = "id, token_hash, user_id, name, created_at, first_used_at";
app::ApiTokenRecord ApiTokenFrom(const PgRows& r, int i) {
  return app::ApiTokenRecord{r.Int(i, 0),  r.Text(i, 1),    UserId{r.Int(i, 2)},
                             r.Text(i, 3), At(r.Int(i, 4)), OptAt(r.OptInt(i, 5))};
}

// The users' columns bound in the order of InsertUser's and UpdateUser's statements ($1..$9).
PgParams UserParams(const domain::User& u) {
  PgParams p;
  p.Add(u.email)
      .Add(u.name)
      .Add(domain::RoleName(u.role))
      .AddOpt(OptId(u.org_id.value()))
      .Add(u.password_hash)
      .Add(u.active)
      .Add(Secs(u.created_at))
      .Add(u.lang)
      .Add(u.org_admin);
  return p;
}

}  // namespace

Result<std::vector<domain::User>> PgAccountRepository::Users(const std::string& sql,
                                                             const PgParams& p) {
  SOPORTE_TRY(rows, conn_.Query(sql, p));
  std::vector<domain::User> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    SOPORTE_TRY(u, UserFrom(rows, i));
    out.push_back(std::move(u));
  }
  return out;
}

Result<domain::User> PgAccountRepository::GetUser(UserId id) {
  PgParams p;
  p.Add(id.value());
  SOPORTE_TRY(users, Users(std::string(kUserSelect) + "WHERE id = $1", p));
  if (users.empty()) return tl::make_unexpected(NotFound("user " + std::to_string(id.value())));
  return std::move(users.front());
}

Result<domain::User> PgAccountRepository::GetUserByEmail(const std::string& normalized_email) {
  PgParams p;
  p.Add(normalized_email);
  SOPORTE_TRY(users, Users(std::string(kUserSelect) + "WHERE email = $1", p));
  if (users.empty()) return tl::make_unexpected(NotFound("user '" + normalized_email + "'"));
  return std::move(users.front());
}

Result<std::vector<domain::User>> PgAccountRepository::ListUsers(std::optional<OrgId> org) {
  if (org) {
    PgParams p;
    p.Add(org->value());
    return Users(std::string(kUserSelect) + "WHERE org_id = $1 ORDER BY id", p);
  }
  return Users(std::string(kUserSelect) + "ORDER BY id", {});
}

Result<app::SessionRecord> PgAccountRepository::GetSession(const std::string& token_hash) {
  PgParams p;
  p.Add(token_hash);
  SOPORTE_TRY(rows, conn_.Query("SELECT token_hash, user_id, csrf_token, created_at, expires_at "
                                "FROM sessions WHERE token_hash = $1",
                                p));
  if (rows.empty()) return tl::make_unexpected(NotFound("session"));
  return app::SessionRecord{rows.Text(0, 0), UserId{rows.Int(0, 1)}, rows.Text(0, 2),
                            At(rows.Int(0, 3)), At(rows.Int(0, 4))};
}

Result<app::ApiTokenRecord> PgAccountRepository::GetApiToken(const std::string& token_hash) {
  static const std::string kSql =
      std::string("SELECT ") + kApiTokenCols + " FROM api_tokens WHERE token_hash = $1";
  PgParams p;
  p.Add(token_hash);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return tl::make_unexpected(NotFound("API token"));
  return ApiTokenFrom(rows, 0);
}

Result<std::vector<app::ApiTokenRecord>> PgAccountRepository::ListUserApiTokens(UserId user) {
  static const std::string kSql =
      std::string("SELECT ") + kApiTokenCols + " FROM api_tokens WHERE user_id = $1 ORDER BY id";
  PgParams p;
  p.Add(user.value());
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  std::vector<app::ApiTokenRecord> out;
  out.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) out.push_back(ApiTokenFrom(rows, i));
  return out;
}

Result<app::PasswordResetRecord> PgAccountRepository::GetPasswordReset(
    const std::string& token_hash) {
  PgParams p;
  p.Add(token_hash);
  SOPORTE_TRY(rows, conn_.Query("SELECT token_hash, user_id, created_at, expires_at "
                                "FROM password_resets WHERE token_hash = $1",
                                p));
  if (rows.empty()) return tl::make_unexpected(NotFound("password reset"));
  return app::PasswordResetRecord{rows.Text(0, 0), UserId{rows.Int(0, 1)}, At(rows.Int(0, 2)),
                                  At(rows.Int(0, 3))};
}

Result<domain::User> PgAccountRepository::InsertUser(domain::User u) {
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", u.org_id.value(), "organisation"));
  // A taken email inserts nothing (no failed statement, so the transaction goes on).
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO users(email, name, role, org_id, password_hash, "
                                "active, created_at, lang, org_admin) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                                "ON CONFLICT (email) DO NOTHING RETURNING id",
                                UserParams(u)));
  if (rows.empty()) return tl::make_unexpected(UserEmailTaken(u.email));
  u.id = UserId{rows.Int(0, 0)};
  return u;
}

Status PgAccountRepository::UpdateUser(const domain::User& in) {
  domain::User u = in;
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid())
    SOPORTE_TRY_STATUS(CheckExists(conn_, "orgs", u.org_id.value(), "organisation"));
  PgParams p = UserParams(u);
  p.Add(u.id.value());
  // Updates nothing when another user has the email (read in the same statement, so no unique
  // violation aborts the transaction); which refusal it was is told apart below, in SQLite's
  // order: an absent user is kNotFound whatever the email.
  SOPORTE_TRY(rows, conn_.Query("UPDATE users SET email = $1, name = $2, role = $3, org_id = $4, "
                                "password_hash = $5, active = $6, created_at = $7, lang = $8, "
                                "org_admin = $9 WHERE id = $10 AND NOT EXISTS (SELECT 1 FROM "
                                "users o WHERE o.email = $1 AND o.id <> $10) RETURNING id",
                                p));
  if (!rows.empty()) return Ok();
  PgParams id;
  id.Add(u.id.value());
  SOPORTE_TRY(found, conn_.Query("SELECT 1 FROM users WHERE id = $1", id));
  if (found.empty()) return tl::make_unexpected(NotFound("user " + std::to_string(u.id.value())));
  return tl::make_unexpected(UserEmailTaken(u.email));
}

Status PgAccountRepository::InsertSession(const app::SessionRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSession(r));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", r.user_id.value(), "user"));
  PgParams p;
  p.Add(r.token_hash)
      .Add(r.user_id.value())
      .Add(r.csrf_token)
      .Add(Secs(r.created_at))
      .Add(Secs(r.expires_at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO sessions(token_hash, user_id, csrf_token, "
                                "created_at, expires_at) VALUES ($1, $2, $3, $4, $5) "
                                "ON CONFLICT (token_hash) DO NOTHING",
                                p));
  if (rows.affected() == 0) return tl::make_unexpected(SessionTaken());
  return Ok();
}

Status PgAccountRepository::DeleteSession(const std::string& token_hash) {
  PgParams p;
  p.Add(token_hash);
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM sessions WHERE token_hash = $1", p));
  return Ok();
}

Result<std::int64_t> PgAccountRepository::DeleteExpiredSessions(Instant now) {
  PgParams p;
  p.Add(Secs(now));
  SOPORTE_TRY(rows, conn_.Query("DELETE FROM sessions WHERE expires_at < $1", p));
  return rows.affected();
}

Result<std::int64_t> PgAccountRepository::DeleteUserSessions(UserId user) {
  PgParams p;
  p.Add(user.value());
  SOPORTE_TRY(rows, conn_.Query("DELETE FROM sessions WHERE user_id = $1", p));
  return rows.affected();
}

Result<app::ApiTokenRecord> PgAccountRepository::InsertApiToken(app::ApiTokenRecord t) {
  SOPORTE_TRY_STATUS(ValidateApiToken(t));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", t.user_id.value(), "user"));
  PgParams p;
  p.Add(t.token_hash).Add(t.user_id.value()).Add(t.name).Add(Secs(t.created_at));
  SOPORTE_TRY(rows, conn_.Query("INSERT INTO api_tokens(token_hash, user_id, name, created_at) "
                                "VALUES ($1, $2, $3, $4) "
                                "ON CONFLICT (token_hash) DO NOTHING RETURNING id",
                                p));
  if (rows.empty()) return tl::make_unexpected(ApiTokenTaken());
  t.id = rows.Int(0, 0);
  return t;
}

Result<std::int64_t> PgAccountRepository::DeleteUserApiTokens(UserId user) {
  PgParams p;
  p.Add(user.value());
  SOPORTE_TRY(rows, conn_.Query("DELETE FROM api_tokens WHERE user_id = $1", p));
  return rows.affected();
}

Result<bool> PgAccountRepository::MarkApiTokenFirstUse(std::int64_t id, Instant at) {
  PgParams p;
  p.Add(Secs(at)).Add(id);
  // Conditional: of concurrent callers on any node, one updates the row; the others wait for
  // its commit and then find first_used_at set (or are retried after a serialisation failure).
  SOPORTE_TRY(rows, conn_.Query("UPDATE api_tokens SET first_used_at = $1 "
                                "WHERE id = $2 AND first_used_at IS NULL",
                                p));
  if (rows.affected() == 1) return true;
  PgParams q;
  q.Add(id);
  SOPORTE_TRY(found, conn_.Query("SELECT 1 FROM api_tokens WHERE id = $1", q));
  if (found.empty()) return Fail(ErrorCode::kNotFound, "no such API token");
  return false;
}

Result<app::ApiTokenRecord> PgAccountRepository::DeleteApiToken(std::int64_t id) {
  static const std::string kSql =
      std::string("DELETE FROM api_tokens WHERE id = $1 RETURNING ") + kApiTokenCols;
  PgParams p;
  p.Add(id);
  SOPORTE_TRY(rows, conn_.Query(kSql, p));
  if (rows.empty()) return tl::make_unexpected(NotFound("API token"));
  return ApiTokenFrom(rows, 0);
}

Status PgAccountRepository::PutPasswordReset(const app::PasswordResetRecord& r) {
  SOPORTE_TRY_STATUS(ValidatePasswordReset(r));
  SOPORTE_TRY_STATUS(CheckExists(conn_, "users", r.user_id.value(), "user"));
  // Another user's link with this hash would break the unique token_hash inside the upsert
  // (aborting the transaction): read first.
  PgParams q;
  q.Add(r.token_hash).Add(r.user_id.value());
  SOPORTE_TRY(
      clash,
      conn_.Query("SELECT 1 FROM password_resets WHERE token_hash = $1 AND user_id <> $2", q));
  if (!clash.empty()) return tl::make_unexpected(PasswordResetTaken());
  // One live link per user: the newer one replaces the older (user_id is the primary key).
  PgParams p;
  p.Add(r.user_id.value()).Add(r.token_hash).Add(Secs(r.created_at)).Add(Secs(r.expires_at));
  SOPORTE_TRY_STATUS(
      conn_.Query("INSERT INTO password_resets(user_id, token_hash, created_at, expires_at) "
                  "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET "
                  "token_hash = excluded.token_hash, created_at = excluded.created_at, "
                  "expires_at = excluded.expires_at",
                  p));
  return Ok();
}

Status PgAccountRepository::DeletePasswordReset(UserId user) {
  PgParams p;
  p.Add(user.value());
  SOPORTE_TRY_STATUS(conn_.Query("DELETE FROM password_resets WHERE user_id = $1", p));
  return Ok();
}

}  // namespace soporte::storage::pg_internal
