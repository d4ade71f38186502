// The passphrase port: values encrypted to a key derived from a person's passphrase, for data
// that leaves the server (a profile export with its secrets). Unlike SecretBox, the key is not a
// file: it is derived from the passphrase with a memory-hard function whose parameters and salt
// travel with the data, so the holder of the passphrase can open it on any server. Implemented
// with libsodium (argon2id + XChaCha20-Poly1305) in transport/security. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace soporte::app {

// How a key was derived from a passphrase: the algorithm's name, the random salt (base64) and
// the cost limits. Public: stored beside the encrypted values.
struct PassphraseParams {
  std::string kdf;     // "argon2id13"
  std::string cipher;  // "xchacha20poly1305-ietf"
  std::string salt;    // base64
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;  // bytes
};

// One value encrypted under a passphrase key: its own random nonce and the ciphertext with the
// authentication tag (both base64).
struct PassphraseSealed {
  std::string nonce;
  std::string ciphertext;
};

// A key derived from a passphrase. Holds the key in protected memory; wiped when destroyed.
class PassphraseKey {
 public:
  virtual ~PassphraseKey() = default;
  virtual const PassphraseParams& params() const = 0;
  // Encrypts `plaintext` bound to `context` (authenticated, not encrypted). kInternal only when
  // the library fails.
  virtual Result<PassphraseSealed> Seal(std::string_view plaintext, std::string_view context) const = 0;
  // The plaintext. kInvalidArgument when the value does not authenticate under this key and
  // `context` (a wrong passphrase, a value moved to another entry or field, a tampered
  // document) or is not valid base64 of the right sizes.
  virtual Result<std::string> Open(const PassphraseSealed& v, std::string_view context) const = 0;
};

class PassphraseCrypto {
 public:
  virtual ~PassphraseCrypto() = default;
  // A key from `passphrase` with a fresh random salt and this implementation's cost limits.
  // Costly (about a second and its memory limit): never call on an io thread. kInternal when
  // out of memory.
  virtual Result<std::unique_ptr<PassphraseKey>> NewKey(std::string_view passphrase) const = 0;
  // The key `params` describe. kInvalidArgument naming the parameter when the algorithm is not
  // supported, the salt is not base64 of the right size, or a limit is outside what this server
  // accepts (so a document cannot make it spend unbounded memory). As costly as NewKey.
  virtual Result<std::unique_ptr<PassphraseKey>> DeriveKey(std::string_view passphrase,
                                                           const PassphraseParams& params) const = 0;
};

}  // namespace soporte::app
