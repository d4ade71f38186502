#include "transport/security/secret_box.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "transport/security/sodium_security.hpp"

namespace soporte::transport::security {
namespace {

namespace fs = std::filesystem;

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitSodium());
    char tmpl[] = "/tmp/secret-box-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    key_ = dir_ + "/secret.key";
    ASSERT_TRUE(CreateKeyFile(key_));
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_, key_;
};

TEST_F(SecretBoxTest, KeyFileIsOwnerOnlyAndNeverOverwritten) {
  struct stat st {};
  ASSERT_EQ(::stat(key_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);
  auto again = CreateKeyFile(key_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(SecretBoxTest, SealsAndOpensUnderItsContextOnly) {
  auto box = SodiumSecretBox::FromKeyFile(key_);
  ASSERT_TRUE(box) << box.error().message;
  auto sealed = (*box)->Seal("contraseña-ñ", "org=1 entry=2 field=password");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->key_id, (*box)->KeyId());
  EXPECT_EQ(sealed->ciphertext.find("contrase"), std::string::npos);
  auto opened = (*box)->Open(*sealed, "org=1 entry=2 field=password");
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, "contraseña-ñ");
  // Same value twice: different nonces, different ciphertexts.
  EXPECT_NE((*box)->Seal("contraseña-ñ", "c")->ciphertext, (*box)->Seal("contraseña-ñ", "c")->ciphertext);
  // Moved to another row: does not open.
  auto moved = (*box)->Open(*sealed, "org=1 entry=3 field=password");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, ErrorCode::kFailedPrecondition);
  // Tampered: does not open.
  auto tampered = *sealed;
  tampered.ciphertext[2] = tampered.ciphertext[2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE((*box)->Open(tampered, "org=1 entry=2 field=password"));
}

TEST_F(SecretBoxTest, AnotherKeyCannotOpenAndSaysSo) {
  auto box = SodiumSecretBox::FromKeyFile(key_);
  ASSERT_TRUE(box);
  auto sealed = (*box)->Seal("x", "c");
  const std::string other = dir_ + "/other.key";
  ASSERT_TRUE(CreateKeyFile(other));
  auto box2 = SodiumSecretBox::FromKeyFile(other);
  ASSERT_TRUE(box2);
  EXPECT_NE((*box2)->KeyId(), (*box)->KeyId());
  auto r = (*box2)->Open(*sealed, "c");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("sealed under key " + (*box)->KeyId()), std::string::npos);
  // A forged key id does not help either.
  auto forged = *sealed;
  forged.key_id = (*box2)->KeyId();
  EXPECT_FALSE((*box2)->Open(forged, "c"));
}

TEST_F(SecretBoxTest, RefusesUnsafeOrDamagedKeyFiles) {
  ASSERT_EQ(::chmod(key_.c_str(), 0640), 0);
  auto open_to_group = SodiumSecretBox::FromKeyFile(key_);
  ASSERT_FALSE(open_to_group);
  EXPECT_NE(open_to_group.error().message.find("mode 0640"), std::string::npos) << open_to_group.error().message;
  EXPECT_NE(open_to_group.error().message.find("chmod 600"), std::string::npos);

  const std::string short_key = dir_ + "/short.key";
  { std::ofstream(short_key) << "too short"; }
  ASSERT_EQ(::chmod(short_key.c_str(), 0600), 0);
  auto bad_size = SodiumSecretBox::FromKeyFile(short_key);
  ASSERT_FALSE(bad_size);
  EXPECT_NE(bad_size.error().message.find("has 9 bytes"), std::string::npos) << bad_size.error().message;

  auto missing = SodiumSecretBox::FromKeyFile(dir_ + "/none.key");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace soporte::transport::security
