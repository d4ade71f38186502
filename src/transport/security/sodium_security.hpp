// libsodium implementations of the security ports: argon2id password hashes (interactive
// limits: ~0.1 s and 64 MiB each) and random session/API tokens stored as SHA-256 hashes.
#pragma once

#include "app/ports/security.hpp"
#include "common/result.hpp"

namespace soporte::transport::security {

// Initialises libsodium; call once before using the classes below. kInternal when it fails.
Status InitSodium();

class Argon2PasswordHasher final : public app::PasswordHasher {
 public:
  // `fast_for_tests` uses libsodium's minimum cost: only for test fixtures, never in serve.
  explicit Argon2PasswordHasher(bool fast_for_tests = false) : fast_(fast_for_tests) {}
  Result<std::string> Hash(std::string_view password) const override;
  bool Verify(std::string_view encoded, std::string_view password) const override;

 private:
  bool fast_;
};

class SodiumTokenService final : public app::TokenService {
 public:
  std::string NewToken() const override;       // 32 random bytes, base64url without padding
  std::string HashToken(std::string_view token) const override;  // SHA-256, lower-case hex
};

}  // namespace soporte::transport::security
