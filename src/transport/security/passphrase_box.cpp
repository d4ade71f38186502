#include "transport/security/passphrase_box.hpp"

#include <cstring>

#include <sodium.h>

#include "transport/security/base64.hpp"

#include "common/check.hpp"

namespace soporte::transport::security {
namespace {

constexpr char kKdf[] = "argon2id13";
constexpr char kCipher[] = "xchacha20poly1305-ietf";
constexpr std::size_t kKeyBytes = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

class SodiumPassphraseKey final : public app::PassphraseKey {
 public:
  // Derives the key; kInternal when libsodium runs out of memory.
  static Result<std::unique_ptr<app::PassphraseKey>> Derive(std::string_view passphrase, const std::string& salt,
                                                            app::PassphraseParams params) {
    std::unique_ptr<SodiumPassphraseKey> k(new SodiumPassphraseKey(std::move(params)));
    k->key_ = static_cast<unsigned char*>(sodium_malloc(kKeyBytes));
    if (k->key_ == nullptr) return Fail(ErrorCode::kInternal, "cannot allocate protected memory for a key");
    if (crypto_pwhash(k->key_, kKeyBytes, passphrase.data(), passphrase.size(), Bytes(salt),
                      k->params_.opslimit, static_cast<std::size_t>(k->params_.memlimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return Fail(ErrorCode::kInternal, "deriving a key from the passphrase ran out of memory");
    }
    sodium_mprotect_readonly(k->key_);
    return std::unique_ptr<app::PassphraseKey>(std::move(k));
  }

  ~SodiumPassphraseKey() override {
    if (key_ != nullptr) {
      sodium_mprotect_readwrite(key_);
      sodium_free(key_);  // wipes it
    }
  }

  const app::PassphraseParams& params() const override { return params_; }

  Result<app::PassphraseSealed> Seal(std::string_view plaintext, std::string_view context) const override {
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    randombytes_buf(nonce, sizeof nonce);
    std::string out(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()), &len,
                                                   Bytes(plaintext), plaintext.size(), Bytes(context),
                                                   context.size(), nullptr, nonce, key_) != 0) {
      return Fail(ErrorCode::kInternal, "encrypting a value failed");
    }
    return app::PassphraseSealed{Base64(nonce, sizeof nonce), Base64(Bytes(out), len)};
  }

  Result<std::string> Open(const app::PassphraseSealed& v, std::string_view context) const override {
    std::string nonce, cipher;
    if (!FromBase64(v.nonce, nonce) || nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES) {
      return Fail(ErrorCode::kInvalidArgument, "nonce must be base64 of 24 bytes");
    }
    if (!FromBase64(v.ciphertext, cipher) || cipher.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
      return Fail(ErrorCode::kInvalidArgument, "ciphertext must be base64 of at least 16 bytes");
    }
    std::string out(cipher.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
    unsigned long long len = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &len, nullptr,
                                                   Bytes(cipher), cipher.size(), Bytes(context), context.size(),
                                                   Bytes(nonce), key_) != 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "does not decrypt: a wrong passphrase, or the document was altered");
    }
    out.resize(len);
    return out;
  }

 private:
  explicit SodiumPassphraseKey(app::PassphraseParams params) : params_(std::move(params)) {}
  app::PassphraseParams params_;
  unsigned char* key_ = nullptr;  // sodium_malloc'd
};

}  // namespace

SodiumPassphraseCrypto::SodiumPassphraseCrypto(PassphraseCost cost) : cost_(cost) {
  SOPORTE_CHECK(cost_.opslimit >= crypto_pwhash_OPSLIMIT_MIN && cost_.opslimit <= kMaxPassphraseOpslimit);
  SOPORTE_CHECK(cost_.memlimit >= crypto_pwhash_MEMLIMIT_MIN && cost_.memlimit <= kMaxPassphraseMemlimit);
}

Result<std::unique_ptr<app::PassphraseKey>> SodiumPassphraseCrypto::NewKey(std::string_view passphrase) const {
  unsigned char salt[crypto_pwhash_SALTBYTES];
  randombytes_buf(salt, sizeof salt);
  app::PassphraseParams p{kKdf, kCipher, Base64(salt, sizeof salt), cost_.opslimit, cost_.memlimit};
  return SodiumPassphraseKey::Derive(passphrase, std::string(reinterpret_cast<const char*>(salt), sizeof salt),
                                     std::move(p));
}

Result<std::unique_ptr<app::PassphraseKey>> SodiumPassphraseCrypto::DeriveKey(
    std::string_view passphrase, const app::PassphraseParams& params) const {
  if (params.kdf != kKdf) {
    return Fail(ErrorCode::kInvalidArgument, "encryption.kdf must be \"argon2id13\" (got \"" + params.kdf + "\")");
  }
  if (params.cipher != kCipher) {
    return Fail(ErrorCode::kInvalidArgument,
                "encryption.cipher must be \"xchacha20poly1305-ietf\" (got \"" + params.cipher + "\")");
  }
  std::string salt;
  if (!FromBase64(params.salt, salt) || salt.size() != crypto_pwhash_SALTBYTES) {
    return Fail(ErrorCode::kInvalidArgument, "encryption.salt must be base64 of 16 bytes");
  }
  // A document may not make us spend more than our own exports cost: its limits are capped at
  // this server's (an uploaded document chooses the work, so it must not choose it unbounded).
  if (params.opslimit < crypto_pwhash_OPSLIMIT_MIN || params.opslimit > cost_.opslimit) {
    return Fail(ErrorCode::kInvalidArgument, "encryption.opslimit must be from 1 to " +
                                                 std::to_string(cost_.opslimit) +
                                                 " (this server's own cost)");
  }
  if (params.memlimit < crypto_pwhash_MEMLIMIT_MIN || params.memlimit > cost_.memlimit) {
    return Fail(ErrorCode::kInvalidArgument,
                "encryption.memlimit must be from " + std::to_string(crypto_pwhash_MEMLIMIT_MIN) +
                    " to " + std::to_string(cost_.memlimit) + " bytes (this server's own cost)");
  }
  return SodiumPassphraseKey::Derive(passphrase, salt, params);
}

}  // namespace soporte::transport::security
