// Forgotten passwords: a customer or agent asks for a link by email and sets a new password with
// it. The answer to a request never tells whether the address has an account (no enumeration);
// requests are throttled like logins, so that nobody can use the throttle to keep a person from
// their own reset: per client address (refused), per (account, address) pair (silently no mail),
// and per account only at a high bound that stops mail-bombing (silently no mail). The
// token is random, only its hash is stored, it expires after `link_lifetime`, works once, and a
// newer request replaces it. Setting the password ends every session of the user. The mail goes
// through the outbox in the same transaction as the stored link. The throttles' windows live in
// the store (tx.throttle()), counted and written in that same transaction, so every node on one
// database shares them. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "app/accounts/auth_service.hpp"
#include "app/ports/mail.hpp"
#include "app/ports/security.hpp"
#include "app/ports/store.hpp"
#include "common/clock.hpp"

namespace soporte::app {

struct PasswordResetOptions {
  Seconds link_lifetime{3600};
  Seconds window{3600};           // the throttles' sliding window
  int per_pair = 3;      // links mailed to one account for one address per window; more dropped
  int per_account = 30;  // links mailed to one account per window, all addresses; more dropped
  int per_address = 10;  // requests from one client address per window; more are refused
  std::string support_address = "soporte@example.com";
  std::string default_lang = "es";
};

class PasswordResetService {
 public:
  PasswordResetService(Store& store, const PasswordHasher& hasher, const TokenService& tokens,
                       const MailRenderer& renderer, AuthService& auth, const Clock& clock,
                       PasswordResetOptions options = {});

  // Mails a reset link to the account with `email`, if there is an active one, whose link is
  // `portal_base` + "#/reset?token=…" in `lang` ("es"/"en"; "" = default). Ok whether or not the
  // account exists. kInvalidArgument when `email` is not an address or `portal_base` is not an
  // http(s) URL; kResourceExhausted (retry later) when `remote_address` asked too often.
  Status Request(std::string_view email, const std::string& remote_address,
                 const std::string& portal_base, const std::string& lang);

  // Sets the password of the link's user, removes the link and ends all the user's sessions.
  // kInvalidArgument for a password we do not accept (ValidatePassword) or an empty token;
  // kFailedPrecondition when the link is unknown, used, replaced or expired. Costly (argon2id).
  Status Confirm(std::string_view token, std::string_view password);

  // The throttles' window (the prune job keeps at least this much).
  Seconds window() const { return options_.window; }

 private:
  // True (and records the hit in `tx`) when `key` is below `limit` hits in the window.
  Result<bool> Allow(WriteTx& tx, const std::string& key, int limit, Instant now);

  Store& store_;
  const PasswordHasher& hasher_;
  const TokenService& tokens_;
  const MailRenderer& renderer_;
  AuthService& auth_;
  const Clock& clock_;
  PasswordResetOptions options_;
};

}  // namespace soporte::app
