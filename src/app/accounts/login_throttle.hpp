// Throttles password guessing: failed logins are counted per account and per client address in
// a sliding window; past the limit, further attempts are refused (kResourceExhausted) until the
// oldest failure leaves the window. In memory, per node (a cluster multiplies the allowance by
// its node count; a shared limiter can implement the same class later). Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/result.hpp"

namespace soporte::app {

struct ThrottleLimits {
  int per_account = 5;    // failures per account in the window
  int per_address = 20;   // failures per client address in the window
  Seconds window{15 * 60};
  std::size_t max_keys = 100000;  // memory bound: past it, the stalest keys are forgotten
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleLimits limits);

  // Ok when an attempt for (account, address) may proceed; kResourceExhausted saying how many
  // seconds to wait otherwise (in the message and in Error::retry_after).
  Status Check(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  // A successful login clears the account's failures (not the address's).
  void RecordSuccess(const std::string& account);

 private:
  using Failures = std::deque<Instant>;
  void Prune(Failures& f, Instant now) const;
  // Seconds until `f` drops below `limit` entries, 0 when it already is.
  long long WaitFor(Failures& f, int limit, Instant now) const;
  void Add(std::unordered_map<std::string, Failures>& map, const std::string& key, Instant now);

  const Clock& clock_;
  ThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Failures> by_account_;
  std::unordered_map<std::string, Failures> by_address_;
};

}  // namespace soporte::app
