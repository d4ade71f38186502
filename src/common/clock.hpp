// The Clock port: the only way code outside main/ learns the current time. SystemClock reads the
// machine's clock; FakeClock is for tests (set or advance by hand). Both are thread-safe.
#pragma once

#include <atomic>
#include <chrono>

#include "common/time.hpp"

namespace soporte {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant, UTC, truncated to the second. Thread-safe.
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start.time_since_epoch().count()) {}
  Instant Now() const override { return Instant{Seconds{now_.load()}}; }
  void Set(Instant t) { now_.store(t.time_since_epoch().count()); }
  void Advance(Seconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_;
};

}  // namespace soporte
