// Logging in and out, and turning a session cookie or an API token into a Principal.
// Sessions live in the store (so any node can check them); tokens are stored only as hashes.
#pragma once

#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>

#include "app/accounts/login_throttle.hpp"
#include "app/accounts/principal.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct AuthOptions {
  Seconds session_lifetime{12 * 3600};
  // How long a checked session or token is trusted from memory before the store is asked again.
  // A logout on this node takes effect at once; a logout or a disabled user on another node
  // within this time. 0 disables the cache.
  Seconds cache_ttl{10};
  std::size_t cache_entries = 20000;
};

struct LoginResult {
  std::string session_token;  // goes into the cookie; never stored
  std::string csrf_token;     // the client echoes it in X-CSRF-Token on writes
  Instant expires_at;
  Principal principal;
};

struct Authenticated {
  Principal principal;
  std::string csrf_token;  // empty for API tokens (no cookie, no CSRF)
  bool via_session = false;
};

class AuthService {
 public:
  AuthService(Store& store, const PasswordHasher& hasher, const TokenService& tokens,
              LoginThrottle& throttle, const Clock& clock, AuthOptions options);

  // kUnauthenticated ("email or password is wrong", the same for an unknown email and a wrong
  // password), kResourceExhausted when throttled, kInvalidArgument for an empty field.
  // Costly (argon2id): call on a worker pool. Every attempt is appended to the audit log with
  // the email tried, `remote_address` and the outcome (a success in the session's transaction).
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            const std::string& remote_address);
  // Ends the session of `session_token`; Ok also when it no longer exists.
  Status Logout(std::string_view session_token);
  // kUnauthenticated when the session is unknown, expired, or its user is inactive.
  Result<Authenticated> FromSession(std::string_view session_token);
  // A token's first use (from `remote_address`) is recorded on it and in the audit log, once.
  Result<Authenticated> FromBearer(std::string_view api_token,
                                   const std::string& remote_address = "");
  // The same answers from memory only, without touching the store: the caller for a session
  // (`bearer` false) or token checked within cache_ttl, nullopt otherwise. Cheap (a hash and a
  // map lookup): safe on an io thread.
  std::optional<Authenticated> FromCache(std::string_view token, bool bearer) const;

  // Drops every remembered session and token of `user` (after its sessions were ended in the
  // store, e.g. by a password reset), so this node asks the store again at once.
  void ForgetUser(UserId user);

  // Creates an API token for the user with `email`; returns the token (shown once).
  Result<std::string> CreateApiToken(std::string_view email, std::string name);
  // The API tokens of the user with `email` (never the tokens themselves: only their ids, names
  // and when they were created and first used). kNotFound for an unknown email.
  Result<std::vector<ApiTokenRecord>> ListApiTokens(std::string_view email);
  // Revokes the token with `id` (the command line: the system acts); kNotFound when there is
  // none. A server that checked the token within AuthOptions::cache_ttl (10 s) keeps accepting
  // it until then (the command is another process: only its own cache is dropped).
  Status RevokeApiToken(std::int64_t id);

 private:
  Result<Principal> ActiveUser(ReadTx& tx, UserId id);
  // Appends a failed login of `account` (the user when known) from `remote_address` and why
  // ("locked", "unknown_email", "inactive", "no_password", "wrong_password") in its own write.
  void AuditLogin(const std::string& account, UserId user, const std::string& remote_address,
                  const char* why);
  void Remember(const std::string& key, const Authenticated& who, Instant expires_at);

  struct CacheEntry {
    Authenticated who;
    Instant fresh_until;
  };

  Store& store_;
  const PasswordHasher& hasher_;
  const TokenService& tokens_;
  LoginThrottle& throttle_;
  const Clock& clock_;
  AuthOptions options_;
  mutable std::mutex cache_mutex_;
  std::unordered_map<std::string, CacheEntry> cache_;  // key: "s:" or "b:" + token hash
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // verified against for unknown emails, so timing does not tell
};

}  // namespace soporte::app
