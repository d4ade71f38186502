// Security ports: password hashing (argon2id) and random tokens with their stored hash.
// Implemented with libsodium in transport/security; fakes in tests. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace soporte::app {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  // An encoded hash (algorithm, parameters and salt included). kInternal when out of memory.
  // Costly (~0.1 s, 64 MiB): never call on an io thread.
  virtual Result<std::string> Hash(std::string_view password) const = 0;
  // True when `password` matches `encoded`. Costs as much as Hash.
  virtual bool Verify(std::string_view encoded, std::string_view password) const = 0;
};

class TokenService {
 public:
  virtual ~TokenService() = default;
  // A new unguessable token (≥ 256 bits of entropy), URL-safe text.
  virtual std::string NewToken() const = 0;
  // The value stored for a token (a one-way hash), so a stolen database grants no session.
  virtual std::string HashToken(std::string_view token) const = 0;
};

}  // namespace soporte::app
