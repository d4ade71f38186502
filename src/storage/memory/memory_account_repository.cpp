#include "storage/memory/memory_account_repository.hpp"

#include <string>

#include "storage/validate.hpp"

namespace soporte::storage::memory_internal {

Result<domain::User> MemoryAccountRepository::GetUser(UserId id) {
  return Find(s_.users, id.value(), "user " + std::to_string(id.value()));
}

Result<domain::User> MemoryAccountRepository::GetUserByEmail(const std::string& normalized_email) {
  for (const auto& [id, u] : s_.users) {
    if (u.email == normalized_email) return u;
  }
  return tl::make_unexpected(NotFound("user '" + normalized_email + "'"));
}

Result<std::vector<domain::User>> MemoryAccountRepository::ListUsers(std::optional<OrgId> org) {
  std::vector<domain::User> out;
  for (const auto& [id, u] : s_.users) {
    if (!org || u.org_id == *org) out.push_back(u);
  }
  return out;
}

Result<app::SessionRecord> MemoryAccountRepository::GetSession(const std::string& token_hash) {
  auto it = s_.sessions.find(token_hash);
  if (it == s_.sessions.end()) return tl::make_unexpected(NotFound("session"));
  return it->second;
}

Result<app::ApiTokenRecord> MemoryAccountRepository::GetApiToken(const std::string& token_hash) {
  for (const auto& [id, t] : s_.api_tokens) {
    if (t.token_hash == token_hash) return t;
  }
  return tl::make_unexpected(NotFound("API token"));
}

Result<std::vector<app::ApiTokenRecord>> MemoryAccountRepository::ListUserApiTokens(UserId user) {
  std::vector<app::ApiTokenRecord> out;
  for (const auto& [id, t] : s_.api_tokens) {
    if (t.user_id == user) out.push_back(t);
  }
  return out;
}

Result<app::PasswordResetRecord> MemoryAccountRepository::GetPasswordReset(
    const std::string& token_hash) {
  for (const auto& [user, r] : s_.password_resets) {
    if (r.token_hash == token_hash) return r;
  }
  return tl::make_unexpected(NotFound("password reset"));
}

Result<domain::User> MemoryAccountRepository::InsertUser(domain::User u) {
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.orgs, u.org_id.value(), "organisation"));
  if (GetUserByEmail(u.email)) return tl::make_unexpected(UserEmailTaken(u.email));
  u.id = UserId{s_.next_user++};
  s_.users[u.id.value()] = u;
  return u;
}

Status MemoryAccountRepository::UpdateUser(const domain::User& in) {
  domain::User u = in;
  SOPORTE_TRY_STATUS(NormalizeUser(u));
  if (u.org_id.valid()) SOPORTE_TRY_STATUS(CheckExists(s_.orgs, u.org_id.value(), "organisation"));
  // An absent user is kNotFound whatever its email, as the SQL stores (their UPDATE matches no
  // row before any unique index is consulted).
  auto it = s_.users.find(u.id.value());
  if (it == s_.users.end())
    return tl::make_unexpected(NotFound("user " + std::to_string(u.id.value())));
  if (auto other = GetUserByEmail(u.email); other && other->id != u.id) {
    return tl::make_unexpected(UserEmailTaken(u.email));
  }
  it->second = u;
  return Ok();
}

Status MemoryAccountRepository::InsertSession(const app::SessionRecord& r) {
  SOPORTE_TRY_STATUS(ValidateSession(r));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, r.user_id.value(), "user"));
  if (s_.sessions.count(r.token_hash)) return tl::make_unexpected(SessionTaken());
  s_.sessions[r.token_hash] = r;
  return Ok();
}

Status MemoryAccountRepository::DeleteSession(const std::string& token_hash) {
  s_.sessions.erase(token_hash);
  return Ok();
}

Result<std::int64_t> MemoryAccountRepository::DeleteExpiredSessions(Instant now) {
  return static_cast<std::int64_t>(
      std::erase_if(s_.sessions, [&](const auto& kv) { return kv.second.expires_at < now; }));
}

Result<std::int64_t> MemoryAccountRepository::DeleteUserSessions(UserId user) {
  return static_cast<std::int64_t>(
      std::erase_if(s_.sessions, [&](const auto& kv) { return kv.second.user_id == user; }));
}

Result<app::ApiTokenRecord> MemoryAccountRepository::InsertApiToken(app::ApiTokenRecord t) {
  SOPORTE_TRY_STATUS(ValidateApiToken(t));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, t.user_id.value(), "user"));
  if (GetApiToken(t.token_hash)) return tl::make_unexpected(ApiTokenTaken());
  t.id = s_.next_api_token++;
  s_.api_tokens[t.id] = t;
  return t;
}

Result<std::int64_t> MemoryAccountRepository::DeleteUserApiTokens(UserId user) {
  return static_cast<std::int64_t>(
      std::erase_if(s_.api_tokens, [&](const auto& kv) { return kv.second.user_id == user; }));
}

Result<bool> MemoryAccountRepository::MarkApiTokenFirstUse(std::int64_t id, Instant at) {
  auto it = s_.api_tokens.find(id);
  if (it == s_.api_tokens.end()) return tl::make_unexpected(NotFound("API token"));
  if (it->second.first_used_at) return false;
  it->second.first_used_at = at;
  return true;
}

Result<app::ApiTokenRecord> MemoryAccountRepository::DeleteApiToken(std::int64_t id) {
  auto it = s_.api_tokens.find(id);
  if (it == s_.api_tokens.end()) return tl::make_unexpected(NotFound("API token"));
  app::ApiTokenRecord token = it->second;
  s_.api_tokens.erase(it);
  return token;
}

Status MemoryAccountRepository::PutPasswordReset(const app::PasswordResetRecord& r) {
  SOPORTE_TRY_STATUS(ValidatePasswordReset(r));
  SOPORTE_TRY_STATUS(CheckExists(s_.users, r.user_id.value(), "user"));
  for (const auto& [user, other] : s_.password_resets) {
    if (user != r.user_id.value() && other.token_hash == r.token_hash) {
      return tl::make_unexpected(PasswordResetTaken());
    }
  }
  s_.password_resets[r.user_id.value()] = r;
  return Ok();
}

Status MemoryAccountRepository::DeletePasswordReset(UserId user) {
  s_.password_resets.erase(user.value());
  return Ok();
}

}  // namespace soporte::storage::memory_internal
