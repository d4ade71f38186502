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

namespace soporte::app {

// A secret as stored: sealed by the key named `key_id`. Text fields (base64), so a row never
// holds the plaintext in any encoding.
struct SealedValue {
  std::string key_id;
  std::string nonce;
  std::string ciphertext;
};

// Seals secrets at rest (passwords and keys of a customer's profile) under one key kept outside
// the database. `context` binds a value to where it is stored (organisation, entry, field): a
// sealed value copied to another row does not open there. Implemented with libsodium's
// XChaCha20-Poly1305 in transport/security. Thread-safe; the key never leaves the object.
class SecretBox {
 public:
  virtual ~SecretBox() = default;
  // A short public name of the key (a hash of it, never the key): stored with each value.
  virtual std::string KeyId() const = 0;
  // A fresh random nonce per call. kInternal only when the library fails.
  virtual Result<SealedValue> Seal(std::string_view plaintext, std::string_view context) const = 0;
  // The plaintext. kFailedPrecondition when `v` was sealed under another key (its key_id) or
  // does not authenticate under this key and context (a wrong key file or a tampered row).
  virtual Result<std::string> Open(const SealedValue& v, std::string_view context) const = 0;
};

}  // namespace soporte::app
