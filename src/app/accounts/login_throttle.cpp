#include "app/accounts/login_throttle.hpp"

#include <algorithm>
#include <string>

namespace soporte::app {
namespace {

std::string PairKey(const std::string& account, const std::string& address) {
  std::string key = "login.pair:";
  key += ThrottlePairKey(account, address);
  return key;
}

std::string AddressKey(const std::string& address) {
  std::string key = "login.address:";
  key += address;
  return key;
}

}  // namespace

std::string ThrottlePairKey(const std::string& account, const std::string& address) {
  std::string key;
  key.reserve(account.size() + 1 + address.size());
  key += account;
  key += '\n';
  key += address;
  return key;
}

Error Throttled(const std::string& what, Seconds wait, const char* reason) {
  return Error{ErrorCode::kResourceExhausted,
               what + "; try again in " + std::to_string(wait.count()) + " s", wait, reason};
}

Seconds WaitFor(const ThrottleWindow& w, int limit, Seconds window, Instant now) {
  if (w.count < limit) return Seconds{0};
  // The attempt may go ahead once the oldest failure of the window has left it (the key keeps
  // at most `limit` failures, so the oldest is the limit-th newest).
  return std::max(Seconds{1}, w.oldest + window - now);
}

LoginThrottle::LoginThrottle(Store& store, const Clock& clock, ThrottleLimits limits)
    : store_(store), clock_(clock), limits_(limits) {}

Status LoginThrottle::Check(const std::string& account, const std::string& address) {
  const Instant now = clock_.Now();
  const Instant since = now - limits_.window + Seconds{1};  // a failure `window` old has left
  Seconds wait{0};
  SOPORTE_TRY_STATUS(store_.Read([&](ReadTx& tx) -> Status {
    SOPORTE_TRY(pair, tx.throttle().CountFailures(PairKey(account, address), since));
    SOPORTE_TRY(from, tx.throttle().CountFailures(AddressKey(address), since));
    wait = std::max(WaitFor(pair, limits_.per_pair, limits_.window, now),
                    WaitFor(from, limits_.per_address, limits_.window, now));
    return Ok();
  }));
  if (wait > Seconds{0}) {
    return tl::make_unexpected(Throttled("too many failed logins", wait, "too_many_attempts"));
  }
  return Ok();
}

Status LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  const Instant now = clock_.Now();
  return store_.Write([&](WriteTx& tx) -> Status {
    SOPORTE_TRY_STATUS(
        tx.throttle().RecordFailure(PairKey(account, address), now, limits_.per_pair));
    return tx.throttle().RecordFailure(AddressKey(address), now, limits_.per_address);
  });
}

Status LoginThrottle::RecordSuccess(WriteTx& tx, const std::string& account,
                                    const std::string& address) {
  return tx.throttle().ClearFailures(PairKey(account, address));
}

Result<int> PruneThrottleWindows(Store& store, const Clock& clock, Seconds keep_for, int batch,
                                 int max_batches) {
  const Instant before = clock.Now() - keep_for;
  int total = 0;
  for (int i = 0; i < max_batches; ++i) {
    SOPORTE_TRY(n, WriteValue(store, [&](WriteTx& tx) {
                  return tx.throttle().PruneFailures(before, batch);
                }));
    total += n;
    if (n < batch) break;
  }
  return total;
}

}  // namespace soporte::app
