// Users, sessions, API tokens and password reset links in memory: app::AccountRepository over the
// MemoryStore's state (memory_state.hpp). Same semantics as the SQLite one (the conformance suite
// checks both). Internal to storage/memory; used by one thread inside one Read or Write call.
#pragma once

#include "app/ports/account_repository.hpp"
#include "storage/memory/memory_state.hpp"

namespace soporte::storage::memory_internal {

class MemoryAccountRepository final : public app::AccountRepository {
 public:
  explicit MemoryAccountRepository(MemoryState& s) : s_(s) {}

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
  Result<bool> MarkApiTokenFirstUse(std::int64_t id, Instant at) override;
  Result<app::ApiTokenRecord> DeleteApiToken(std::int64_t id) override;
  Result<std::int64_t> DeleteUserApiTokens(UserId user) override;
  Status PutPasswordReset(const app::PasswordResetRecord& r) override;
  Status DeletePasswordReset(UserId user) override;

 private:
  MemoryState& s_;
};

}  // namespace soporte::storage::memory_internal
