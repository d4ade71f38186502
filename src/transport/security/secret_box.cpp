#include "transport/security/secret_box.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sodium.h>

#include "transport/security/base64.hpp"

namespace soporte::transport::security {
namespace {

Error KeyFileError(const std::string& path, const std::string& problem) {
  return Error{ErrorCode::kFailedPrecondition, "secret key file " + path + " " + problem};
}

}  // namespace

Status CreateKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Fail(ErrorCode::kAlreadyExists, path + " already exists");
    return Fail(ErrorCode::kUnavailable, "cannot create " + path + ": " + std::strerror(errno));
  }
  unsigned char key[kSecretKeyBytes];
  crypto_aead_xchacha20poly1305_ietf_keygen(key);
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
  sodium_memzero(key, sizeof key);
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  }
  return Ok();
}

Result<std::unique_ptr<SodiumSecretBox>> SodiumSecretBox::FromKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return tl::make_unexpected(KeyFileError(path, std::string("cannot be opened: ") + std::strerror(errno) +
                                                      " (run `soporte init` to create it, or restore it)"));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return tl::make_unexpected(KeyFileError(path, "is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return tl::make_unexpected(KeyFileError(
        path, std::string("has mode ") + mode + ": it must be readable by its owner only (chmod 600 " + path + ")"));
  }
  if (st.st_size != static_cast<off_t>(kSecretKeyBytes)) {
    ::close(fd);
    return tl::make_unexpected(KeyFileError(path, "has " + std::to_string(st.st_size) +
                                                      " bytes; a key has exactly 32 (a damaged or wrong file)"));
  }
  std::unique_ptr<SodiumSecretBox> box(new SodiumSecretBox());
  box->key_ = static_cast<unsigned char*>(sodium_malloc(kSecretKeyBytes));
  if (box->key_ == nullptr) {
    ::close(fd);
    return Fail(ErrorCode::kInternal, "cannot allocate protected memory for the secret key");
  }
  const ssize_t n = ::read(fd, box->key_, kSecretKeyBytes);
  ::close(fd);
  if (n != static_cast<ssize_t>(kSecretKeyBytes)) {
    return tl::make_unexpected(KeyFileError(path, "could not be read whole"));
  }
  // The key id: BLAKE2b of a fixed label keyed by the key (a MAC): tells keys apart, reveals nothing.
  unsigned char id[8];
  static constexpr char kLabel[] = "soporte secret key id v1";
  crypto_generichash(id, sizeof id, reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1,
                     box->key_, kSecretKeyBytes);
  char hex[sizeof id * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, id, sizeof id);
  box->key_id_ = hex;
  sodium_mprotect_readonly(box->key_);
  return box;
}

SodiumSecretBox::~SodiumSecretBox() {
  if (key_ != nullptr) {
    sodium_mprotect_readwrite(key_);
    sodium_free(key_);  // wipes it
  }
}

Result<app::SealedValue> SodiumSecretBox::Seal(std::string_view plaintext, std::string_view context) const {
  unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
  randombytes_buf(nonce, sizeof nonce);
  std::string out(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(
          reinterpret_cast<unsigned char*>(out.data()), &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
          plaintext.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(), nullptr, nonce,
          key_) != 0) {
    return Fail(ErrorCode::kInternal, "sealing a secret failed");
  }
  return app::SealedValue{key_id_, Base64(nonce, sizeof nonce),
                          Base64(reinterpret_cast<const unsigned char*>(out.data()), len)};
}

Result<std::string> SodiumSecretBox::Open(const app::SealedValue& v, std::string_view context) const {
  if (v.key_id != key_id_) {
    return Fail(ErrorCode::kFailedPrecondition,
                "this secret was sealed under key " + v.key_id + ", not the current key " + key_id_);
  }
  std::string nonce, cipher;
  if (!FromBase64(v.nonce, nonce) || nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      !FromBase64(v.ciphertext, cipher) || cipher.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Fail(ErrorCode::kFailedPrecondition, "a stored secret is damaged (bad encoding)");
  }
  std::string out(cipher.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &len, nullptr,
          reinterpret_cast<const unsigned char*>(cipher.data()), cipher.size(),
          reinterpret_cast<const unsigned char*>(context.data()), context.size(),
          reinterpret_cast<const unsigned char*>(nonce.data()), key_) != 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                "a stored secret does not open under the current key (wrong secret.key, or the row was altered)");
  }
  out.resize(len);
  return out;
}

}  // namespace soporte::transport::security
