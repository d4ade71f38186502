#include "app/accounts/login_throttle.hpp"

#include <string>

namespace soporte::app {
std::string ThrottlePairKey(const std::string& account, const std::string& address) {
  std::string key;
  key.reserve(account.size() + 1 + address.size());
  key += account;
  key += '\n';
  key += address;
  return key;
}

LoginThrottle::LoginThrottle(const Clock& clock, ThrottleLimits limits)
    : clock_(clock), limits_(limits) {}

void LoginThrottle::Prune(Failures& f, Instant now) const {
  while (!f.empty() && f.front() + limits_.window <= now) f.pop_front();
}

long long LoginThrottle::WaitFor(Failures& f, int limit, Instant now) const {
  Prune(f, now);
  if (static_cast<int>(f.size()) < limit) return 0;
  // The attempt may go ahead once enough old failures have left the window.
  const Instant free_at = f[f.size() - static_cast<std::size_t>(limit)] + limits_.window;
  return (free_at - now).count();
}

Status LoginThrottle::Check(const std::string& account, const std::string& address) {
  const Instant now = clock_.Now();
  std::lock_guard lock(mutex_);
  long long wait = 0;
  if (auto it = by_pair_.find(ThrottlePairKey(account, address)); it != by_pair_.end()) {
    wait = std::max(wait, WaitFor(it->second, limits_.per_pair, now));
  }
  if (auto it = by_address_.find(address); it != by_address_.end()) {
    wait = std::max(wait, WaitFor(it->second, limits_.per_address, now));
  }
  if (wait > 0) {
    return tl::make_unexpected(
        Error{ErrorCode::kResourceExhausted,
              "too many failed logins; try again in " + std::to_string(wait) + " s", Seconds{wait},
              "too_many_attempts"});
  }
  return Ok();
}

void LoginThrottle::Add(std::unordered_map<std::string, Failures>& map, const std::string& key,
                        Instant now) {
  if (map.size() >= limits_.max_keys && !map.contains(key)) {
    // Forget keys whose failures have all left the window; if none, the whole map (a flood of
    // distinct keys must not grow memory without bound).
    for (auto& kv : map) Prune(kv.second, now);
    std::erase_if(map, [](const auto& kv) { return kv.second.empty(); });
    if (map.size() >= limits_.max_keys) map.clear();
  }
  Failures& f = map[key];
  Prune(f, now);
  f.push_back(now);
  // Never keep more than the largest limit needs.
  const std::size_t cap = static_cast<std::size_t>(std::max(limits_.per_pair, limits_.per_address));
  while (f.size() > cap) f.pop_front();
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  const Instant now = clock_.Now();
  std::lock_guard lock(mutex_);
  Add(by_pair_, ThrottlePairKey(account, address), now);
  Add(by_address_, address, now);
}

void LoginThrottle::RecordSuccess(const std::string& account, const std::string& address) {
  std::lock_guard lock(mutex_);
  by_pair_.erase(ThrottlePairKey(account, address));
}

}  // namespace soporte::app
