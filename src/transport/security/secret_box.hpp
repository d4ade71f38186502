// The SecretBox port with libsodium: XChaCha20-Poly1305 (IETF AEAD; 24-byte random nonces, so
// no counter to keep) under a 32-byte key read from a file outside the database
// (DATA/secret.key). The file must be exactly 32 bytes and readable by its owner only; anything
// else is refused with a message saying how to fix it, before the server starts.
#pragma once

#include <array>
#include <memory>
#include <string>

#include "app/ports/security.hpp"
#include "common/result.hpp"

namespace soporte::transport::security {

inline constexpr std::size_t kSecretKeyBytes = 32;

// Creates `path` with a new random key, mode 0600 (O_EXCL: never overwrites); fsyncs it.
// kAlreadyExists when the file exists; kUnavailable when it cannot be written.
Status CreateKeyFile(const std::string& path);

class SodiumSecretBox final : public app::SecretBox {
 public:
  // Reads the key file. kFailedPrecondition, naming the file and the fix, when it is missing,
  // not a regular file, readable or writable by group or others, or not exactly 32 bytes.
  // Call InitSodium() first.
  static Result<std::unique_ptr<SodiumSecretBox>> FromKeyFile(const std::string& path);
  ~SodiumSecretBox() override;

  std::string KeyId() const override { return key_id_; }
  Result<app::SealedValue> Seal(std::string_view plaintext, std::string_view context) const override;
  Result<std::string> Open(const app::SealedValue& v, std::string_view context) const override;

 private:
  SodiumSecretBox() = default;
  unsigned char* key_ = nullptr;  // sodium_malloc'd: guarded, locked, wiped on free
  std::string key_id_;
};

}  // namespace soporte::transport::security
