// The PassphraseCrypto port with libsodium: crypto_pwhash (argon2id 1.3, a random 16-byte salt)
// derives a 32-byte key from a passphrase; each value is then sealed with
// crypto_aead_xchacha20poly1305_ietf under its own random 24-byte nonce, its context as
// associated data. Used for profile exports that carry secrets (app/profiles/profile_transfer).
#pragma once

#include <cstdint>
#include <memory>

#include "app/ports/passphrase.hpp"

namespace soporte::transport::security {

// The cost limits of new keys. Defaults: libsodium's MODERATE opslimit (3) with 256 MiB.
struct PassphraseCost {
  std::uint64_t opslimit = 3;
  std::uint64_t memlimit = 256ull * 1024 * 1024;
};

// The largest limits DeriveKey accepts from a document (memory: 256 MiB; operations: 10).
inline constexpr std::uint64_t kMaxPassphraseOpslimit = 10;
inline constexpr std::uint64_t kMaxPassphraseMemlimit = 256ull * 1024 * 1024;

class SodiumPassphraseCrypto final : public app::PassphraseCrypto {
 public:
  // `cost` must lie within libsodium's and the limits above (checked: aborts otherwise, a
  // wiring bug). Call InitSodium() first.
  explicit SodiumPassphraseCrypto(PassphraseCost cost = {});
  Result<std::unique_ptr<app::PassphraseKey>> NewKey(std::string_view passphrase) const override;
  Result<std::unique_ptr<app::PassphraseKey>> DeriveKey(std::string_view passphrase,
                                                        const app::PassphraseParams& params) const override;

 private:
  PassphraseCost cost_;
};

}  // namespace soporte::transport::security
