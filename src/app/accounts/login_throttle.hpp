// Throttles password guessing without handing anyone a lockout: failures are counted per
// (account, client address) pair and per client address in a sliding window; past a limit, the
// pair (or the address) waits until its oldest failure leaves the window (kResourceExhausted with
// the real wait). An account is never refused as such: the right password from an address that
// has not been failing always gets in, so nobody can lock an admin out by failing on purpose.
// Guessing one account from many addresses is bounded by the per-pair limit times the number
// of addresses, and slowed by argon2id. Behind a proxy the client address is the one the trusted
// proxy reports (serve --trusted-proxy), so one office is not one address.
// The windows live in the store (tx.throttle(), app/ports/throttle_repository.hpp), so every
// node on one database counts the same failures: N nodes do not give N times the allowance.
// A check is one read transaction; a failure one write; a success rides in the login's own
// write. Old failures go in the throttle-prune job (PruneThrottleWindows). Thread-safe.
#pragma once

#include <string>

#include "app/ports/store.hpp"
#include "common/clock.hpp"
#include "common/result.hpp"

namespace soporte::app {

struct ThrottleLimits {
  int per_pair = 5;      // failures of one account from one address in the window
  int per_address = 20;  // failures from one client address, whatever the accounts
  Seconds window{15 * 60};
};

// The key of an (account, client address) pair: neither part can hold a newline (normalized
// emails, IP addresses), so it is unambiguous. Password reset uses it too.
std::string ThrottlePairKey(const std::string& account, const std::string& address);

// The kResourceExhausted error of a throttle that refuses for `wait` (message, retry_after and
// the reason `reason` for clients).
Error Throttled(const std::string& what, Seconds wait, const char* reason);

// Seconds until `w` (the failures of a key in the window ending now) drops below `limit`; 0 when
// it already is. Exact while the key keeps at most `limit` failures (RecordFailure's `keep`).
Seconds WaitFor(const ThrottleWindow& w, int limit, Seconds window, Instant now);

class LoginThrottle {
 public:
  LoginThrottle(Store& store, const Clock& clock, ThrottleLimits limits);

  // Ok when an attempt for (account, address) may proceed; kResourceExhausted saying how many
  // seconds to wait otherwise (in the message and in Error::retry_after). One read transaction;
  // a store error (kUnavailable…) is returned as is.
  Status Check(const std::string& account, const std::string& address);
  // Counts a failure of the pair and of the address: one write transaction.
  Status RecordFailure(const std::string& account, const std::string& address);
  // A successful login clears the pair's failures (not the address's), inside the login's own
  // write transaction `tx` (no commit of its own).
  Status RecordSuccess(WriteTx& tx, const std::string& account, const std::string& address);

  // The window failures count in (the prune job keeps at least this much).
  Seconds window() const { return limits_.window; }

 private:
  Store& store_;
  const Clock& clock_;
  ThrottleLimits limits_;
};

// Removes stored throttle failures older than `keep_for` (the longest window of every
// throttle), `batch` rows per write transaction, at most `max_batches` transactions a call, so a
// run is bounded; the next run goes on. Returns how many rows went, or the store's error.
Result<int> PruneThrottleWindows(Store& store, const Clock& clock, Seconds keep_for,
                                 int batch = 1000, int max_batches = 10);

}  // namespace soporte::app
