// Test doubles for the app layer's ports: a password hasher that is instant and a token service
// with predictable tokens, and an event bus that records what was published.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "app/ports/event_bus.hpp"
#include "app/ports/security.hpp"

namespace soporte::app::testing {

class PlainHasher final : public PasswordHasher {
 public:
  Result<std::string> Hash(std::string_view p) const override { return "plain$" + std::string(p); }
  bool Verify(std::string_view encoded, std::string_view p) const override {
    return encoded == "plain$" + std::string(p);
  }
};

class CountingTokens final : public TokenService {
 public:
  std::string NewToken() const override {
    std::lock_guard lock(mutex_);
    return "tok" + std::to_string(++n_);
  }
  std::string HashToken(std::string_view t) const override { return "h:" + std::string(t); }

 private:
  mutable std::mutex mutex_;
  mutable int n_ = 0;
};

class RecordingBus final : public EventBus {
 public:
  void Publish(const TicketChanged& e) override {
    std::lock_guard lock(mutex_);
    events.push_back(e);
  }
  std::mutex mutex_;
  std::vector<TicketChanged> events;
};

}  // namespace soporte::app::testing
