// Users, sessions, API tokens and password reset links in PostgreSQL (users, sessions,
// api_tokens, password_resets; postgres/0002_orgs_accounts_calendars.sql): app::AccountRepository
// on one connection already inside a transaction, with the semantics of
// storage/sqlite/account_repository.*. Internal to storage/postgres.
#pragma once

#include "app/ports/account_repository.hpp"
#include "storage/postgres/pg_conn.hpp"

namespace soporte::storage::pg_internal {

class PgAccountRepository final : public app::AccountRepository {
 public:
  explicit PgAccountRepository(PgConn& conn) : conn_(conn) {}

  Result<domain::User> GetUser(UserId id) override;
  Result<domain::User> GetUserByEmail(const std::string& normalized_email) override;
  Result<std::vector<domain::User>> ListUsers(std::optional<OrgId> org) override;
  Result<app::SessionRecord> GetSession(const std::string& token_hash) override;
  Result<app::ApiTokenRecord> GetApiToken(const std::string& token_hash) override;
  Result<std::vector<app::ApiTokenRecord>> ListUserApiTokens(UserId user) override;
  Result<app::PasswordResetRecord> GetPasswordReset(const std::string& token_hash) override;

  Result<domain::User> InsertUser(domain::User u) override;
  Status UpdateUser(const domain::User& u) override;
  Status InsertSession(const app::SessionRecord& s) override;
  Status DeleteSession(const std::string& token_hash) override;
  Result<std::int64_t> DeleteExpiredSessions(Instant now) override;
  Result<std::int64_t> DeleteUserSessions(UserId user) override;
  Result<app::ApiTokenRecord> InsertApiToken(app::ApiTokenRecord t) override;
  Result<std::int64_t> DeleteUserApiTokens(UserId user) override;
  Result<bool> MarkApiTokenFirstUse(std::int64_t id, Instant at) override;
  Result<app::ApiTokenRecord> DeleteApiToken(std::int64_t id) override;
  Status PutPasswordReset(const app::PasswordResetRecord& r) override;
  Status DeletePasswordReset(UserId user) override;

 private:
  Result<std::vector<domain::User>> Users(const std::string& sql, const PgParams& p);
  PgConn& conn_;
};

}  // namespace soporte::storage::pg_internal
