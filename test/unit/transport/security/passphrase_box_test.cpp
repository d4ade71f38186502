// The passphrase crypto of profile exports: a value sealed under a passphrase opens with the
// same passphrase and parameters only; a changed nonce, ciphertext, context, salt or passphrase
// fails; the document cannot ask for unbounded cost.
#include "transport/security/passphrase_box.hpp"

#include <gtest/gtest.h>

#include "transport/security/sodium_security.hpp"

namespace soporte::transport::security {
namespace {

// Cheap limits keep the test fast; the algorithm is the same as the default's.
const PassphraseCost kCheap{1, 8 * 1024 * 1024};

class PassphraseBoxTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitSodium()); }
  SodiumPassphraseCrypto crypto_{kCheap};
};

// Flips one bit of the decoded bytes of a base64 text, keeping it valid base64.
std::string Flip(const std::string& b64) {
  std::string out = b64;
  out[0] = out[0] == 'A' ? 'B' : 'A';
  return out;
}

TEST_F(PassphraseBoxTest, RoundTripWithTheSamePassphraseAndParameters) {
  auto key = crypto_.NewKey("correct horse battery staple");
  ASSERT_TRUE(key) << key.error().message;
  const auto& p = (*key)->params();
  EXPECT_EQ(p.kdf, "argon2id13");
  EXPECT_EQ(p.cipher, "xchacha20poly1305-ietf");
  EXPECT_EQ(p.opslimit, 1u);
  EXPECT_EQ(p.memlimit, 8u * 1024 * 1024);
  auto sealed = (*key)->Seal("S3cr3t-valor", "entry=os_user-1 field=password");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->ciphertext.find("S3cr3t"), std::string::npos);

  auto again = crypto_.DeriveKey("correct horse battery staple", p);
  ASSERT_TRUE(again) << again.error().message;
  auto plain = (*again)->Open(*sealed, "entry=os_user-1 field=password");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(*plain, "S3cr3t-valor");
}

TEST_F(PassphraseBoxTest, EachValueHasItsOwnNonceAndEachKeyItsOwnSalt) {
  auto a = crypto_.NewKey("correct horse battery staple");
  auto b = crypto_.NewKey("correct horse battery staple");
  ASSERT_TRUE(a && b);
  EXPECT_NE((*a)->params().salt, (*b)->params().salt);
  auto x = (*a)->Seal("same", "c");
  auto y = (*a)->Seal("same", "c");
  ASSERT_TRUE(x && y);
  EXPECT_NE(x->nonce, y->nonce);
  EXPECT_NE(x->ciphertext, y->ciphertext);
}

TEST_F(PassphraseBoxTest, TamperingOrAWrongPassphraseFails) {
  auto key = crypto_.NewKey("correct horse battery staple");
  ASSERT_TRUE(key);
  auto sealed = (*key)->Seal("S3cr3t-valor", "ctx");
  ASSERT_TRUE(sealed);

  auto changed_cipher = *sealed;
  changed_cipher.ciphertext = Flip(sealed->ciphertext);
  EXPECT_EQ((*key)->Open(changed_cipher, "ctx").error().code, ErrorCode::kInvalidArgument);
  auto changed_nonce = *sealed;
  changed_nonce.nonce = Flip(sealed->nonce);
  EXPECT_FALSE((*key)->Open(changed_nonce, "ctx"));
  EXPECT_FALSE((*key)->Open(*sealed, "another entry"));  // moved to another entry or field
  EXPECT_FALSE((*key)->Open(app::PassphraseSealed{"not base64!", sealed->ciphertext}, "ctx"));
  EXPECT_FALSE((*key)->Open(app::PassphraseSealed{sealed->nonce, "AAAA"}, "ctx"));  // shorter than a tag

  auto wrong = crypto_.DeriveKey("correct horse battery stapler", (*key)->params());
  ASSERT_TRUE(wrong);
  auto r = (*wrong)->Open(*sealed, "ctx");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("wrong passphrase"), std::string::npos);

  auto other_salt = (*key)->params();
  other_salt.salt = Flip(other_salt.salt);
  auto salted = crypto_.DeriveKey("correct horse battery staple", other_salt);
  ASSERT_TRUE(salted);
  EXPECT_FALSE((*salted)->Open(*sealed, "ctx"));
}

TEST_F(PassphraseBoxTest, ParametersOutsideTheLimitsAreRefusedByName) {
  auto key = crypto_.NewKey("correct horse battery staple");
  ASSERT_TRUE(key);
  auto check = [&](app::PassphraseParams p, const std::string& named) {
    auto r = crypto_.DeriveKey("correct horse battery staple", p);
    ASSERT_FALSE(r) << named;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(named), std::string::npos) << r.error().message;
  };
  auto p = (*key)->params();
  p.kdf = "scrypt";
  check(p, "encryption.kdf");
  p = (*key)->params();
  p.cipher = "aes";
  check(p, "encryption.cipher");
  p = (*key)->params();
  p.salt = "c2hvcnQ=";
  check(p, "encryption.salt");
  p = (*key)->params();
  p.memlimit = 64ull * 1024 * 1024 * 1024;  // a document must not make the server allocate 64 GiB
  check(p, "encryption.memlimit");
  p = (*key)->params();
  p.opslimit = 1000;
  check(p, "encryption.opslimit");
  p.opslimit = 0;
  check(p, "encryption.opslimit");
  // Capped at this server's own cost (opslimit 1, 8 MiB here): a document cannot make an import
  // cost more than our own exports (it chose 2 operations, or twice the memory).
  p = (*key)->params();
  p.opslimit = 2;
  check(p, "encryption.opslimit");
  p = (*key)->params();
  p.memlimit = 16ull * 1024 * 1024;
  check(p, "encryption.memlimit");
}

}  // namespace
}  // namespace soporte::transport::security
