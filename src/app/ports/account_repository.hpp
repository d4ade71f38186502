// The accounts port: users, browser sessions, API tokens and password reset links. Reached as
// tx.accounts() inside a Store transaction (store.hpp). A user's history is in
// audit_repository.hpp. Implemented by storage/sqlite/account_repository.* and
// storage/memory/memory_account_repository.*.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/ids.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "domain/account/account.hpp"

namespace soporte::app {

// A browser session: the cookie carries a random token; the store keeps only its hash.
struct SessionRecord {
  std::string token_hash;
  UserId user_id;
  std::string csrf_token;
  Instant created_at;
  Instant expires_at;
};

// A long-lived API token for integrations (Authorization: Bearer). Only its hash is stored.
struct ApiTokenRecord {
  std::int64_t id = 0;
  std::string token_hash;
  UserId user_id;
  std::string name;
  Instant created_at;
  // The first request it authenticated (0018_api_token_use.sql); nullopt while never used.
  std::optional<Instant> first_used_at;
};

// A password reset link (0003_web.sql): only the token's hash is stored. A user has at most one
// live link: a newer request replaces it, and using it removes it.
struct PasswordResetRecord {
  std::string token_hash;
  UserId user_id;
  Instant created_at;
  Instant expires_at;
};

// Reads; used by one thread inside one Read or Write call.
class AccountReader {
 public:
  virtual ~AccountReader() = default;

  // kNotFound when absent. GetUserByEmail takes the normalised (lower-case, trimmed) address.
  virtual Result<domain::User> GetUser(UserId id) = 0;
  virtual Result<domain::User> GetUserByEmail(const std::string& normalized_email) = 0;
  // Every user, or those of one organisation, by id (empty when none).
  virtual Result<std::vector<domain::User>> ListUsers(std::optional<OrgId> org) = 0;

  // The session / API token with this token hash; kNotFound when absent. Expiry is the
  // caller's to check: an expired session is returned until DeleteExpiredSessions removes it.
  virtual Result<SessionRecord> GetSession(const std::string& token_hash) = 0;
  virtual Result<ApiTokenRecord> GetApiToken(const std::string& token_hash) = 0;
  // The user's API tokens, oldest first.
  virtual Result<std::vector<ApiTokenRecord>> ListUserApiTokens(UserId user) = 0;

  // The live reset link with this token hash; kNotFound when none (never issued, replaced, used).
  virtual Result<PasswordResetRecord> GetPasswordReset(const std::string& token_hash) = 0;
};

class AccountRepository : public AccountReader {
 public:
  // Returns the stored user (email normalised) with its new id. kInvalidArgument for an invalid
  // one; kAlreadyExists when the email is taken; a missing organisation is a MissingReference
  // (kFailedPrecondition).
  virtual Result<domain::User> InsertUser(domain::User u) = 0;
  // Writes every field of user u.id. Same refusals as InsertUser; kNotFound when absent.
  virtual Status UpdateUser(const domain::User& u) = 0;

  // kInvalidArgument for an invalid record; kAlreadyExists when the token hash is taken; a
  // missing user is a MissingReference (kFailedPrecondition).
  virtual Status InsertSession(const SessionRecord& s) = 0;
  // Ok also when there is no such session.
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Removes sessions that expired before `now`; returns how many.
  virtual Result<std::int64_t> DeleteExpiredSessions(Instant now) = 0;
  // Ends every session of the user; returns how many.
  virtual Result<std::int64_t> DeleteUserSessions(UserId user) = 0;

  // Returns the token with its new id. Same refusals as InsertSession.
  virtual Result<ApiTokenRecord> InsertApiToken(ApiTokenRecord t) = 0;
  // Removes every API token of the user (a deactivated account's integrations end); returns how
  // many.
  virtual Result<std::int64_t> DeleteUserApiTokens(UserId user) = 0;
  // Records the token's first use at `at` unless one is recorded: true when this call recorded
  // it (exactly one caller wins, whichever node or thread), false when it was already recorded.
  // kNotFound when there is no such token.
  virtual Result<bool> MarkApiTokenFirstUse(std::int64_t id, Instant at) = 0;
  // Removes one token (revoked) and returns what it was; kNotFound when there is no such token.
  virtual Result<ApiTokenRecord> DeleteApiToken(std::int64_t id) = 0;

  // Stores the user's reset link, replacing any earlier one of the same user. kInvalidArgument
  // for an invalid record; kAlreadyExists when another user's link has this token hash; a
  // missing user is a MissingReference (kFailedPrecondition).
  virtual Status PutPasswordReset(const PasswordResetRecord& r) = 0;
  // Removes the user's reset link (Ok when there is none).
  virtual Status DeletePasswordReset(UserId user) = 0;
};

}  // namespace soporte::app
