#include "app/accounts/auth_service.hpp"

#include <algorithm>

#include "app/audit/audit_log.hpp"

namespace soporte::app {
namespace {

Error WrongCredentials() {
  return WithReason(Error{ErrorCode::kUnauthenticated, "email or password is wrong"},
                    "bad_credentials");
}

}  // namespace

AuthService::AuthService(Store& store, const PasswordHasher& hasher, const TokenService& tokens,
                         LoginThrottle& throttle, const Clock& clock, AuthOptions options)
    : store_(store), hasher_(hasher), tokens_(tokens), throttle_(throttle), clock_(clock),
      options_(options) {}

Result<Principal> AuthService::ActiveUser(ReadTx& tx, UserId id) {
  auto user = tx.accounts().GetUser(id);
  if (!user) {
    if (user.error().code == ErrorCode::kNotFound) return tl::make_unexpected(WrongCredentials());
    return tl::make_unexpected(user.error());
  }
  if (!user->active) {
    return tl::make_unexpected(WithReason(
        Error{ErrorCode::kUnauthenticated, "the account is disabled"}, "account_disabled"));
  }
  return PrincipalOf(*user);
}

Result<LoginResult> AuthService::Login(std::string_view email, std::string_view password,
                                       const std::string& remote_address) {
  if (email.empty()) return Fail(ErrorCode::kInvalidArgument, "email is required");
  if (password.empty()) return Fail(ErrorCode::kInvalidArgument, "password is required");
  auto normalized = domain::NormalizeEmail(email);
  const std::string account = normalized ? *normalized : std::string(email);
  if (auto throttled = throttle_.Check(account, remote_address); !throttled) {
    if (throttled.error().code == ErrorCode::kResourceExhausted)
      AuditLogin(account, UserId{}, remote_address, "locked");
    return tl::make_unexpected(throttled.error());
  }

  auto user =
      normalized
          ? ReadValue(store_, [&](ReadTx& tx) { return tx.accounts().GetUserByEmail(account); })
          : Result<domain::User>(Fail(ErrorCode::kNotFound, "no such user"));
  if (!user && user.error().code != ErrorCode::kNotFound) return tl::make_unexpected(user.error());
  bool ok = false;
  if (user && user->active && !user->password_hash.empty()) {
    ok = hasher_.Verify(user->password_hash, password);
  } else {
    // Spend the same time as a real verification so a caller cannot tell unknown emails apart.
    std::call_once(dummy_once_, [&] {
      if (auto h = hasher_.Hash("not-a-password")) dummy_hash_ = *h;
    });
    if (!dummy_hash_.empty()) (void)hasher_.Verify(dummy_hash_, password);
  }
  if (!ok) {
    // Counted before answering: a store that cannot count the failure refuses the attempt.
    SOPORTE_TRY_STATUS(throttle_.RecordFailure(account, remote_address));
    const char* why = !user                         ? "unknown_email"
                      : !user->active               ? "inactive"
                      : user->password_hash.empty() ? "no_password"
                                                    : "wrong_password";
    AuditLogin(account, user ? user->id : UserId{}, remote_address, why);
    return tl::make_unexpected(WrongCredentials());
  }

  const Instant now = clock_.Now();
  LoginResult out;
  out.session_token = tokens_.NewToken();
  out.csrf_token = tokens_.NewToken();
  out.expires_at = now + options_.session_lifetime;
  out.principal = PrincipalOf(*user);
  SessionRecord record{tokens_.HashToken(out.session_token), user->id, out.csrf_token, now,
                       out.expires_at};
  SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) -> Status {
    // Housekeeping rides along with logins: expired sessions are removed here.
    SOPORTE_TRY_STATUS(tx.accounts().DeleteExpiredSessions(now));
    SOPORTE_TRY_STATUS(tx.accounts().InsertSession(record));
    SOPORTE_TRY_STATUS(throttle_.RecordSuccess(tx, account, remote_address));
    Principal actor = out.principal;
    actor.address = remote_address;
    return AppendAudit(tx, actor, now, AuditSubject{"login", user->id.value(), account}, "login",
                       "", "ok");
  }));
  return out;
}

void AuthService::AuditLogin(const std::string& account, UserId user,
                             const std::string& remote_address, const char* why) {
  // A failed login changes nothing: its entry is its own small write. Only the email tried and
  // the reason are kept (never the password). Best effort: the caller's answer stays the same.
  // Nobody proved who they are: the entry has no actor; the account tried is its subject.
  Principal actor;
  actor.address = remote_address;
  const AuditSubject subject{"login", user.value(), account.substr(0, 320)};
  (void)store_.Write(
      [&](WriteTx& tx) { return AppendAudit(tx, actor, clock_.Now(), subject, "login", "", why); });
}

void AuthService::Remember(const std::string& key, const Authenticated& who, Instant expires_at) {
  if (options_.cache_ttl.count() <= 0) return;
  const Instant fresh_until = std::min(clock_.Now() + options_.cache_ttl, expires_at);
  std::lock_guard lock(cache_mutex_);
  if (cache_.size() >= options_.cache_entries) cache_.clear();  // bounded; refills on demand
  cache_[key] = CacheEntry{who, fresh_until};
}

std::optional<Authenticated> AuthService::FromCache(std::string_view token, bool bearer) const {
  if (options_.cache_ttl.count() <= 0 || token.empty()) return std::nullopt;
  const std::string key = (bearer ? "b:" : "s:") + tokens_.HashToken(token);
  const Instant now = clock_.Now();
  std::lock_guard lock(cache_mutex_);
  auto it = cache_.find(key);
  if (it == cache_.end() || it->second.fresh_until <= now) return std::nullopt;
  return it->second.who;
}

void AuthService::ForgetUser(UserId user) {
  std::lock_guard lock(cache_mutex_);
  std::erase_if(cache_, [&](const auto& kv) { return kv.second.who.principal.user_id == user; });
}

Status AuthService::Logout(std::string_view session_token) {
  const std::string hash = tokens_.HashToken(session_token);
  {
    std::lock_guard lock(cache_mutex_);
    cache_.erase("s:" + hash);
  }
  return store_.Write([&](WriteTx& tx) { return tx.accounts().DeleteSession(hash); });
}

Result<Authenticated> AuthService::FromSession(std::string_view session_token) {
  if (session_token.empty()) {
    return FailField(ErrorCode::kUnauthenticated, "", "session_expired", "not logged in");
  }
  const std::string hash = tokens_.HashToken(session_token);
  const Instant now = clock_.Now();
  return ReadValue(store_, [&](ReadTx& tx) -> Result<Authenticated> {
    auto session = tx.accounts().GetSession(hash);
    if (!session) {
      if (session.error().code == ErrorCode::kNotFound) {
        return FailField(ErrorCode::kUnauthenticated, "", "session_expired",
                         "the session has ended; log in again");
      }
      return tl::make_unexpected(session.error());
    }
    if (session->expires_at <= now) {
      return FailField(ErrorCode::kUnauthenticated, "", "session_expired",
                       "the session has expired; log in again");
    }
    SOPORTE_TRY(principal, ActiveUser(tx, session->user_id));
    Authenticated who{std::move(principal), session->csrf_token, true};
    Remember("s:" + hash, who, session->expires_at);
    return who;
  });
}

Result<Authenticated> AuthService::FromBearer(std::string_view api_token,
                                              const std::string& remote_address) {
  if (api_token.empty()) {
    return FailField(ErrorCode::kUnauthenticated, "", "bad_token", "empty bearer token");
  }
  const std::string hash = tokens_.HashToken(api_token);
  std::optional<ApiTokenRecord> unused;  // a token never used before this request
  auto who = ReadValue(store_, [&](ReadTx& tx) -> Result<Authenticated> {
    auto token = tx.accounts().GetApiToken(hash);
    if (!token) {
      if (token.error().code == ErrorCode::kNotFound) {
        return FailField(ErrorCode::kUnauthenticated, "", "bad_token",
                         "the API token is not valid");
      }
      return tl::make_unexpected(token.error());
    }
    SOPORTE_TRY(principal, ActiveUser(tx, token->user_id));
    if (!token->first_used_at) unused = *token;
    return Authenticated{std::move(principal), "", false};
  });
  if (!who) return who;
  if (unused) {
    // Recorded by whichever request wins the conditional update; if the store is away now, the
    // request still goes on and the next one (not served from the cache) records it.
    Principal actor = who->principal;
    actor.address = remote_address;
    const Instant now = clock_.Now();
    auto recorded = store_.Write([&](WriteTx& tx) -> Status {
      auto first = tx.accounts().MarkApiTokenFirstUse(unused->id, now);
      if (!first && first.error().code == ErrorCode::kNotFound) {
        // Revoked between the read above and this write: the request is not let through.
        return FailField(ErrorCode::kUnauthenticated, "", "bad_token",
                         "the API token is not valid");
      }
      if (!first) return tl::make_unexpected(first.error());
      if (!*first) return Ok();  // recorded by another request
      return AppendAudit(tx, actor, now, AuditSubject{"token", actor.user_id.value(), actor.name},
                         "first_used", "", unused->name);
    });
    if (!recorded) {
      if (recorded.error().code == ErrorCode::kUnauthenticated)
        return tl::make_unexpected(recorded.error());
      return who;
    }
  }
  Remember("b:" + hash, *who, Instant::max());
  return who;
}

Result<std::string> AuthService::CreateApiToken(std::string_view email, std::string name) {
  SOPORTE_TRY(normalized, domain::NormalizeEmail(email));
  const std::string token = tokens_.NewToken();
  const Instant now = clock_.Now();
  SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) -> Status {
    auto user = tx.accounts().GetUserByEmail(normalized);
    if (!user) {
      if (user.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no user with email " + normalized);
      }
      return tl::make_unexpected(user.error());
    }
    ApiTokenRecord record{0, tokens_.HashToken(token), user->id, name, now};
    SOPORTE_TRY_STATUS(tx.accounts().InsertApiToken(std::move(record)));
    // The command line creates tokens: the system acts. The token's name, never the token.
    return AppendAudit(tx, SystemPrincipal(), now,
                       AuditSubject{"token", user->id.value(), user->name}, "created", "", name);
  }));
  return token;
}

Result<std::vector<ApiTokenRecord>> AuthService::ListApiTokens(std::string_view email) {
  SOPORTE_TRY(normalized, domain::NormalizeEmail(email));
  return ReadValue(store_, [&](ReadTx& tx) -> Result<std::vector<ApiTokenRecord>> {
    auto user = tx.accounts().GetUserByEmail(normalized);
    if (!user) {
      if (user.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no user with email " + normalized);
      }
      return tl::make_unexpected(user.error());
    }
    SOPORTE_TRY(tokens, tx.accounts().ListUserApiTokens(user->id));
    for (auto& t : tokens) t.token_hash.clear();  // never leaves the store's callers
    return tokens;
  });
}

Status AuthService::RevokeApiToken(std::int64_t id) {
  const Instant now = clock_.Now();
  UserId owner;
  SOPORTE_TRY_STATUS(store_.Write([&](WriteTx& tx) -> Status {
    auto token = tx.accounts().DeleteApiToken(id);
    if (!token) {
      if (token.error().code == ErrorCode::kNotFound) {
        return Fail(ErrorCode::kNotFound, "no API token with id " + std::to_string(id));
      }
      return tl::make_unexpected(token.error());
    }
    SOPORTE_TRY(user, tx.accounts().GetUser(token->user_id));
    owner = user.id;
    return AppendAudit(tx, SystemPrincipal(), now,
                       AuditSubject{"token", user.id.value(), user.name}, "revoked", token->name,
                       "");
  }));
  ForgetUser(owner);
  return Ok();
}

}  // namespace soporte::app
