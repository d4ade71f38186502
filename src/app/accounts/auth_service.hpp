// Logging in and out, and turning a session cookie or an API token into a Principal.
// Sessions live in the store (so any node can check them); tokens are stored only as hashes.
#pragma once

#include <mutex>
#include <string>

#include "app/accounts/login_throttle.hpp"
#include "app/accounts/principal.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct AuthOptions {
  Seconds session_lifetime{12 * 3600};
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
  // Costly (argon2id): call on a worker pool.
  Result<LoginResult> Login(std::string_view email, std::string_view password,
                            const std::string& remote_address);
  // Ends the session of `session_token`; Ok also when it no longer exists.
  Status Logout(std::string_view session_token);
  // kUnauthenticated when the session is unknown, expired, or its user is inactive.
  Result<Authenticated> FromSession(std::string_view session_token);
  Result<Authenticated> FromBearer(std::string_view api_token);

  // Creates an API token for the user with `email`; returns the token (shown once).
  Result<std::string> CreateApiToken(std::string_view email, std::string name);

 private:
  Result<Principal> ActiveUser(ReadTx& tx, UserId id);

  Store& store_;
  const PasswordHasher& hasher_;
  const TokenService& tokens_;
  LoginThrottle& throttle_;
  const Clock& clock_;
  AuthOptions options_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // verified against for unknown emails, so timing does not tell
};

}  // namespace soporte::app
