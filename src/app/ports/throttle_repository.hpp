// The throttle port: sliding windows of failures (failed logins, password reset requests) kept
// in the store, so that every node behind a load balancer counts the same attempts (a limiter
// in memory would give an attacker the allowance once per node). Reached as tx.throttle()
// inside a Store transaction (store.hpp). Implemented by storage/sqlite/throttle_repository.*
// (0027_throttle.sql), storage/postgres/throttle_repository.* (postgres/0007_throttle.sql) and
// storage/memory/memory_throttle_repository.*; the conformance suite checks all three.
//
// A key names one counter, e.g. "login.pair:" + account + '\n' + address; callers namespace
// their keys. Each key keeps at most the `keep` newest failures its writer asks for, and the
// prune job removes failures older than every window, so the rows stay bounded.
#pragma once

#include <cstddef>
#include <string>

#include "common/result.hpp"
#include "common/time.hpp"

namespace soporte::app {

// The longest key a throttle accepts (bytes): an email (254) and an address, with room to spare.
inline constexpr std::size_t kMaxThrottleKeyBytes = 512;

// A key's failures in a window.
struct ThrottleWindow {
  int count = 0;     // failures at or after the window's start
  Instant oldest{};  // the oldest of them; meaningful only when count > 0
};

// Reads; used by one thread inside one Read or Write call.
class ThrottleReader {
 public:
  virtual ~ThrottleReader() = default;

  // The failures of `key` at or after `since` (count 0 when none). kInvalidArgument for an
  // empty key or one longer than kMaxThrottleKeyBytes.
  virtual Result<ThrottleWindow> CountFailures(const std::string& key, Instant since) = 0;
};

class ThrottleRepository : public ThrottleReader {
 public:
  // Records a failure of `key` at `at`, then keeps only the key's `keep` newest failures (a
  // window that refuses past N failures never needs more than N). kInvalidArgument for a bad
  // key or keep < 1.
  virtual Status RecordFailure(const std::string& key, Instant at, int keep) = 0;
  // Forgets every failure of `key` (none is fine). kInvalidArgument for a bad key.
  virtual Status ClearFailures(const std::string& key) = 0;
  // Removes at most `limit` failures recorded before `before` (oldest first) and returns how
  // many it removed; the caller repeats while it gets `limit`. kInvalidArgument for limit < 1.
  virtual Result<int> PruneFailures(Instant before, int limit) = 0;
};

}  // namespace soporte::app
