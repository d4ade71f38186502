// Throttles password guessing without handing anyone a lockout: failures are counted per
// (account, client address) pair and per client address in a sliding window; past a limit, the
// pair (or the address) waits until its oldest failure leaves the window (kResourceExhausted with
// the real wait). An account is never refused as such: the right password from an address that
// has not been failing always gets in, so nobody can lock an admin out by failing on purpose.
// Guessing one account from many addresses is bounded by the per-pair limit times the number
// of addresses, and slowed by argon2id. Behind a proxy the client address is the one the trusted
// proxy reports (serve --trusted-proxy), so one office is not one address.
// In memory, per node (a cluster multiplies the allowance by its node count; a shared limiter
// can implement the same class later). Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace soporte::app {

struct ThrottleLimits {
  int per_pair = 5;      // failures of one account from one address in the window
  int per_address = 20;  // failures from one client address, whatever the accounts
  Seconds window{15 * 60};
  std::size_t max_keys = 100000;  // memory bound: past it, the stalest keys are forgotten
};

// The key of an (account, client address) pair in a throttle's map: neither part can hold a
// newline (normalized emails, IP addresses), so it is unambiguous. Password reset uses it too.
std::string ThrottlePairKey(const std::string& account, const std::string& address);

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleLimits limits);

  // Ok when an attempt for (account, address) may proceed; kResourceExhausted saying how many
  // seconds to wait otherwise (in the message and in Error::retry_after).
  Status Check(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  // A successful login clears the pair's failures (not the address's).
  void RecordSuccess(const std::string& account, const std::string& address);

 private:
  using Failures = std::deque<Instant>;
  void Prune(Failures& f, Instant now) const;
  // Seconds until `f` drops below `limit` entries, 0 when it already is.
  long long WaitFor(Failures& f, int limit, Instant now) const;
  void Add(std::unordered_map<std::string, Failures>& map, const std::string& key, Instant now);

  const Clock& clock_;
  ThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_pair_;  // key: account, '\n', address
  std::unordered_map<std::string, Failures> by_address_;
};

}  // namespace soporte::app
