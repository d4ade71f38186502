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

// A secret box for use-case tests: "seals" by XOR with the key byte and hex, binds the context
// through the nonce, and refuses other keys and contexts as the real one does. Not secure; the
// real box is tested in test/unit/transport/security.
class XorSecretBox final : public SecretBox {
 public:
  explicit XorSecretBox(char key) : key_(key) {}
  std::string KeyId() const override { return std::string("xor-") + key_; }
  Result<SealedValue> Seal(std::string_view plaintext, std::string_view context) const override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (char c : plaintext) {
      const auto b = static_cast<unsigned char>(c ^ key_);
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
    return SealedValue{KeyId(), std::string(context), out};
  }
  Result<std::string> Open(const SealedValue& v, std::string_view context) const override {
    if (v.key_id != KeyId() || v.nonce != context) {
      return Fail(ErrorCode::kFailedPrecondition, "does not open under key " + KeyId());
    }
    std::string out;
    for (std::size_t i = 0; i + 1 < v.ciphertext.size(); i += 2) {
      out.push_back(static_cast<char>(std::stoi(v.ciphertext.substr(i, 2), nullptr, 16) ^ key_));
    }
    return out;
  }

 private:
  char key_;
};

}  // namespace soporte::app::testing
