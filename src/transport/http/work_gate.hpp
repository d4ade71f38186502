// WorkGate: admission for costly work (a profile import or export with secrets derives a key
// with argon2id: about a second and up to 256 MiB). At most `capacity` such jobs are running or
// waiting at once, and each user holds at most one: past either bound the request is refused at
// once (429 with Retry-After) instead of queueing without limit, so one account cannot stall the
// logins that share the machine. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_set>

namespace soporte::transport::http {

class WorkGate {
 public:
  explicit WorkGate(std::size_t capacity) : capacity_(capacity) {}

  // Held while the job runs (or waits for its pool); leaving frees the place.
  class Pass {
   public:
    Pass(Pass&& other) noexcept : gate_(other.gate_), who_(other.who_) { other.gate_ = nullptr; }
    Pass& operator=(Pass&&) = delete;
    ~Pass() {
      if (gate_ != nullptr) gate_->Leave(who_);
    }

   private:
    friend class WorkGate;
    Pass(WorkGate* gate, std::int64_t who) : gate_(gate), who_(who) {}
    WorkGate* gate_;
    std::int64_t who_;
  };

  // A pass for user `who`, or nullopt when the gate is full or `who` already holds one.
  std::optional<Pass> TryEnter(std::int64_t who) {
    std::lock_guard lock(mu_);
    if (holders_.size() >= capacity_ || holders_.contains(who)) return std::nullopt;
    holders_.insert(who);
    return Pass(this, who);
  }

  std::size_t held() const {
    std::lock_guard lock(mu_);
    return holders_.size();
  }

 private:
  void Leave(std::int64_t who) {
    std::lock_guard lock(mu_);
    holders_.erase(who);
  }

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_set<std::int64_t> holders_;
};

}  // namespace soporte::transport::http
